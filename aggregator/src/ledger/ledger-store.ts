import type { ContractRole, LedgerEnvelope } from '../events/ledger-events';
import type { RawLog } from '../events/raw-log';
import type { LedgerSlice, SliceKeys } from './ledger-state';

/** A decoded log together with the raw log it came from (the event log stores the raw form). */
export interface IndexedLog {
  envelope: LedgerEnvelope;
  raw: RawLog;
}

/** One event-log row as stored (raw log + where it came from). */
export interface StoredEvent {
  chainId: number;
  eid: number;
  contract: ContractRole;
  raw: RawLog;
}

export interface CursorUpdate {
  eid: number;
  nextBlock: number;
  headBlock: number;
  headTime: number;
  indexedTime: number | null;
}

export interface BlockHash {
  number: number;
  hash: string;
}

/** What a reorg rollback removed. */
export interface OrphanedEvents {
  count: number;
  accounts: Set<string>;
  epochs: Set<bigint>;
  /** Collateral chains some orphaned delivery event was heard from (their chain_liveness row may have moved). */
  heardFrom: Set<number>;
}

/** Writes of one database transaction (the indexer's unit of work). */
export interface LedgerWriter {
  /** Serializes writers of one chain across processes (PostgreSQL advisory lock; no-op on sql.js). */
  lockChain(eid: number): Promise<void>;
  /** (blockHash:logIndex) of events already stored for `eid` in [fromBlock, toBlock]. */
  existingEventKeys(eid: number, fromBlock: number, toBlock: number): Promise<Set<string>>;
  insertEvents(logs: readonly IndexedLog[]): Promise<void>;
  loadSlice(keys: SliceKeys): Promise<LedgerSlice>;
  saveSlice(slice: LedgerSlice): Promise<void>;
  saveBlockHashes(eid: number, hashes: readonly BlockHash[]): Promise<void>;
  /** Drops block hashes of `eid` at or below `belowOrAt` (outside the reorg window). */
  pruneBlockHashes(eid: number, belowOrAt: number): Promise<void>;
  setCursor(update: CursorUpdate): Promise<void>;
  /** Raises each chain's last-message block (trading chain) to the given one if newer (chain_liveness). */
  raiseLastMessageBlocks(blocks: ReadonlyMap<number, number>): Promise<void>;
  /**
   * After a rollback of `eid`: each chain's last-message block becomes the block of its newest delivery still
   * stored on `eid` (no delivery left: the row goes).
   */
  resetLastMessageBlocks(eid: number, chains: ReadonlySet<number>): Promise<void>;
  /** Deletes the events of `eid` above `forkBlock` and their block hashes; returns what they touched. */
  deleteEventsAbove(eid: number, forkBlock: number): Promise<OrphanedEvents>;
  /** Deletes every ledger row of these accounts and epochs (they are rebuilt from the remaining events). */
  deleteLedgerRows(accounts: ReadonlySet<string>, epochs: ReadonlySet<bigint>): Promise<void>;
  /** Stored events of these accounts (any chain) and of CreditBatchPushed for these epochs, in chain order. */
  eventsFor(accounts: ReadonlySet<string>, epochs: ReadonlySet<bigint>): Promise<StoredEvent[]>;
  /** Rewinds the cursor of `eid` so the next tick reads from `nextBlock`. */
  rewindCursor(eid: number, nextBlock: number): Promise<void>;
}

/** The ledger's persistence: transactions of writes, and the reads the indexer needs between them. */
export interface LedgerStore {
  transaction<T>(work: (writer: LedgerWriter) => Promise<T>): Promise<T>;
  cursor(eid: number): Promise<number | null>;
  /** Stored block hashes of `eid`, newest first. */
  recentBlockHashes(eid: number, limit: number): Promise<BlockHash[]>;
}
