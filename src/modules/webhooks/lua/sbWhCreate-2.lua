-- sbWhCreate
-- A new endpoint unless the app has `max` already.
-- KEYS: eps, ep. ARGV: endpointId, max, now, then field/value pairs → 1 | 0 limit reached
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[2], unpack(ARGV, 4))
return 1
