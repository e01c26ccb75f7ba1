import { createJestConfig } from '@todo/jest-config';

// test/manifests needs kustomize (built with Go): `pnpm check:manifests` runs it with
// jest.manifests.config.js, so `pnpm test` needs nothing beyond Node.
export default createJestConfig({
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/manifests/'],
});
