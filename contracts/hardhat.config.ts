import { subtask } from 'hardhat/config';
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from 'hardhat/builtin-tasks/task-names';
import type { HardhatUserConfig } from 'hardhat/types';
import '@nomicfoundation/hardhat-ethers';
import '@nomicfoundation/hardhat-chai-matchers';
import '@typechain/hardhat';
import { hardhatNetworkFromEnv } from './lib/node/network-env';

// Hardhat's compiler download is unreachable here: compile with the wasm build the `solc` npm package ships.
const SOLC_VERSION: string = require('solc/package.json').version;

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  const solc = require('solc');
  return {
    compilerPath: require.resolve('solc/soljson.js'),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

const config: HardhatUserConfig = {
  solidity: {
    compilers: [{ version: SOLC_VERSION, settings: { optimizer: { enabled: true, runs: 10_000 }, evmVersion: 'cancun', viaIR: false } }],
    // The hub and the vault carry the liquidation flow too: optimized for size to stay under EIP-170's 24,576 bytes.
    overrides: Object.fromEntries(
      ['src/MarginHub.sol', 'src/CollateralVault.sol'].map((file) => [
        file,
        { version: SOLC_VERSION, settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun', viaIR: false } },
      ]),
    ),
  },
  paths: { sources: './src', tests: './test', cache: './cache', artifacts: './artifacts' },
  typechain: { outDir: 'typechain-types', target: 'ethers-v6' },
  networks: { hardhat: hardhatNetworkFromEnv() },
  mocha: { timeout: 120_000 },
};

export default config;
