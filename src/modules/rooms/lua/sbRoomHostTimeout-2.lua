-- sbRoomHostTimeout
-- Claims the end of a room whose host timed out at ARGV[1]: only if the host is still
-- away (same hostGoneAt, not a member). The room turns 'closing' so the host can no
-- longer come back half-way; a retried job (same since) claims again.
-- KEYS: room, members. ARGV: since, hostgone key, roomId → kind | false
local r = redis.call('HMGET', KEYS[1], 'state', 'host', 'kind', 'hostGoneAt', 'closingSince')
if not r[1] then return false end
if r[1] == 'closing' and r[5] == ARGV[1] then return r[3] end
if r[1] ~= 'open' or r[4] ~= ARGV[1] then
  if r[4] ~= ARGV[1] then redis.call('ZREM', ARGV[2], ARGV[3]) end
  return false
end
if redis.call('ZSCORE', KEYS[2], r[2]) then return false end
redis.call('HSET', KEYS[1], 'state', 'closing', 'closingSince', ARGV[1])
redis.call('HDEL', KEYS[1], 'hostGoneAt')
redis.call('ZREM', ARGV[2], ARGV[3])
return r[3]
