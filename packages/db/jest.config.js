import { createJestConfig } from '@todo/jest-config';

// The global setup runs in jest's parent process outside the transform, so it is the compiled
// file (turbo builds this package before its tests).
export default createJestConfig({
  globalSetup: '<rootDir>/dist/testing/jest-global-setup.js',
  globalTeardown: '<rootDir>/dist/testing/jest-global-teardown.js',
});
