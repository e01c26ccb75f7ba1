// @ts-check
/**
 * Every package's jest.config.js spreads this. Tests run as native ESM (jest is started with
 * --experimental-vm-modules) and resolve workspace packages through their `source` export
 * condition, so a test never needs a prior build of the packages it imports.
 *
 * @param {import('jest').Config} [overrides]
 * @returns {import('jest').Config}
 */
export function createJestConfig(overrides = {}) {
  return {
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }] },
    testEnvironmentOptions: { customExportConditions: ['source', 'node', 'node-addons'] },
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    ...overrides,
  };
}
