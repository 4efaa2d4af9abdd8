-- csSeatRemove
-- Removes a seat and its nickname. KEYS: seats, nicks. ARGV: uid → the seat's JSON | false
local j = redis.call('HGET', KEYS[1], ARGV[1])
if not j then return false end
local nick = cjson.decode(j).nickname
if redis.call('HGET', KEYS[2], nick) == ARGV[1] then redis.call('HDEL', KEYS[2], nick) end
redis.call('HDEL', KEYS[1], ARGV[1])
return j
