-- sbPresenceSweep
-- Takes agents past their deadline offline: read and change in one script, so two workers
-- sweeping at once never both announce the same agent.
-- KEYS: due. ARGV: now, limit, prefix → {entries examined, busy 1|0, uid…}: busy while an online
-- agent is left to watch (the sweep then keeps the app in its index without asking again).
--- @include "includes/agent-refresh"
local P = ARGV[3]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {#due, 0}
for _, uid in ipairs(due) do
  redis.call('ZREM', KEYS[1], uid)
  local k = P .. 'a:' .. uid
  if redis.call('HGET', k, 'status') == 'online' then
    redis.call('HSET', k, 'status', 'offline', 'updatedAt', ARGV[1])
    agentRefresh(P, uid)
    out[#out + 1] = uid
  end
end
out[2] = redis.call('EXISTS', KEYS[1])
return out
