-- sbRoomBeat
-- Heartbeats of members already in, several rooms of one app at once: each moves its
-- deadline and answers its room's memsize and its role; anyone not a member (or a room
-- gone) is left to sbRoomEnter (-1), which knows every other case.
-- KEYS: due, then per beat: room, members, roles. ARGV: deadline, then per beat: uid, roomId
-- → per beat: memsize, role (memsize -1: not a member, or no room)
local out = {}
for i = 0, (#KEYS - 1) / 3 - 1 do
  local uid = ARGV[2 + 2 * i]
  local members = KEYS[3 + 3 * i]
  if redis.call('EXISTS', KEYS[2 + 3 * i]) == 1 and redis.call('ZSCORE', members, uid) then
    redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3 + 2 * i] .. '|' .. uid)
    out[#out + 1] = redis.call('ZCARD', members)
    out[#out + 1] = redis.call('HGET', KEYS[4 + 3 * i], uid) or ''
  else
    out[#out + 1] = -1
    out[#out + 1] = ''
  end
end
return out
