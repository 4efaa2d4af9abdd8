-- sbCreateIfAbsent
-- Creates a hash only if absent and indexes it in a zset of the same app (one slot).
-- KEYS: hash, index zset. ARGV: score, member, field, value, …
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
return 1
