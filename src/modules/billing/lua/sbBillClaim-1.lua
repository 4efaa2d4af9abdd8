-- sbBillClaim
-- Claims the due ticks: read and lease in one script, so two workers never take the same
-- tick; a claim whose worker dies is taken again when its lease runs out. Ended calls
-- found here are dropped from the zset. KEYS: due. ARGV: now, limit, leaseUntil, prefix P
-- → {examined, then per claimed call: callId, payer, payee, startedAt, unitMs, unitPrice, units, nextDue, low, tickMs, balance}
local P = ARGV[4]
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {#ids}
for _, id in ipairs(ids) do
  local c = redis.call('HMGET', P .. 'c:' .. id, 'state', 'payer', 'payee', 'startedAt', 'unitMs', 'unitPrice', 'units', 'nextDue', 'low', 'tickMs')
  if c[1] ~= 'active' then
    redis.call('ZREM', KEYS[1], id)
  else
    redis.call('ZADD', KEYS[1], ARGV[3], id)
    local n = #out
    out[n + 1] = id
    for i = 2, 10 do out[n + i] = c[i] end
    out[n + 11] = redis.call('HGET', P .. 'bal', c[2]) or '0'
  end
end
return out
