-- sbRoomSweep
-- Removes members whose deadline passed: read and remove in one script, so two workers
-- sweeping at once never both see (and announce) the same member. A timed-out host of an
-- open room is marked with hostGoneAt = now (the host-timeout job checks it).
-- KEYS: due. ARGV: now, limit, key prefix "sw:{app}:rooms:"
-- → {entries examined, then per removed member: roomId, uid, role, memsize, isHost, kind, host, label}
local P = ARGV[3]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {#due}
for _, entry in ipairs(due) do
  redis.call('ZREM', KEYS[1], entry)
  local bar = string.find(entry, '|', 1, true)
  if bar then
    local rid = string.sub(entry, 1, bar - 1)
    local uid = string.sub(entry, bar + 1)
    if redis.call('ZREM', P .. 'm:' .. rid, uid) == 1 then
      local role = redis.call('HGET', P .. 'roles:' .. rid, uid) or ''
      redis.call('HDEL', P .. 'roles:' .. rid, uid)
      redis.call('SREM', P .. 'u:' .. uid, rid)
      local r = redis.call('HMGET', P .. 'r:' .. rid, 'state', 'host', 'kind', 'label')
      local isHost = 0
      if r[2] == uid and r[1] == 'open' then
        redis.call('HSET', P .. 'r:' .. rid, 'hostGoneAt', ARGV[1])
        redis.call('ZADD', P .. 'hostgone', ARGV[1], rid)
        isHost = 1
      end
      local n = #out
      out[n + 1] = rid
      out[n + 2] = uid
      out[n + 3] = role
      out[n + 4] = redis.call('ZCARD', P .. 'm:' .. rid)
      out[n + 5] = isHost
      out[n + 6] = r[3] or ''
      out[n + 7] = r[2] or ''
      out[n + 8] = r[4] or r[1] or ''
    end
  end
end
return out
