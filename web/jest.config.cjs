// Unit tests of the web app's pure parts (formatting, chart scales, stage plans, the runtime config rule) and a
// scan of the production bundle for private keys; the app itself is tested in a real browser by test/e2e/web.test.ts.
const preset = require('../jest.preset.js');

module.exports = {
  ...preset,
  rootDir: __dirname,
  transform: {
    '^.+\\.(t|j|mj)sx?$': [
      require.resolve('@swc/jest'),
      {
        jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'json'],
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '^@tributary/sdk$': '<rootDir>/../sdk/src/index.ts',
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
};
