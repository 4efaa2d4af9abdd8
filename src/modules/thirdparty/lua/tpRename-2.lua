-- tpRename
-- Renames a third-party id. KEYS: ids, uids. ARGV: old, new. → uid | -1 no old | -2 new taken
local uid = redis.call('HGET', KEYS[1], ARGV[1])
if not uid then return -1 end
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then return -2 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[2], uid)
redis.call('HSET', KEYS[2], uid, ARGV[2])
return uid
