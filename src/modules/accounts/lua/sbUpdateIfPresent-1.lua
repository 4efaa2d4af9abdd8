-- sbUpdateIfPresent
-- Updates fields of an existing hash only. KEYS: hash. ARGV: field, value, …
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
