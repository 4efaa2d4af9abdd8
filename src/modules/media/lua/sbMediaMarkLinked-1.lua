-- sbMediaMarkLinked
-- KEYS: recording hash. ARGV: now ms. Marks it linked once every handler succeeded.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'linked', '1', 'linkedAt', ARGV[1])
return 1
