import { createJestConfig } from '@todo/jest-config';

// `pnpm test:faults`: the fault-injection scenarios, on the same real stack as the e2e suite.
export default createJestConfig({
  globalSetup: '@todo/db/testing/jest-global-setup',
  globalTeardown: '@todo/db/testing/jest-global-teardown',
  testMatch: ['<rootDir>/faults/**/*.test.ts'],
  testTimeout: 300_000,
});
