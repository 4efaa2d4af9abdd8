-- imForceOffline
-- No socket is left on any node although the set says so (a node died): offline now.
-- KEYS: socks set, online hash. ARGV: uid → 1 flipped | 0 already offline
redis.call('DEL', KEYS[1])
return redis.call('HDEL', KEYS[2], ARGV[1])
