import { createJestConfig } from '@todo/jest-config';

// `pnpm bench:bulk`: the engine's own cost per event, printed (test/bench/*.bench.ts). Not part
// of `pnpm test`: numbers are printed, never asserted.
export default createJestConfig({
  globalSetup: '@todo/db/testing/jest-global-setup',
  globalTeardown: '@todo/db/testing/jest-global-teardown',
  testMatch: ['<rootDir>/test/bench/**/*.bench.ts'],
  testTimeout: 600_000,
});
