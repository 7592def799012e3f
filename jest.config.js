/** Jest projects: unit (pure core), contract (local cloud vs the real SDKs),
 * integration (real functions through the real SDK on the local cloud), e2e (h5 build in Chromium). */
const tsJest = ['ts-jest', { diagnostics: false, tsconfig: { module: 'commonjs', esModuleInterop: true, target: 'ES2020', isolatedModules: true } }];
const base = { testEnvironment: 'node', transform: { '^.+\\.tsx?$': tsJest }, moduleFileExtensions: ['ts', 'tsx', 'js', 'json'] };
module.exports = {
  // testTimeout is a global option in jest (ignored per project); integration/e2e files set their own too.
  testTimeout: 120000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    { ...base, displayName: 'contract', testMatch: ['<rootDir>/tests/contract/**/*.test.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/tests/integration/**/*.test.ts'], testTimeout: 120000 },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'] },
  ],
};
