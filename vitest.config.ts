import { defineConfig } from 'vitest/config';

// Two passes (`npm test` runs both):
// - single: every test against one throwaway redis-server;
// - cluster: the integration suite of the features where Redis Cluster changes something
//   (scripts, transactions, queues, the adapter, sweeps over app indexes), the five
//   dialects, and test/cluster/ (the cross-slot guard, failover), against a throwaway
//   3-master 3-replica Redis Cluster (test/setup/cluster.ts).
const CLUSTER_PASS = [
  'test/cluster/**/*.test.ts',
  'test/dialects/*.test.ts',
  'test/integration/accounts.test.ts',
  'test/integration/adapters.test.ts',
  'test/integration/publish-only-adapter.test.ts',
  'test/integration/redis-writes.test.ts',
  'test/integration/gateway.test.ts',
  'test/integration/rooms.test.ts',
  'test/integration/dispatch.test.ts',
  'test/integration/dispatch-race.test.ts',
  'test/integration/billing.test.ts',
  'test/integration/pairing.test.ts',
  'test/integration/webhooks.test.ts',
  'test/integration/dashboard.test.ts',
  'test/integration/domain-events.test.ts',
  'test/integration/conferences.test.ts',
  'test/integration/customerservice.test.ts',
  'test/integration/webim.test.ts',
  'test/integration/push.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Files run in parallel processes; each uses its own apps and queue prefix on the shared Redis.
    pool: 'forks',
    setupFiles: ['test/setup/modules.ts'],
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'single', include: ['test/**/*.test.ts'], exclude: ['test/cluster/**'], globalSetup: ['test/setup/redis.ts'] } },
      { extends: true, test: { name: 'cluster', include: CLUSTER_PASS, globalSetup: ['test/setup/cluster.ts'] } },
    ],
  },
});
