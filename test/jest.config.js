module.exports = {
  ...require('../jest.preset.js'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/e2e/**/*.test.ts'],
  testTimeout: 300_000,
};
