-- sbWhDelete
-- KEYS: eps, ep. ARGV: endpointId → 1 | 0
redis.call('ZREM', KEYS[1], ARGV[1])
return redis.call('DEL', KEYS[2])
