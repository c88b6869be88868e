import { getAddress } from 'ethers';
import type { Manifest, ManifestAsset, ManifestChain } from '@tributary/protocol';
import { CONTRACT_ROLES, type ContractRole } from '../events/ledger-events';

export interface RegisteredChain {
  name: string;
  eid: number;
  chainId: number;
  rpcUrl: string;
  role: 'trading' | 'collateral';
  /** Depth the indexer reads at (head − confirmations): the manifest's, or the trading chain's override (0 = latest). */
  confirmations: number;
  /** The manifest's confirmations: a block this deep is final (irreversible decisions wait for it). */
  finality: number;
  startBlock: number;
  /** Contracts the indexer follows on this chain, by checksummed address. */
  contracts: { role: ContractRole; address: string }[];
  assets: ManifestChain['assets'];
  manifest: ManifestChain;
}

export interface RegistryOptions {
  /** Indexing depth of the trading chain (INDEXER_TRADING_CONFIRMATIONS); absent = the manifest's. */
  tradingConfirmations?: number;
}

/** Chains and assets of the deployment manifest; empty (indexing disabled) when no manifest is configured. */
export class ChainRegistry {
  readonly chains: readonly RegisteredChain[];
  readonly assets: readonly ManifestAsset[];

  constructor(
    readonly manifest: Manifest | null,
    options: RegistryOptions = {},
  ) {
    this.chains = (manifest?.chains ?? []).map((chain) => toRegisteredChain(chain, options));
    this.assets = manifest?.assets ?? [];
  }

  get enabled(): boolean {
    return this.manifest !== null;
  }

  chain(eid: number): RegisteredChain | undefined {
    return this.chains.find((c) => c.eid === eid);
  }

  get tradingChain(): RegisteredChain | undefined {
    return this.chains.find((c) => c.role === 'trading');
  }

  asset(assetId: number): ManifestAsset | undefined {
    return this.assets.find((a) => a.assetId === assetId);
  }
}

function toRegisteredChain(chain: ManifestChain, options: RegistryOptions): RegisteredChain {
  const contracts = CONTRACT_ROLES.flatMap((role) => {
    const address = chain.contracts[role];
    return address ? [{ role, address: getAddress(address) }] : [];
  });
  return {
    name: chain.name,
    eid: chain.eid,
    chainId: chain.chainId,
    rpcUrl: chain.rpcUrl,
    role: chain.role,
    confirmations: chain.role === 'trading' ? (options.tradingConfirmations ?? chain.confirmations) : chain.confirmations,
    finality: chain.confirmations,
    startBlock: chain.startBlock,
    contracts,
    assets: chain.assets,
    manifest: chain,
  };
}
