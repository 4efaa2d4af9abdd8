-- sbWhFanout
-- Events → one delivery per enabled endpoint subscribed to each event's type, appended to the
-- endpoint's lane of the event's order key, the events in the order given (publish order).
-- A delivery that already exists (the same event published again) is skipped. Deliveries
-- that are now the head of their lane are returned: the caller enqueues their first attempt.
-- The events of one tick come in one call (service.ts): the endpoints are read once for all.
-- KEYS: eps, inflight. ARGV: prefix, n, then per event: eventId, deliverySuffix, type, body,
-- orderKey ('' none), now
-- → per event, in order: the number of new heads h, then h pairs deliveryId, gen
local base, n = ARGV[1], tonumber(ARGV[2])
local eps = redis.call('ZRANGE', KEYS[1], 0, -1)
local subs = {}
for i, ep in ipairs(eps) do
  subs[i] = redis.call('HMGET', base .. ':ep:' .. ep, 'enabled', 'events')
end
local out = {}
for i = 0, n - 1 do
  local a = 2 + i * 6
  local eid, suffix, typ, body, okey, now = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[a + 6]
  local countAt = #out + 1
  out[countAt] = 0
  for j, ep in ipairs(eps) do
    local e = subs[j]
    if e[1] == '1' and e[2] and (string.find(e[2], ',' .. typ .. ',', 1, true) or string.find(e[2], ',*,', 1, true)) then
      local id = ep .. '.' .. suffix
      local dk = base .. ':d:' .. id
      if redis.call('EXISTS', dk) == 0 then
        local lane = base .. ':lane:' .. ep .. ':' .. (okey ~= '' and okey or ('~' .. suffix))
        redis.call('HSET', dk, 'eventId', eid, 'endpointId', ep, 'type', typ, 'body', body, 'orderKey', okey, 'lane', lane,
          'state', 'pending', 'gen', 1, 'attempts', 0, 'replays', 0, 'createdAt', now, 'windowFrom', now)
        if redis.call('RPUSH', lane, id) == 1 then
          redis.call('HSET', dk, 'startedAt', now, 'due', now)
          redis.call('ZADD', KEYS[2], now, id)
          out[countAt] = out[countAt] + 1
          table.insert(out, id)
          table.insert(out, 1)
        end
      end
    end
  end
end
return out
