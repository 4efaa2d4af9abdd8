-- sbBillBegin
-- Starts metering a call (idempotent by call id). KEYS: call, due, ucPayer, ucPayee.
-- ARGV: callId, payer, payee, priceKey, unitPrice, unitMs, tickMs, now, firstDue
-- → {1} created | {0, field, value, …} exists (its fields)
if redis.call('EXISTS', KEYS[1]) == 1 then
  local h = redis.call('HGETALL', KEYS[1])
  table.insert(h, 1, 0)
  return h
end
redis.call('HSET', KEYS[1], 'payer', ARGV[2], 'payee', ARGV[3], 'priceKey', ARGV[4], 'unitPrice', ARGV[5], 'unitMs', ARGV[6], 'tickMs', ARGV[7],
  'state', 'active', 'startedAt', ARGV[8], 'units', '0', 'amount', '0', 'nextDue', ARGV[9], 'seq', '0', 'low', '0')
redis.call('ZADD', KEYS[2], ARGV[9], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
return {1}
