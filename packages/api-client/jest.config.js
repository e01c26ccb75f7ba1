import { createJestConfig } from '@todo/jest-config';

// The token-refresh tests run the real task-api over a per-test-file PostgreSQL database.
export default createJestConfig({
  globalSetup: '@todo/db/testing/jest-global-setup',
  globalTeardown: '@todo/db/testing/jest-global-teardown',
});
