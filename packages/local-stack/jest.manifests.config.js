import { createJestConfig } from '@todo/jest-config';

// Run by infra/scripts/check-manifests.sh (`pnpm check:manifests`) once kustomize is installed.
export default createJestConfig({
  testMatch: ['<rootDir>/test/manifests/**/*.test.ts'],
});
