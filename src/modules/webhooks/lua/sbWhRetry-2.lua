-- sbWhRetry
-- A failed attempt with time left: record it and when the next one is due.
-- KEYS: delivery, inflight. ARGV: deliveryId, gen, attempts made, due, status, error → 1 | 0 stale
local st = redis.call('HMGET', KEYS[1], 'state', 'gen')
if st[1] ~= 'pending' or st[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'attempts', ARGV[3], 'due', ARGV[4], 'lastStatus', ARGV[5], 'lastError', ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
return 1
