-- Releases every pending offer of request `id` (Lua; D, P prefixes). Returns the agents.
--- @include "../../../presence/lua/includes/agent"
local function releaseOffers(D, P, id, keep)
  local all = redis.call('SMEMBERS', D .. 'o:' .. id)
  redis.call('DEL', D .. 'o:' .. id)
  local out = {}
  for _, a in ipairs(all) do
    redis.call('SREM', D .. 'ao:' .. a, id)
    if a == keep then
      agentTakeOffer(P, a)
    else
      agentOffers(P, a, -1)
      out[#out + 1] = a
    end
  end
  return out
end
