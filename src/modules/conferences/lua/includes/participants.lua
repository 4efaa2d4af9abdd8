-- C.now (ms) and C.ring (TELEPHONY_RING_TIMEOUT_MS) are set by each script from its ARGV: a leg
-- dialled longer ago than the ring timeout no longer counts as ringing (it can be dialled again
-- and does not keep an empty conference alive), even if its ring-timeout job was lost.
local C = {now = 0, ring = 0}
local function getp(parts, key)
  local j = redis.call('HGET', parts, key)
  if j then return cjson.decode(j) end
  return nil
end
local function putp(parts, p) redis.call('HSET', parts, p.key, cjson.encode(p)) end
local function leg(p) return p.state == 1 or p.call == 'dialling' or p.call == 'ringing' end
local function active(p)
  if p.state == 1 then return true end
  return (p.call == 'dialling' or p.call == 'ringing') and (tonumber(p.dialAt) or 0) + C.ring > C.now
end
local function incount(parts)
  local n = 0
  for _, j in ipairs(redis.call('HVALS', parts)) do if cjson.decode(j).state == 1 then n = n + 1 end end
  return n
end
-- One pass over the participants: how many are in (state 1), and the emptiness rule — while
-- live, emptySince is cleared if anyone is active, else set (kept if set) and returned ('' otherwise).
local function tally(conf, parts, now)
  local n, busy = 0, false
  for _, j in ipairs(redis.call('HVALS', parts)) do
    local p = cjson.decode(j)
    if p.state == 1 then n = n + 1 end
    if not busy and active(p) then busy = true end
  end
  if redis.call('HGET', conf, 'state') ~= 'live' then return '', n end
  if busy then
    redis.call('HDEL', conf, 'emptySince')
    return '', n
  end
  redis.call('HSETNX', conf, 'emptySince', now)
  return redis.call('HGET', conf, 'emptySince'), n
end
local function dial(conf, calls, confId, p)
  local n = redis.call('HINCRBY', conf, 'callseq', 1)
  local cid = confId .. '-' .. n
  p.callid = cid
  p.dialAt = C.now
  p.call = 'dialling'
  p.state = 0
  p.via = 'phone'
  p.dialOnStart = nil
  redis.call('HSET', calls, cid, p.key)
  return cid
end
local function newp(conf, key)
  return {key = key, state = 0, call = 'none', via = 'none', muted = false, n = redis.call('HINCRBY', conf, 'pseq', 1)}
end
