import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Writes a Tributary deployment in LayerZero's conventions: hardhat-deploy files
 * `deployments/<network>/<Contract>.json` ({ address, abi }) for the hub and the vaults, and
 * `generated/pathways.json`, which layerzero.config.ts turns into the OApp config the deploy package wrote
 * (libraries, ULN and executor configs, enforced options).
 */
export interface ExportedChain {
  /** The hardhat network name (LayerZero's naming: sepolia-testnet, …). */
  network: string;
  eid: number;
  chainId: number;
  rpcUrl: string;
  contractName: 'MarginHub' | 'CollateralVault';
  address: string;
  sendUln302: string;
  receiveUln302: string;
  executor: string;
  confirmations: number;
  /** Send side: the DVN contracts SendUln302 assigns jobs to; receive side: the keys ReceiveUln302 accepts. */
  sendDvns: string[];
  receiveDvns: string[];
}

export interface ExportedPathway {
  from: string;
  to: string;
  /** Enforced options by message type, decoded: the lzReceive gas (and value) of each. */
  enforcedOptions: { msgType: number; gas: string; value: string }[];
}

export interface Export {
  chains: ExportedChain[];
  pathways: ExportedPathway[];
  maxMessageSize: number;
  deployerKey: string;
}

const ROOT = resolve(__dirname, '..');
const ARTIFACTS = resolve(ROOT, '..', 'contracts', 'artifacts', 'src');

export function writeExport(data: Export): void {
  rmSync(join(ROOT, 'deployments'), { recursive: true, force: true });
  for (const chain of data.chains) {
    const dir = join(ROOT, 'deployments', chain.network);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.chainId'), String(chain.chainId));
    const artifact = JSON.parse(readFileSync(join(ARTIFACTS, `${chain.contractName}.sol`, `${chain.contractName}.json`), 'utf8')) as { abi: unknown };
    writeFileSync(join(dir, `${chain.contractName}.json`), JSON.stringify({ address: chain.address, abi: artifact.abi }, null, 2));
  }
  mkdirSync(join(ROOT, 'generated'), { recursive: true });
  writeFileSync(join(ROOT, 'generated', 'pathways.json'), JSON.stringify(data, null, 2));
}

export function readExport(): Export {
  return JSON.parse(readFileSync(join(ROOT, 'generated', 'pathways.json'), 'utf8')) as Export;
}
