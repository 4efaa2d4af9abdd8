-- sbWhUpdate
-- Changes fields of an existing endpoint. KEYS: ep. ARGV: field/value pairs → 1 | 0 no such endpoint
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
