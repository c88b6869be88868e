import type { BlockInfo, ChainClient } from '../chain/chain-client';
import type { RegisteredChain } from '../chain/chain-registry';
import { decodeLog } from '../events/event-decoder';
import { CreditPushExpander } from './credit-push-expander';
import type { LedgerIngestor } from '../ledger/ledger-ingestor';
import type { BlockHash, IndexedLog, LedgerStore } from '../ledger/ledger-store';

export interface IndexerSettings {
  /** Largest eth_getLogs range. */
  maxBlockRange: number;
  /** How many recent block hashes are kept (and checked) per chain to detect reorgs. */
  reorgWindow: number;
}

export type TickResult =
  | { kind: 'indexed'; fromBlock: number; toBlock: number; applied: number; duplicates: number; headBlock: number }
  | { kind: 'caught-up'; headBlock: number }
  | { kind: 'reorg'; forkBlock: number; orphaned: number; rebuiltAccounts: number }
  | { kind: 'retry'; reason: string };

/**
 * Follows one chain: detects a reorg (a stored block hash no longer canonical) and rolls back to the newest
 * block still canonical; otherwise reads the next bounded range up to head − confirmations and ingests it.
 * A head equal (number and hash) to the one last seen caught up needs nothing: the chain below it is unchanged.
 */
export class ChainIndexer {
  /** Head (number:hash) at which this indexer was last caught up: the same head again is a no-op tick. */
  private caughtUpAt: string | null = null;
  /** Head last recorded while caught up: an unchanged head needs no write (sql.js saves its file per write). */
  private recordedHead = -1;
  /**
   * The stored cursor as this replica last left or saw it. Replicas share the cursor: when another one moved it
   * past this, the blocks in between were indexed there and this replica's readers (risk engine, credit pusher)
   * must still hear of the accounts they changed.
   */
  private seen?: number;
  private readonly creditPushes: CreditPushExpander;

  constructor(
    private readonly chain: RegisteredChain,
    private readonly client: ChainClient,
    private readonly store: LedgerStore,
    private readonly ingestor: LedgerIngestor,
    private readonly settings: IndexerSettings,
  ) {
    this.creditPushes = new CreditPushExpander(chain, client);
  }

  async tick(): Promise<TickResult> {
    const headSeenAt = Date.now();
    const head = await this.client.head();
    if (this.caughtUpAt === `${head.number}:${head.hash}`) return { kind: 'caught-up', headBlock: head.number };
    this.caughtUpAt = null;
    const reorg = await this.checkReorg(head);
    if (reorg) return reorg;
    const next = (await this.store.cursor(this.chain.eid)) ?? this.chain.startBlock;
    if (this.seen !== undefined && next > this.seen) await this.announceIndexedElsewhere(this.seen, next - 1);
    this.seen = next;
    const safe = head.number - this.chain.confirmations;
    if (next > safe) {
      if (head.number === this.recordedHead) {
        this.caughtUpAt = `${head.number}:${head.hash}`;
        return { kind: 'caught-up', headBlock: head.number };
      }
      const indexed = next - 1 >= 0 ? await this.client.block(next - 1) : null;
      await this.ingestor.ingest({
        chainId: this.chain.chainId,
        eid: this.chain.eid,
        fromBlock: next,
        toBlock: next - 1,
        logs: [],
        blockHashes: [],
        cursor: { eid: this.chain.eid, nextBlock: next, headBlock: head.number, headTime: head.timestamp, indexedTime: indexed?.timestamp ?? null },
      });
      this.recordedHead = head.number;
      this.caughtUpAt = `${head.number}:${head.hash}`;
      return { kind: 'caught-up', headBlock: head.number };
    }
    const to = Math.min(safe, next + this.settings.maxBlockRange - 1);
    const end = to === head.number ? head : await this.client.block(to);
    if (!end) return { kind: 'retry', reason: `block ${to} not available` };
    const addresses = this.chain.contracts.map((c) => c.address);
    const rawLogs = addresses.length ? await this.creditPushes.expand(await this.client.logs(addresses, next, to)) : [];
    if (rawLogs.some((log) => log.blockNumber === to && log.blockHash !== end.hash))
      return { kind: 'retry', reason: `block ${to} changed while reading` };

    const logs = this.decode(rawLogs);
    const hashes = new Map<number, string>([[to, end.hash]]);
    for (const { raw } of logs) hashes.set(raw.blockNumber, raw.blockHash);
    const blockHashes: BlockHash[] = [...hashes].map(([number, hash]) => ({ number, hash }));
    const result = await this.ingestor.ingest({
      chainId: this.chain.chainId,
      eid: this.chain.eid,
      fromBlock: next,
      toBlock: to,
      logs,
      blockHashes,
      cursor: { eid: this.chain.eid, nextBlock: to + 1, headBlock: head.number, headTime: head.timestamp, indexedTime: end.timestamp },
      pruneAtOrBelow: to - this.settings.reorgWindow,
      headSeenAt,
    });
    if (to === safe) {
      // Caught up, and the cursor row already holds this head: the next tick at this head does nothing.
      this.recordedHead = head.number;
      this.caughtUpAt = `${head.number}:${head.hash}`;
    }
    this.seen = to + 1;
    return { kind: 'indexed', fromBlock: next, toBlock: to, headBlock: head.number, ...result };
  }

  private decode(rawLogs: Awaited<ReturnType<ChainClient['logs']>>): IndexedLog[] {
    const roleByAddress = new Map(this.chain.contracts.map((c) => [c.address.toLowerCase(), c.role]));
    const logs: IndexedLog[] = [];
    for (const raw of rawLogs) {
      const role = roleByAddress.get(raw.address.toLowerCase());
      const envelope = role ? decodeLog(role, this.chain, raw) : null;
      if (envelope) logs.push({ envelope, raw });
    }
    return logs;
  }

  /** Announces the accounts of blocks `from`–`to`, which another replica indexed (read again from the chain, not written). */
  private async announceIndexedElsewhere(from: number, to: number): Promise<void> {
    const addresses = this.chain.contracts.map((c) => c.address);
    if (!addresses.length) return;
    for (let start = from; start <= to; start += this.settings.maxBlockRange) {
      const raw = await this.client.logs(addresses, start, Math.min(to, start + this.settings.maxBlockRange - 1));
      const logs = this.decode(await this.creditPushes.expand(raw));
      this.ingestor.announce(
        this.chain.eid,
        logs.map((l) => l.envelope),
      );
    }
  }

  /** Compares the newest stored hash with the canonical chain and walks back to the fork point if needed. */
  private async checkReorg(head: BlockInfo): Promise<TickResult | null> {
    const stored = await this.store.recentBlockHashes(this.chain.eid, this.settings.reorgWindow);
    if (!stored.length) return null;
    if (await this.isCanonical(stored[0], head)) return null;
    let forkBlock = this.chain.startBlock - 1; // deeper than the window: re-index the chain from its start
    for (const candidate of stored.slice(1)) {
      if (await this.isCanonical(candidate, head)) {
        forkBlock = candidate.number;
        break;
      }
    }
    this.creditPushes.reset();
    const result = await this.ingestor.rollback(this.chain.eid, forkBlock);
    return { kind: 'reorg', forkBlock, ...result };
  }

  private async isCanonical(stored: BlockHash, head: BlockInfo): Promise<boolean> {
    if (stored.number > head.number) return false;
    const block = stored.number === head.number ? head : await this.client.block(stored.number);
    return block?.hash === stored.hash;
  }
}
