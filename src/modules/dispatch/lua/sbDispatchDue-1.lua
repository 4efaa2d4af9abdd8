-- sbDispatchDue
-- The dispatch sweep's claim: up to `limit` requests whose timer (this sorted set: request id
-- → due time) is due, each with what is due now:
--   waiting, before expiresAt → its next round ('round', round + 1); at or after → 'expire';
--   accepted (not begun)      → 'noShow';
--   anything else, or gone    → nothing (its timer is dropped).
-- A claimed timer moves `lease` ms on: the job the sweep adds for it sets the next one (or drops
-- it) when it runs, and a lost job is claimed again after the lease.
-- KEYS: due. ARGV: D, now, limit, lease ms → {examined, busy 1|0, id, kind, round, …}: busy while
-- a timer is left (the sweep then keeps the app in its index without asking again).
local D, now = ARGV[1], tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local out = {#ids, 0}
for _, id in ipairs(ids) do
  local r = redis.call('HMGET', D .. 'r:' .. id, 'state', 'round', 'expiresAt')
  local kind
  if r[1] == 'waiting' then
    kind = now >= tonumber(r[3]) and 'expire' or 'round'
  elseif r[1] == 'accepted' then
    kind = 'noShow'
  end
  if kind then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), id)
    out[#out + 1] = id
    out[#out + 1] = kind
    out[#out + 1] = tonumber(r[2] or '0') + 1
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
out[2] = redis.call('EXISTS', KEYS[1])
return out
