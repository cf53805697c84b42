/** Tests run the TypeScript sources directly as ES modules; jest.transform.cjs strips the types. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/jest.transform.cjs' },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/setup/isolate-mongodb-uri.cjs',
  testTimeout: 30000,
  // On two cores jest runs every file inside its own main process, one after another; ES-module test files leave
  // memory behind there, and the full suite reached the 4 GB heap limit and aborted. A memory limit makes jest
  // use a worker, replaced once it holds more than this after a file.
  workerIdleMemoryLimit: '1GB',
};
