-- sbRoomEnter
-- Enter a room, or refresh the deadline of a member (heartbeat). A non-member is (re)added
-- only while the room is open. The host coming back clears the pending host timeout.
-- A room whose `door` is `invite` admits only its host and the uids of its allow set.
-- Added, it also says how many sockets the user has open (any node: the gateway's registry),
-- so a caller holding all of them moves them itself instead of through the adapter, and
-- whether the app had no deadline before (only then the sweep's app index needs the app).
-- KEYS: room, members, roles, due, userRooms, userSockets. ARGV: uid, now, deadline, role, roomId, hostgone key, allow key
-- → {1 added | 0 already in, memsize, hostGoneAt or '', role, kind, host, label[, sockets, app was idle 1|0 when added]}
--   | {-1} no room | {-2} not open | {-3} not admitted
local r = redis.call('HMGET', KEYS[1], 'state', 'host', 'kind', 'label', 'door')
if not r[1] then return {-1} end
local entry = ARGV[5] .. '|' .. ARGV[1]
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  redis.call('ZADD', KEYS[4], ARGV[3], entry)
  return {0, redis.call('ZCARD', KEYS[2]), '', redis.call('HGET', KEYS[3], ARGV[1]) or '', r[3], r[2], r[4] or r[1]}
end
if r[1] ~= 'open' then return {-2} end
if r[5] == 'invite' and r[2] ~= ARGV[1] and redis.call('SISMEMBER', ARGV[7], ARGV[1]) == 0 then return {-3} end
local role = ARGV[4]
local back = ''
if r[2] == ARGV[1] then
  role = 'host'
  back = redis.call('HGET', KEYS[1], 'hostGoneAt') or ''
  redis.call('HDEL', KEYS[1], 'hostGoneAt')
  redis.call('ZREM', ARGV[6], ARGV[5])
end
local idle = 1 - redis.call('EXISTS', KEYS[4])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], role)
redis.call('ZADD', KEYS[4], ARGV[3], entry)
redis.call('SADD', KEYS[5], ARGV[5])
return {1, redis.call('ZCARD', KEYS[2]), back, role, r[3], r[2], r[4] or r[1], redis.call('SCARD', KEYS[6]), idle}
