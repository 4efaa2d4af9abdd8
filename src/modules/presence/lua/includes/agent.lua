-- The agent hash (P .. 'a:' .. uid) as other modules change it: dispatch (offers, load) and
-- feedback (rating). Presence owns the hash: its fields are written here or in presence's own
-- scripts, and every change re-ranks the agent (agentRefresh) in the same atomic step.
--- @include "agent-refresh"

-- An offer made to the agent (delta 1) or withdrawn (-1).
local function agentOffers(P, uid, delta)
  redis.call('HINCRBY', P .. 'a:' .. uid, 'offers', delta)
  agentRefresh(P, uid)
end

-- The agent's pending offer became a conversation: one offer less, one conversation more.
local function agentTakeOffer(P, uid)
  local ak = P .. 'a:' .. uid
  redis.call('HINCRBY', ak, 'offers', -1)
  redis.call('HINCRBY', ak, 'load', 1)
  agentRefresh(P, uid)
end

-- A conversation of the agent ended at `now`: its slot is free again (idle since now when it
-- has none left). → {status, capacity, load, offers} after the change
local function agentFreeSlot(P, uid, now)
  local ak = P .. 'a:' .. uid
  if redis.call('HINCRBY', ak, 'load', -1) <= 0 then redis.call('HSET', ak, 'load', '0', 'idleSince', now) end
  agentRefresh(P, uid)
  return redis.call('HMGET', ak, 'status', 'capacity', 'load', 'offers')
end

-- A caller's score for the agent: the rating is the mean of the scores with `weight` prior
-- scores of `prior` (a new agent starts near the prior). → the new rating ('%.4f')
local function agentRate(P, uid, score, prior, weight)
  local ak = P .. 'a:' .. uid
  local sum = redis.call('HINCRBY', ak, 'ratingSum', score)
  local n = redis.call('HINCRBY', ak, 'ratingCount', 1)
  local w = tonumber(weight)
  local rating = string.format('%.4f', (sum + tonumber(prior) * w) / (n + w))
  redis.call('HSET', ak, 'rating', rating)
  agentRefresh(P, uid)
  return rating
end
