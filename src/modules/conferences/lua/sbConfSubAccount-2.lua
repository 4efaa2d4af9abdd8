-- sbConfSubAccount
-- The sub-account of a user, created once: a second call (or a concurrent first one) gets the same.
-- KEYS: sub, voipseq. ARGV: sid, token, voipPwd, now → {sid, token, voip, voipPwd}
local h = redis.call('HMGET', KEYS[1], 'sid', 'token', 'voip', 'voipPwd')
if h[1] then return h end
local voip = string.format('8%013d', redis.call('INCR', KEYS[2]))
redis.call('HSET', KEYS[1], 'sid', ARGV[1], 'token', ARGV[2], 'voip', voip, 'voipPwd', ARGV[3], 'createdAt', ARGV[4])
return {ARGV[1], ARGV[2], voip, ARGV[3]}
