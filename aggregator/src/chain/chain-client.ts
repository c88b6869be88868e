import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { BlockTag, JsonRpcProvider } from 'ethers';
import { ICollateralVault__factory, IMarginHub__factory } from '@tributary/contracts';
import type { RawLog } from '../events/raw-log';
import { chainProvider } from './chain-provider';
import type { RegisteredChain } from './chain-registry';

export interface BlockInfo {
  number: number;
  hash: string;
  timestamp: number;
}

/** Everything the aggregator reads from one chain (the RPC side effect behind an interface). */
export interface ChainClient {
  head(): Promise<BlockInfo>;
  block(number: number): Promise<BlockInfo | null>;
  logs(addresses: readonly string[], fromBlock: number, toBlock: number): Promise<RawLog[]>;
  /** A mined transaction's target and calldata (the credit push's entries live only there). */
  transaction(hash: string): Promise<{ to: string | null; input: string } | null>;
  /** Vault custody of (account, asset): free + locked. */
  vaultBalance(vault: string, account: string, assetId: number, blockTag: BlockTag): Promise<bigint>;
  hubAttestation(hub: string, account: string, eid: number, assetId: number, blockTag: BlockTag): Promise<{ balance: bigint; sequence: bigint }>;
}

class JsonRpcChainClient implements ChainClient {
  constructor(readonly provider: JsonRpcProvider) {}

  async head(): Promise<BlockInfo> {
    const block = await this.provider.getBlock('latest');
    if (!block?.hash) throw new Error('no latest block');
    return { number: block.number, hash: block.hash, timestamp: block.timestamp };
  }

  async block(number: number): Promise<BlockInfo | null> {
    const block = await this.provider.getBlock(number);
    return block?.hash ? { number: block.number, hash: block.hash, timestamp: block.timestamp } : null;
  }

  async transaction(hash: string): Promise<{ to: string | null; input: string } | null> {
    const tx = await this.provider.getTransaction(hash);
    return tx ? { to: tx.to, input: tx.data } : null;
  }

  async logs(addresses: readonly string[], fromBlock: number, toBlock: number): Promise<RawLog[]> {
    const logs = await this.provider.send('eth_getLogs', [{ address: addresses, fromBlock: hex(fromBlock), toBlock: hex(toBlock) }]);
    return (logs as RpcLog[]).map((log) => ({
      address: log.address,
      topics: log.topics,
      data: log.data,
      blockNumber: Number(log.blockNumber),
      blockHash: log.blockHash,
      logIndex: Number(log.logIndex),
      transactionHash: log.transactionHash,
    }));
  }

  async vaultBalance(vault: string, account: string, assetId: number, blockTag: BlockTag): Promise<bigint> {
    const balance = await ICollateralVault__factory.connect(vault, this.provider).balanceOf(account, assetId, { blockTag });
    return balance.free + balance.locked;
  }

  async hubAttestation(
    hub: string,
    account: string,
    eid: number,
    assetId: number,
    blockTag: BlockTag,
  ): Promise<{ balance: bigint; sequence: bigint }> {
    const stored = await IMarginHub__factory.connect(hub, this.provider).attestation(account, eid, assetId, { blockTag });
    return { balance: stored.balance, sequence: stored.sequence };
  }
}

interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  logIndex: string;
  transactionHash: string;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** One JSON-RPC client per chain, created on first use. */
@Injectable()
export class ChainClients implements OnModuleDestroy {
  private readonly clients = new Map<number, JsonRpcChainClient>();

  for(chain: RegisteredChain): ChainClient {
    let client = this.clients.get(chain.eid);
    if (!client) {
      client = new JsonRpcChainClient(chainProvider(chain));
      this.clients.set(chain.eid, client);
    }
    return client;
  }

  onModuleDestroy(): void {
    for (const client of this.clients.values()) client.provider.destroy();
    this.clients.clear();
  }
}
