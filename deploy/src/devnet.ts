import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { JsonRpcProvider } from 'ethers';
import { deployEndpoint, devWallet, startHardhatNode, type LocalChain } from '@tributary/contracts';
import { startServiceProcess, waitForHttp, type ServiceProcess } from './processes';

export interface DevnetOptions {
  /** Where logs and the embedded databases go. */
  dir: string;
  chainPort: number;
  aggregatorPort: number;
  relayerPort: number;
  blockTimeMs: number;
  log: (line: string) => void;
}

export interface Devnet {
  chains: LocalChain[];
  services: ServiceProcess[];
  stop(): Promise<void>;
}

const workspaceRoot = resolve(__dirname, '..', '..');

export async function startDevnet(options: DevnetOptions): Promise<Devnet> {
  mkdirSync(options.dir, { recursive: true });
  const chains: LocalChain[] = [];
  const services: ServiceProcess[] = [];
  const stop = async () => {
    await Promise.all(services.map((s) => s.stop()));
    await Promise.all(chains.map((c) => c.stop()));
  };
  try {
    options.log(`starting trading chain (hardhat node, chainId 31337) on port ${options.chainPort}…`);
    const chain = await startHardhatNode({ chainId: 31337, port: options.chainPort, blockTimeMs: options.blockTimeMs });
    chains.push(chain);
    const provider = new JsonRpcProvider(chain.rpcUrl, chain.chainId, { staticNetwork: true, pollingInterval: 200 });
    options.log('deploying LayerZero V2 EndpointV2 + ULN302 (eid 40101)…');
    const endpoint = await deployEndpoint(devWallet(0, provider), 40101);
    options.log(`  EndpointV2 ${endpoint.endpoint}`);
    provider.destroy();

    const common = { LOG_LEVEL: 'info', RPC_URL: chain.rpcUrl };
    const aggregator = startServiceProcess(
      'aggregator',
      join(workspaceRoot, 'aggregator', 'dist', 'main.js'),
      { ...common, PORT: String(options.aggregatorPort), SQLJS_PATH: join(options.dir, 'aggregator.sqlite') },
      join(options.dir, 'aggregator.log'),
    );
    services.push(aggregator);
    const relayer = startServiceProcess(
      'relayer',
      join(workspaceRoot, 'relayer', 'dist', 'main.js'),
      { ...common, PORT: String(options.relayerPort), SQLJS_PATH: join(options.dir, 'relayer.sqlite') },
      join(options.dir, 'relayer.log'),
    );
    services.push(relayer);
    await waitForHttp(`http://127.0.0.1:${options.aggregatorPort}/health`, aggregator);
    await waitForHttp(`http://127.0.0.1:${options.relayerPort}/health`, relayer);
    return { chains, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
