-- sbDispatchRound
-- Round n of a waiting request: offers it to up to `count` idle agents of its skill, best
-- first, never the caller nor one offered before — to every idle agent of the skill when
-- the request was created to be offered to all (customer service). A replayed round
-- (retried job) offers nothing new and returns the pending offers again, so they can be re-sent.
-- Sets the request's next timer (D..'due'): the next round, or the expiry when that would come after it.
-- KEYS: request. ARGV: D, P, id, round, count, now, round ms
-- → {1 new | 2 replay, queue position (0 while an offer is pending), caller, skill, expiresAt, data, uid…}
--   | {0, state} not waiting | {-1} no request
--- @include "../../presence/lua/includes/agent"
local D, P, id = ARGV[1], ARGV[2], ARGV[3]
local r = redis.call('HMGET', KEYS[1], 'state', 'round', 'skill', 'caller', 'expiresAt', 'data', 'all')
if not r[1] then return {-1} end
if r[1] ~= 'waiting' then return {0, r[1]} end
local o, t = D .. 'o:' .. id, D .. 't:' .. id
local out
if tonumber(r[2]) >= tonumber(ARGV[4]) then
  out = {2, 0, r[4], r[3], r[5], r[6] or ''}
  for _, uid in ipairs(redis.call('SMEMBERS', o)) do out[#out + 1] = uid end
else
  redis.call('HSET', KEYS[1], 'round', ARGV[4])
  out = {1, 0, r[4], r[3], r[5], r[6] or ''}
  local want = tonumber(ARGV[5])
  if r[7] == '1' then want = redis.call('ZCARD', P .. 'idle:' .. r[3]) end
  if want > 0 then
    local cands = redis.call('ZRANGE', P .. 'idle:' .. r[3], 0, want + redis.call('SCARD', t))
    for _, uid in ipairs(cands) do
      if #out - 6 >= want then break end
      if uid ~= r[4] and redis.call('SISMEMBER', t, uid) == 0 then
        redis.call('SADD', o, uid)
        redis.call('SADD', t, uid)
        redis.call('SADD', D .. 'ao:' .. uid, id)
        agentOffers(P, uid, 1)
        out[#out + 1] = uid
      end
    end
  end
end
if redis.call('SCARD', o) == 0 then out[2] = (redis.call('ZRANK', D .. 'w:' .. r[3], id) or 0) + 1 end
redis.call('ZADD', D .. 'due', math.min(tonumber(ARGV[6]) + tonumber(ARGV[7]), tonumber(r[5])), id)
return out
