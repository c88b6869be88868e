import { keccak256, toBeHex } from 'ethers';
import type { BlockInfo, ChainClient } from '../../src/chain/chain-client';
import type { RegisteredChain } from '../../src/chain/chain-registry';
import type { RawLog } from '../../src/events/raw-log';
import { ChainIndexer } from '../../src/indexer/chain-indexer';
import { LedgerIngestor, type CommitListener } from '../../src/ledger/ledger-ingestor';
import { MemoryLedgerStore } from './memory-ledger-store';
import { CONTRACT_ADDRESS, HUB_CHAIN, rawLog } from './synthetic';

/** A chain in memory: blocks with hashes and logs; `reorg(n)` replaces every block from n on. */
export class FakeChain implements ChainClient {
  blocks: (BlockInfo & { logs: RawLog[] })[] = [];
  private branch = 0;
  calls = { logs: [] as [number, number][], heads: 0, blocks: 0 };
  txs = new Map<string, { to: string | null; input: string }>();

  mine(logs: ((at: { block: number; index: number; fork: number }) => RawLog)[] = []): number {
    const number = this.blocks.length;
    const at = { block: number, fork: this.branch };
    const built = logs.map((make, index) => make({ ...at, index }));
    this.blocks.push({
      number,
      hash: built[0]?.blockHash ?? keccak256(toBeHex(number * 1000 + this.branch, 32)),
      timestamp: 1000 + number * 12,
      logs: built,
    });
    return number;
  }

  reorg(fromBlock: number): void {
    this.branch++;
    this.blocks = this.blocks.slice(0, fromBlock);
  }

  async head(): Promise<BlockInfo> {
    this.calls.heads++;
    return this.blocks[this.blocks.length - 1];
  }
  async block(number: number): Promise<BlockInfo | null> {
    this.calls.blocks++;
    return this.blocks[number] ?? null;
  }
  async logs(_addresses: readonly string[], fromBlock: number, toBlock: number): Promise<RawLog[]> {
    this.calls.logs.push([fromBlock, toBlock]);
    return this.blocks.slice(fromBlock, toBlock + 1).flatMap((b) => b.logs);
  }
  async transaction(hash: string): Promise<{ to: string | null; input: string } | null> {
    return this.txs.get(hash) ?? null;
  }
  vaultBalance(): Promise<bigint> {
    throw new Error('not used');
  }
  hubAttestation(): Promise<{ balance: bigint; sequence: bigint }> {
    throw new Error('not used');
  }
}

export const chain: RegisteredChain = {
  name: 'trading',
  ...HUB_CHAIN,
  rpcUrl: 'http://unused',
  role: 'trading',
  confirmations: 2,
  finality: 2,
  startBlock: 1,
  contracts: [
    { role: 'hub', address: CONTRACT_ADDRESS.hub },
    { role: 'creditManager', address: CONTRACT_ADDRESS.creditManager },
    { role: 'settlementPool', address: CONTRACT_ADDRESS.settlementPool },
  ],
  assets: [],
  manifest: {} as RegisteredChain['manifest'],
};

export const attest = (account: string, sequence: bigint, balance: bigint) => (at: { block: number; index: number; fork: number }) =>
  rawLog('hub', 'AttestationApplied', [account, 40102, 1, balance, sequence], at);
export const limit = (account: string, epoch: bigint) => (at: { block: number; index: number; fork: number }) =>
  rawLog('creditManager', 'CreditLimitSet', [account, epoch, 1000n * epoch, false], at);

export const cash = (account: string, reason: number, delta: bigint, cashAfter: bigint) => (at: { block: number; index: number; fork: number }) =>
  rawLog('settlementPool', 'CashChanged', [account, reason, delta, cashAfter], at);

export function setup(settings = { maxBlockRange: 3, reorgWindow: 16 }, options: { confirmations?: number; onCommitted?: CommitListener } = {}) {
  const fake = new FakeChain();
  const store = new MemoryLedgerStore();
  const followed = { ...chain, confirmations: options.confirmations ?? chain.confirmations };
  const indexer = new ChainIndexer(followed, fake, store, new LedgerIngestor(store, options.onCommitted), settings);
  const sync = async () => {
    const results = [];
    for (let i = 0; i < 100; i++) {
      const result = await indexer.tick();
      results.push(result);
      if (result.kind === 'caught-up') return results;
    }
    throw new Error('did not catch up');
  };
  const balance = (account: string) => store.tables.rows.collateral.get(`${account}/40102/1`)?.balance;
  return { fake, store, indexer, sync, balance };
}
