-- sbRoomClose
-- Closes a room and releases every member. KEYS: room, members, roles, due.
-- ARGV: now, roomId, key prefix, label → {1, uid…} closed now | {0} already closed | {-1} no room
local st = redis.call('HGET', KEYS[1], 'state')
if not st then return {-1} end
if st == 'closed' then return {0} end
redis.call('HSET', KEYS[1], 'state', 'closed', 'closedAt', ARGV[1], 'label', ARGV[4])
redis.call('HDEL', KEYS[1], 'hostGoneAt', 'closingSince')
redis.call('ZREM', ARGV[3] .. 'hostgone', ARGV[2])
redis.call('ZREM', ARGV[3] .. 'alive', ARGV[2])
redis.call('DEL', ARGV[3] .. 'allow:' .. ARGV[2])
local uids = redis.call('ZRANGE', KEYS[2], 0, -1)
for _, uid in ipairs(uids) do
  redis.call('ZREM', KEYS[4], ARGV[2] .. '|' .. uid)
  redis.call('SREM', ARGV[3] .. 'u:' .. uid, ARGV[2])
end
redis.call('DEL', KEYS[2], KEYS[3])
local out = {1}
for i, uid in ipairs(uids) do out[i + 1] = uid end
return out
