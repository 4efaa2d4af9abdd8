-- sbCourseBind
-- Bind (op bind) or unbind (op unbind) a file. KEYS: course, binds, bindf.
-- ARGV: op, key, json, now → 1 changed | 0 nothing to do | -1 no course
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if ARGV[1] == 'bind' then
  redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
  return redis.call('ZADD', KEYS[2], 'NX', ARGV[4], ARGV[2])
end
redis.call('HDEL', KEYS[3], ARGV[2])
return redis.call('ZREM', KEYS[2], ARGV[2])
