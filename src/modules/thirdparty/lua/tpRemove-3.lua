-- tpRemove
-- Removes a third-party id and what hangs on it. KEYS: ids, uids, device. ARGV: thirdPartyId → uid | false
local uid = redis.call('HGET', KEYS[1], ARGV[1])
if not uid then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], uid)
redis.call('HDEL', KEYS[3], uid)
return uid
