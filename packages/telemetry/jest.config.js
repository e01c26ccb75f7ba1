import { createJestConfig } from '@todo/jest-config';

export default createJestConfig({
  globalSetup: '@todo/db/testing/jest-global-setup',
  globalTeardown: '@todo/db/testing/jest-global-teardown',
});
