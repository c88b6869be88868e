// Shared Jest setup: @swc/jest with legacy decorators + metadata (NestJS 12 is ESM-only,
// so swc must also transform @nestjs and its ESM dependencies; see docs/architecture.md#toolchain-notes).
const esmPackages = ['@nestjs', 'file-type', 'strtok3', 'token-types', '@tokenizer', '@borewit', 'uint8array-extras'];

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': [
      require.resolve('@swc/jest'),
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: {
    '^@tributary/protocol$': '<rootDir>/../protocol/src/index.ts',
    '^@tributary/risk$': '<rootDir>/../risk/src/index.ts',
    '^@tributary/service-kit$': '<rootDir>/../service-kit/src/index.ts',
  },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.spec.ts'],
};
