-- imSocketClosed
-- A socket closed. KEYS: socks set, online hash. ARGV: socketId, uid
-- → 1 the user just went offline (this call flipped it) | 0 already offline | -n n sockets remain
redis.call('SREM', KEYS[1], ARGV[1])
local left = redis.call('SCARD', KEYS[1])
if left > 0 then return -left end
return redis.call('HDEL', KEYS[2], ARGV[2])
