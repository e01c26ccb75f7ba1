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
    // Integration tests migrate real PostgreSQL databases and start relays and processes; on a
    // 2-core machine busy with other work (turbo runs several packages' suites at once) one can
    // take well over jest's default 5 s without anything being wrong. A real hang still fails:
    // `eventually` gives up after its own 10 s naming what it waited for, before this.
    testTimeout: 30_000,
    ...overrides,
  };
}
