-- sbConvEnd
-- The conversation ends (accepted|active → ended): the agent's slot is free again (back
-- online when it was online). KEYS: request. ARGV: D, P, id, uid ('' = the system), now, reason
-- ('' = ended-by-caller / ended-by-agent, from uid)
-- → {1 ended now | 0 had ended, caller, agent, startedAt, endedAt, reason[, agent status, capacity, load, offers,
--   #stalled, (stalled id, round)…, request hash field, value…]} (stalled: the requests the freed agent can
--   take now, as sbDispatchStalled; the hash: the request after the end)
--   | {-1} | {-3} | {-5} | {-6} as for begin
--- @include "../../presence/lua/includes/agent"
--- @include "includes/stalled"
local D, P, id, uid = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local r = redis.call('HMGET', KEYS[1], 'state', 'caller', 'agent', 'startedAt', 'endedAt', 'endReason')
if not r[1] then return {-1} end
if uid ~= '' and uid ~= r[2] and uid ~= r[3] then return {-5} end
if r[1] == 'waiting' then return {-6} end
if r[1] == 'expired' or r[1] == 'cancelled' then return {-3} end
if r[1] == 'ended' then return {0, r[2], r[3], r[4] or '', r[5] or '', r[6] or ''} end
if ARGV[7] == '1' and r[1] ~= 'accepted' then return {-9} end
local reason = ARGV[6]
if reason == '' then
  reason = 'ended-by-caller'
  if uid == r[3] then reason = 'ended-by-agent' end
end
redis.call('HSET', KEYS[1], 'state', 'ended', 'endedAt', ARGV[5], 'endReason', reason)
redis.call('SREM', D .. 'u:' .. r[2], id)
redis.call('SREM', D .. 'u:' .. r[3], id)
redis.call('ZREM', D .. 'due', id)
local a = agentFreeSlot(P, r[3], ARGV[5])
local out = {1, r[2], r[3], r[4] or '', ARGV[5], reason, a[1] or 'offline', a[2] or '1', a[3] or '0', a[4] or '0', 0}
out[11] = stalledRequests(D, P, {r[3]}, out)
for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do out[#out + 1] = v end
return out
