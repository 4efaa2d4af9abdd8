-- sbWhFanout
-- One event → one delivery per enabled endpoint subscribed to its type, appended to the
-- endpoint's lane of the event's order key. A delivery that already exists (the same event
-- published again) is skipped. Deliveries that are now the head of their lane are returned:
-- the caller enqueues their first attempt.
-- KEYS: eps, inflight. ARGV: prefix, eventId, deliverySuffix, type, body, orderKey ('' none), now
-- → {deliveryId, gen, …} of the new heads
local base, eid, suffix, typ, body, okey, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local out = {}
for _, ep in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local e = redis.call('HMGET', base .. ':ep:' .. ep, 'enabled', 'events')
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
        table.insert(out, id)
        table.insert(out, 1)
      end
    end
  end
end
return out
