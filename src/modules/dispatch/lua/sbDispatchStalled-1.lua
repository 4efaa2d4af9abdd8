-- sbDispatchStalled
-- For each skill of the given agents: the oldest waiting request that no agent holds an
-- offer of and whose first round has run (to run its next round now that an agent is free).
-- KEYS: any key of the app (slot). ARGV: D, P, uid… → {id, round, …}
--- @include "includes/stalled"
local uids = {}
for i = 3, #ARGV do uids[#uids + 1] = ARGV[i] end
local out = {}
stalledRequests(ARGV[1], ARGV[2], uids, out)
return out
