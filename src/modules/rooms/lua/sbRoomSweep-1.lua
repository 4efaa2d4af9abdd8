-- sbRoomSweep
-- Removes members whose deadline passed: read and remove in one script, so two workers
-- sweeping at once never both see (and announce) the same member. A timed-out host of an
-- open room is marked with hostGoneAt = now (the host-timeout job checks it).
-- It also answers what the sweep asked in round trips of their own before: the rooms whose
-- host timed out before `gone before` (their host-timeout jobs are enqueued again, in case a
-- worker died before enqueuing them), and whether the app still has deadlines or timed-out
-- hosts (if not, the sweep retires it from its index). Each round trip is a wake-up of the
-- worker and of Redis, and the sweep runs twice a second.
-- KEYS: due. ARGV: now, limit, key prefix "sw:{app}:rooms:", gone before (ms)
-- → {entries examined, busy 1|0, n, n × (roomId, hostGoneAt), then per removed member:
--    roomId, uid, role, memsize, isHost, kind, host, label}
local P = ARGV[3]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local removed = {}
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
      local n = #removed
      removed[n + 1] = rid
      removed[n + 2] = uid
      removed[n + 3] = role
      removed[n + 4] = redis.call('ZCARD', P .. 'm:' .. rid)
      removed[n + 5] = isHost
      removed[n + 6] = r[3] or ''
      removed[n + 7] = r[2] or ''
      removed[n + 8] = r[4] or r[1] or ''
    end
  end
end
local gone = redis.call('ZRANGEBYSCORE', P .. 'hostgone', '-inf', ARGV[4], 'WITHSCORES', 'LIMIT', 0, 1000)
local busy = redis.call('EXISTS', KEYS[1], P .. 'hostgone') > 0 and 1 or 0
local out = {#due, busy, #gone / 2}
for _, v in ipairs(gone) do out[#out + 1] = v end
for _, v in ipairs(removed) do out[#out + 1] = v end
return out
