-- Lua: puts an agent into (or takes it out of) the idle set of each of its skills, from its
-- hash. An agent is idle for dispatch when online with capacity − load − offers > 0. Score =
-- round((5 − rating) × 100) × 1e13 + idleSince: ascending order is highest rating first, then
-- longest idle (idleSince < 1e13 ms; the score stays an exact integer below 2^53). Every
-- script that changes status, skills, load, offers or rating calls it (dispatch too).
local function agentRefresh(P, uid)
  local a = redis.call('HMGET', P .. 'a:' .. uid, 'status', 'skills', 'capacity', 'load', 'offers', 'idleSince', 'rating')
  if not a[1] then return end
  local slots = (tonumber(a[3]) or 1) - (tonumber(a[4]) or 0) - (tonumber(a[5]) or 0)
  local free = a[1] == 'online' and slots > 0
  local score = '0'
  if free then
    local r = tonumber(a[7]) or 4
    score = string.format('%.0f', math.floor((5 - r) * 100 + 0.5) * 1e13 + (tonumber(a[6]) or 0))
  end
  for skill in string.gmatch(a[2] or '', '[^,]+') do
    if free then redis.call('ZADD', P .. 'idle:' .. skill, score, uid) else redis.call('ZREM', P .. 'idle:' .. skill, uid) end
  end
end
