-- imDrain
-- Takes every kept message at once (nothing delivered twice by two connecting sockets).
-- KEYS: offline list → the JSON entries, newest first
local all = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return all
