-- sbRoomMessage
-- Appends a chat message: next sequence number, stored, history capped.
-- KEYS: room, members, messages. ARGV: uid, json, cap → seq | -1 no room | -2 not open | -3 not a member
local st = redis.call('HGET', KEYS[1], 'state')
if not st then return -1 end
if st ~= 'open' then return -2 end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return -3 end
local seq = redis.call('HINCRBY', KEYS[1], 'imseq', 1)
redis.call('ZADD', KEYS[3], seq, seq .. ':' .. ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[3]) + 1))
return seq
