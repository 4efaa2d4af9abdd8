-- sbPairRound
-- Round n of an ask (only right after round n-1, only while matching): withdraws the previous
-- round's offers and picks new candidates — available, not busy, not the asker, not asked
-- before by this ask, matching its filters, under their offer rate limit — least recently
-- offered first. Scene 0 offers the ask's peer (again) if available and not busy.
-- KEYS: ask. ARGV: P, id, round, want, now, window ms, max offers per window, scan
-- → {1, askUid, scene, candidates…} | {0, state} nothing to do | {-1} no ask
--- @include "includes/clear-offers"
local P, id, n, want, now = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local r = redis.call('HMGET', KEYS[1], 'state', 'askUid', 'round', 'scene', 'peer', 'fl', 'fg', 'ft')
if not r[1] then return {-1} end
if r[1] ~= 'matching' or tonumber(r[3]) ~= n - 1 then return {0, r[1]} end
redis.call('HSET', KEYS[1], 'round', n, 'roundAt', now)
clearOffers(P, id, '')
local out = {1, r[2], r[4]}
local o, asked, busy, avail = P .. 'o:' .. id, P .. 'asked:' .. id, P .. 'busy', P .. 'avail'
local function offer(uid)
  redis.call('SADD', o, uid)
  redis.call('SADD', asked, uid)
  redis.call('SADD', P .. 'co:' .. uid, id)
  local rl = P .. 'rl:' .. uid
  if redis.call('INCR', rl) == 1 then redis.call('PEXPIRE', rl, ARGV[6]) end
  redis.call('ZADD', avail, now, uid)
  out[#out + 1] = uid
end
if r[4] == '0' then
  if r[5] ~= '' and redis.call('ZSCORE', avail, r[5]) and redis.call('HEXISTS', busy, r[5]) == 0 then offer(r[5]) end
  return out
end
local max, fl, fg, ft = tonumber(ARGV[7]), r[6] or '', r[7] or '', r[8] or ''
for _, uid in ipairs(redis.call('ZRANGE', avail, 0, tonumber(ARGV[8]) - 1)) do
  if #out - 3 >= want then break end
  if uid ~= r[2] and redis.call('HEXISTS', busy, uid) == 0 and redis.call('SISMEMBER', asked, uid) == 0
    and tonumber(redis.call('GET', P .. 'rl:' .. uid) or '0') < max then
    local ok = true
    if fl ~= '' or fg ~= '' or ft ~= '' then
      local c = redis.call('HMGET', P .. 'c:' .. uid, 'lang', 'gender', 'tags')
      if fl ~= '' and c[1] ~= fl then ok = false end
      if ok and fg ~= '' and c[2] ~= fg then ok = false end
      if ok and ft ~= '' then
        ok = false
        local have = c[3] or ''
        for t in string.gmatch(ft, '[^,]+') do
          if string.find(have, ',' .. t .. ',', 1, true) then ok = true break end
        end
      end
    end
    if ok then offer(uid) end
  end
end
return out
