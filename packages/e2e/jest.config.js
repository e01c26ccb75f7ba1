import { createJestConfig } from '@todo/jest-config';

export default createJestConfig({
  globalSetup: '@todo/db/testing/jest-global-setup',
  globalTeardown: '@todo/db/testing/jest-global-teardown',
  // The stack takes a while to start (and the first run builds daprd), so hooks get room too.
  testTimeout: 180_000,
});
