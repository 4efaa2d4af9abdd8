-- tpReserve
-- Reserves a platform id for a new third-party id, under the quota.
-- KEYS: ids, uids, seq. ARGV: thirdPartyId, quota, base. → {1, uid} | {-1, uid} exists | {-2} quota
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return {-1, existing} end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[2]) then return {-2} end
local uid = tostring(tonumber(ARGV[3]) + redis.call('INCR', KEYS[3]))
redis.call('HSET', KEYS[1], ARGV[1], uid)
redis.call('HSET', KEYS[2], uid, ARGV[1])
return {1, uid}
