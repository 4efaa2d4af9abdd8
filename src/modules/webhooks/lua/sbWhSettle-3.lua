-- sbWhSettle
-- The delivery is over — delivered, dead (to the dead letters) or dropped (its endpoint is
-- gone) — and leaves its lane; the next delivery of the lane becomes the head, returned for
-- the caller to enqueue. Only the current run (gen) of a pending delivery settles.
-- KEYS: delivery, inflight, dead. ARGV: prefix, deliveryId, gen, outcome, now, deliveredTtlMs,
-- deadMax, status, error, attempts → {0} stale | {1} | {1, nextDeliveryId, nextGen}
local st = redis.call('HMGET', KEYS[1], 'state', 'gen', 'lane')
if st[1] ~= 'pending' or st[2] ~= ARGV[3] then return {0} end
local lane, id, now = st[3], ARGV[2], tonumber(ARGV[5])
if redis.call('LINDEX', lane, 0) == id then redis.call('LPOP', lane) else redis.call('LREM', lane, 1, id) end
redis.call('ZREM', KEYS[2], id)
if ARGV[4] == 'delivered' then
  redis.call('HSET', KEYS[1], 'state', 'delivered', 'deliveredAt', now, 'lastStatus', ARGV[8], 'lastError', '', 'attempts', ARGV[10])
  redis.call('HDEL', KEYS[1], 'body')
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
elseif ARGV[4] == 'dead' then
  redis.call('HSET', KEYS[1], 'state', 'dead', 'deadAt', now, 'lastStatus', ARGV[8], 'lastError', ARGV[9], 'attempts', ARGV[10])
  -- Score deadAt × 1000 + a rolling counter: unique, so a page boundary never skips a tie.
  local seq = redis.call('INCR', ARGV[1] .. ':deadseq') % 1000
  redis.call('ZADD', KEYS[3], string.format('%.0f', now * 1000 + seq), id)
  local over = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[7])
  if over > 0 then
    for _, old in ipairs(redis.call('ZRANGE', KEYS[3], 0, over - 1)) do redis.call('DEL', ARGV[1] .. ':d:' .. old) end
    redis.call('ZREMRANGEBYRANK', KEYS[3], 0, over - 1)
  end
else
  redis.call('DEL', KEYS[1])
end
while true do
  local nxt = redis.call('LINDEX', lane, 0)
  if not nxt then return {1} end
  local nk = ARGV[1] .. ':d:' .. nxt
  local gen = redis.call('HGET', nk, 'gen')
  if gen then
    redis.call('HSET', nk, 'startedAt', now, 'due', now, 'attempts', 0)
    redis.call('ZADD', KEYS[2], now, nxt)
    return {1, nxt, gen}
  end
  redis.call('LPOP', lane)
end
