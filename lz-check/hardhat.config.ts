import 'hardhat-deploy';
import '@layerzerolabs/toolbox-hardhat';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HardhatUserConfig } from 'hardhat/types';
import { readExport } from './src/export';

// Networks from the export of the running devnet (src/run.ts writes it), each with an eid LayerZero's
// definitions know. No sources: nothing is compiled here.
const networks: HardhatUserConfig['networks'] = {};
if (existsSync(join(__dirname, 'generated', 'pathways.json'))) {
  const data = readExport();
  for (const chain of data.chains) networks[chain.network] = { eid: chain.eid, url: chain.rpcUrl, accounts: [data.deployerKey] } as never;
}

const config: HardhatUserConfig = {
  solidity: '0.8.22',
  paths: { sources: './no-sources', cache: './cache', artifacts: './artifacts' },
  networks,
};

export default config;
