-- sbRoomLeave
-- Leave a room; also says how many sockets the user has open (as sbRoomEnter).
-- KEYS: room, members, roles, due, userRooms, userSockets. ARGV: uid, roomId
-- → {1 left | 0 was not in, memsize, role, kind, host, label, sockets} | {-1} no room
local r = redis.call('HMGET', KEYS[1], 'state', 'host', 'kind', 'label')
if not r[1] then return {-1} end
local sockets = redis.call('SCARD', KEYS[6])
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return {0, redis.call('ZCARD', KEYS[2]), '', r[3], r[2], r[4] or r[1], sockets} end
local role = redis.call('HGET', KEYS[3], ARGV[1]) or ''
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[2] .. '|' .. ARGV[1])
redis.call('SREM', KEYS[5], ARGV[2])
return {1, redis.call('ZCARD', KEYS[2]), role, r[3], r[2], r[4] or r[1], sockets}
