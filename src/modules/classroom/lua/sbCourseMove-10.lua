-- sbCourseMove
-- The course state machine. KEYS: course, idx:s:0..3 (2-5), idx:h:<uid>:s:0..3 (6-9), room hash (10).
-- ARGV: op (start|end|recorded), now (s), roomnum, url, overwrite (1|0 for recorded)
-- → {1 changed | 0 nothing to do, state} | {-1} no course | {-2, state} already ended | {-3} room not open
--   start:    0 → 1, begin_time, begin_imseq = the room's chat seq now; 1 → no-op
--   end:      0|1 → 2 (3 when a recording already arrived), end_time, end_imseq; 2|3 → no-op
--   recorded: sets playback_idx_url (a file never overwrites an index unless overwrite=1); 2 → 3
local c = redis.call('HMGET', KEYS[1], 'state', 'created', 'playback_idx_url')
if not c[1] then return {-1} end
local st = tonumber(c[1])
local to = st
local op = ARGV[1]
if op == 'start' then
  if st == 1 then return {0, st} end
  if st ~= 0 then return {-2, st} end
  if redis.call('HGET', KEYS[10], 'state') ~= 'open' then return {-3} end
  to = 1
  redis.call('HSET', KEYS[1], 'state', to, 'begin_time', ARGV[2], 'begin_imseq', redis.call('HGET', KEYS[10], 'imseq') or '0')
elseif op == 'end' then
  if st >= 2 then return {0, st} end
  to = 2
  if c[3] and c[3] ~= '' then to = 3 end
  redis.call('HSET', KEYS[1], 'state', to, 'end_time', ARGV[2], 'end_imseq', redis.call('HGET', KEYS[10], 'imseq') or '0')
elseif op == 'recorded' then
  local had = c[3] and c[3] ~= ''
  if had and (c[3] == ARGV[4] or ARGV[5] ~= '1') then
    if st ~= 2 then return {0, st} end
  else
    redis.call('HSET', KEYS[1], 'playback_idx_url', ARGV[4])
  end
  if st == 2 then to = 3 end
  if to == st then return {1, st} end
  redis.call('HSET', KEYS[1], 'state', to)
else
  return redis.error_reply('unknown op ' .. op)
end
redis.call('ZREM', KEYS[2 + st], ARGV[3])
redis.call('ZADD', KEYS[2 + to], c[2], ARGV[3])
redis.call('ZREM', KEYS[6 + st], ARGV[3])
redis.call('ZADD', KEYS[6 + to], c[2], ARGV[3])
return {1, to}
