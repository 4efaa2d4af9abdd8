-- sbRevokeSession
-- Marks a session revoked and drops it from the user's set. KEYS: session, usess. ARGV: tokenHash
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'revoked') == '1' then return -1 end
redis.call('HSET', KEYS[1], 'revoked', '1')
redis.call('SREM', KEYS[2], ARGV[1])
return 1
