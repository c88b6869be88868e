import { ConfigFileError, parseDeployConfig, type ChainConfig } from '../config/schema';
import { deploy, recordedConfig, type DeployResult } from './deployer';

export class UnknownDeploymentError extends Error {}

export interface AddChainOptions {
  manifestPath: string;
  chain: ChainConfig;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/**
 * Adds a collateral chain to a recorded deployment: the recorded deploy config plus this chain, deployed
 * with the same idempotent steps (existing chains are only read; the new chain gets LayerZero if local, a
 * vault with its assets, and the wiring with the hub both ways; the hub learns the assets' decimals there).
 */
export async function addChain(options: AddChainOptions): Promise<DeployResult> {
  const recorded = recordedConfig(options.manifestPath);
  if (!recorded)
    throw new UnknownDeploymentError(
      `no deployment recorded at ${options.manifestPath} (its .extra.json sidecar is missing); run "tributary deploy" first`,
    );
  if (options.chain.role !== 'collateral')
    throw new ConfigFileError('add-chain adds collateral chains only (the trading chain is fixed by the deployment)');
  const same = recorded.chains.find((c) => c.name === options.chain.name || c.eid === options.chain.eid);
  if (same && JSON.stringify(same) !== JSON.stringify(options.chain)) {
    throw new ConfigFileError(
      `chain "${options.chain.name}" (eid ${options.chain.eid}) clashes with recorded chain "${same.name}" (eid ${same.eid})`,
    );
  }
  const chains = same ? recorded.chains : [...recorded.chains, options.chain];
  const config = parseDeployConfig({ ...recorded, chains }, 'deploy config with the new chain');
  return deploy({ config, manifestPath: options.manifestPath, env: options.env, log: options.log });
}
