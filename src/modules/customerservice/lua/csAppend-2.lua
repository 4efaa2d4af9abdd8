-- csAppend
-- Appends a message with the customer's next number. KEYS: customer, history. ARGV: JSON without seq, max, ttl → the stored JSON
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local m = cjson.decode(ARGV[1])
m.seq = seq
local s = cjson.encode(m)
redis.call('RPUSH', KEYS[2], s)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return s
