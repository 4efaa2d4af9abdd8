-- tpClearDeviceIf
-- Clears a device id only if it is still the one given: APNs said a token is dead, and a
-- new one stored since (updateDeviceid.do racing the push) must survive.
-- KEYS: device. ARGV: uid, deviceId → 1 cleared | 0 not that one (or none)
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
return redis.call('HDEL', KEYS[1], ARGV[1])
