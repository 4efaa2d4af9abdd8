-- csSwapRequest
-- Compare-and-set of the customer's current request: only one of two concurrent first
-- messages opens a consultation. KEYS: customer. ARGV: expected ('' none), new, ttl → 1 | 0
if (redis.call('HGET', KEYS[1], 'requestId') or '') ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], 'requestId') else redis.call('HSET', KEYS[1], 'requestId', ARGV[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
