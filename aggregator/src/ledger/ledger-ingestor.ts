import { decodeLog } from '../events/event-decoder';
import type { LedgerEnvelope } from '../events/ledger-events';
import { LedgerSlice, applyEvents, keysOf } from './ledger-state';
import type { BlockHash, CursorUpdate, IndexedLog, LedgerStore, LedgerWriter, StoredEvent } from './ledger-store';

/** One block range of one chain, read and decoded by the indexer. */
export interface IngestBatch {
  chainId: number;
  eid: number;
  fromBlock: number;
  toBlock: number;
  logs: readonly IndexedLog[];
  /** Hashes to remember for reorg detection (blocks with events and the range's last block). */
  blockHashes: readonly BlockHash[];
  cursor: CursorUpdate;
  /** Keep block hashes above this block only (older ones are final). */
  pruneAtOrBelow?: number;
  /** Wall time (ms) the indexer read the head this batch reads up to (the reaction-latency metric starts there). */
  headSeenAt?: number;
}

export interface IngestResult {
  applied: number;
  duplicates: number;
}

export interface RollbackResult {
  orphaned: number;
  rebuiltAccounts: number;
}

/** A reorg rolled `eid` back to `forkBlock` (the newest block still canonical). */
export interface RolledBack {
  eid: number;
  forkBlock: number;
}

/** Which chain a commit was of; the rollback if it was one; when the indexer read the head the batch reached (ms). */
export interface CommitInfo {
  eid: number;
  reorg?: RolledBack;
  headSeenAt?: number;
}

/** Told after each commit: the accounts it changed, whether a chain's liveness may have moved, and `CommitInfo`. */
export type CommitListener = (accounts: ReadonlySet<string>, liveness: boolean, info: CommitInfo) => void;

/** Chain order inside one chain; across chains rows are merged by version so any stable order works. */
export const byChainOrder = (a: LedgerEnvelope, b: LedgerEnvelope): number =>
  a.origin.eid - b.origin.eid || a.origin.blockNumber - b.origin.blockNumber || a.origin.logIndex - b.origin.logIndex;

/**
 * Applies indexed events to the ledger: the event log insert, the ledger rows and the cursor move in one
 * transaction, so each event is applied exactly once even across crashes; already-stored events (same
 * chainId, blockHash, logIndex) are skipped. Also rolls back reorged blocks.
 */
export class LedgerIngestor {
  constructor(
    private readonly store: LedgerStore,
    private readonly onCommitted: CommitListener = () => undefined,
  ) {}

  async ingest(batch: IngestBatch): Promise<IngestResult> {
    const result = await this.store.transaction(async (writer) => {
      await writer.lockChain(batch.eid);
      const existing = batch.logs.length ? await writer.existingEventKeys(batch.eid, batch.fromBlock, batch.toBlock) : new Set<string>();
      const fresh = batch.logs.filter(({ raw }) => !existing.has(`${raw.blockHash}:${raw.logIndex}`));
      if (fresh.length) {
        await writer.insertEvents(fresh);
        const envelopes = fresh.map((log) => log.envelope);
        const slice = await writer.loadSlice(keysOf(envelopes));
        applyEvents(slice, envelopes);
        await writer.saveSlice(slice);
        const heard = lastMessageBlocks(envelopes);
        if (heard.size) await writer.raiseLastMessageBlocks(heard);
      }
      await writer.saveBlockHashes(batch.eid, batch.blockHashes);
      if (batch.pruneAtOrBelow !== undefined) await writer.pruneBlockHashes(batch.eid, batch.pruneAtOrBelow);
      await writer.setCursor(batch.cursor);
      return { applied: fresh.length, duplicates: batch.logs.length - fresh.length };
    });
    // Duplicates included: with several replicas, another one may have committed these events first, and this
    // replica's readers (the risk engine) must still hear of the accounts they changed.
    const envelopes = batch.logs.map((log) => log.envelope);
    this.onCommitted(keysOf(envelopes).accounts, lastMessageBlocks(envelopes).size > 0, { eid: batch.eid, headSeenAt: batch.headSeenAt });
    return result;
  }

  /** Tells this replica's readers about events another replica committed (nothing is written). */
  announce(eid: number, envelopes: readonly LedgerEnvelope[]): void {
    if (envelopes.length) this.onCommitted(keysOf(envelopes).accounts, lastMessageBlocks(envelopes).size > 0, { eid });
  }

  /**
   * Undoes everything of `eid` above `forkBlock` (the newest block still canonical): deletes the orphaned
   * events, rebuilds the rows of the accounts and epochs they touched from the remaining events, lowers the
   * last-message blocks they raised, rewinds the cursor. Listeners hear of the rollback (the credit pusher
   * reloads what it believes is on chain).
   */
  async rollback(eid: number, forkBlock: number): Promise<RollbackResult> {
    let touched: ReadonlySet<string> = new Set();
    let orphanedEvents = 0;
    const result = await this.store.transaction(async (writer) => {
      await writer.lockChain(eid);
      const orphaned = await writer.deleteEventsAbove(eid, forkBlock);
      await rebuildRows(writer, orphaned.accounts, orphaned.epochs);
      if (orphaned.heardFrom.size) await writer.resetLastMessageBlocks(eid, orphaned.heardFrom);
      await writer.rewindCursor(eid, forkBlock + 1);
      touched = orphaned.accounts;
      orphanedEvents = orphaned.count;
      return { orphaned: orphaned.count, rebuiltAccounts: orphaned.accounts.size };
    });
    this.onCommitted(touched, orphanedEvents > 0, { eid, reorg: { eid, forkBlock } });
    return result;
  }
}

/** Deletes and re-derives the rows of these accounts/epochs from the event log. */
export async function rebuildRows(writer: LedgerWriter, accounts: ReadonlySet<string>, epochs: ReadonlySet<bigint>): Promise<void> {
  if (!accounts.size && !epochs.size) return;
  await writer.deleteLedgerRows(accounts, epochs);
  const envelopes = decodeStored(await writer.eventsFor(accounts, epochs)).sort(byChainOrder);
  const slice = new LedgerSlice();
  applyEvents(slice, envelopes);
  await writer.saveSlice(slice);
}

/** Per collateral chain: the newest trading-chain block among these envelopes that delivered one of its messages. */
export function lastMessageBlocks(envelopes: readonly LedgerEnvelope[]): Map<number, number> {
  const blocks = new Map<number, number>();
  for (const { heardFrom, origin } of envelopes) {
    if (heardFrom === undefined) continue;
    if (origin.blockNumber > (blocks.get(heardFrom) ?? -1)) blocks.set(heardFrom, origin.blockNumber);
  }
  return blocks;
}

export function decodeStored(events: readonly StoredEvent[]): LedgerEnvelope[] {
  const envelopes: LedgerEnvelope[] = [];
  for (const stored of events) {
    const envelope = decodeLog(stored.contract, { chainId: stored.chainId, eid: stored.eid }, stored.raw);
    if (envelope) envelopes.push(envelope);
  }
  return envelopes;
}
