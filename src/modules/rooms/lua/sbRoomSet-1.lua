-- sbRoomSet
-- Sets fields of an existing room. KEYS: room. ARGV: field, value, … → 1 | 0 no room
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
