import { createJestConfig } from '@todo/jest-config';

// `pnpm test`: the suites that need only PostgreSQL (both services as real processes, delivering
// events to each other without sidecars), so they run with every package's tests.
export default createJestConfig({
  globalSetup: '@todo/db/testing/jest-global-setup',
  globalTeardown: '@todo/db/testing/jest-global-teardown',
  testMatch: ['<rootDir>/direct/**/*.test.ts'],
  // Each service process takes a few seconds to start from source.
  testTimeout: 60_000,
});
