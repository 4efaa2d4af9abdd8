-- sbRoomBeat
-- Heartbeats of members already in, several rooms of one app at once: each moves its
-- deadline and answers its room's memsize and its role; anyone not a member (or a room
-- gone) is left to sbRoomEnter (-1), which knows every other case. A closed room has no
-- members left (sbRoomClose deletes its member set), so membership alone says the room is
-- still there.
-- The member and role keys of each beat's room are built from the key prefix, as in
-- sbRoomSweep (same `{app}` hash tag as KEYS[1]: one Cluster slot): a batch of 40 beats
-- then sends 83 arguments instead of 207, which is most of what the batch costs the api to
-- write and Redis to read.
-- KEYS: due. ARGV: deadline, key prefix "sw:{app}:rooms:", then per beat: uid, roomId
-- → per beat: memsize, role (memsize -1: not a member, or no room)
local P = ARGV[2]
local out = {}
for i = 3, #ARGV - 1, 2 do
  local uid, rid = ARGV[i], ARGV[i + 1]
  local members = P .. 'm:' .. rid
  if redis.call('ZSCORE', members, uid) then
    redis.call('ZADD', KEYS[1], ARGV[1], rid .. '|' .. uid)
    out[#out + 1] = redis.call('ZCARD', members)
    out[#out + 1] = redis.call('HGET', P .. 'roles:' .. rid, uid) or ''
  else
    out[#out + 1] = -1
    out[#out + 1] = ''
  end
end
return out
