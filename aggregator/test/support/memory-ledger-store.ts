import { LedgerSlice, cashEventKey, collateralKey, positionKey, withdrawalKey, type SliceKeys } from '../../src/ledger/ledger-state';
import type { BlockHash, CursorUpdate, IndexedLog, LedgerStore, LedgerWriter, OrphanedEvents, StoredEvent } from '../../src/ledger/ledger-store';
import { decodeStored } from '../../src/ledger/ledger-ingestor';

interface Tables {
  events: StoredEvent[];
  hashes: Map<number, Map<number, string>>;
  cursors: Map<number, CursorUpdate>;
  accounts: Set<string>;
  rows: LedgerSlice;
  /** eid → block of the last vault message the hub heard from it. */
  liveness: Map<number, number>;
}

const clone = (t: Tables): Tables => structuredClone(t);

/** In-memory LedgerStore for unit tests of the ingest/rollback logic (transactions = copy-on-write). */
export class MemoryLedgerStore implements LedgerStore {
  tables: Tables = { events: [], hashes: new Map(), cursors: new Map(), accounts: new Set(), rows: new LedgerSlice(), liveness: new Map() };

  async transaction<T>(work: (writer: LedgerWriter) => Promise<T>): Promise<T> {
    const draft = clone(this.tables);
    const result = await work(new MemoryWriter(draft));
    this.tables = draft;
    return result;
  }

  async cursor(eid: number): Promise<number | null> {
    return this.tables.cursors.get(eid)?.nextBlock ?? null;
  }

  async recentBlockHashes(eid: number, limit: number): Promise<BlockHash[]> {
    return [...(this.tables.hashes.get(eid) ?? new Map<number, string>())]
      .map(([number, hash]) => ({ number, hash }))
      .sort((a, b) => b.number - a.number)
      .slice(0, limit);
  }
}

class MemoryWriter implements LedgerWriter {
  constructor(private readonly t: Tables) {}

  async lockChain(): Promise<void> {}

  async raiseLastMessageBlocks(blocks: ReadonlyMap<number, number>): Promise<void> {
    for (const [eid, block] of blocks) if (block > (this.t.liveness.get(eid) ?? -1)) this.t.liveness.set(eid, block);
  }

  async existingEventKeys(eid: number, fromBlock: number, toBlock: number): Promise<Set<string>> {
    return new Set(
      this.t.events
        .filter((e) => e.eid === eid && e.raw.blockNumber >= fromBlock && e.raw.blockNumber <= toBlock)
        .map((e) => `${e.raw.blockHash}:${e.raw.logIndex}`),
    );
  }

  async insertEvents(logs: readonly IndexedLog[]): Promise<void> {
    for (const { envelope, raw } of logs)
      this.t.events.push({ chainId: envelope.origin.chainId, eid: envelope.origin.eid, contract: envelope.origin.contract, raw });
  }

  async loadSlice(keys: SliceKeys): Promise<LedgerSlice> {
    const slice = new LedgerSlice();
    const rows = this.t.rows;
    for (const account of keys.accounts) if (this.t.accounts.has(account)) slice.accounts.add(account);
    const mine = (account: string) => keys.accounts.has(account);
    for (const [k, r] of rows.collateral) if (mine(r.account)) slice.collateral.set(k, { ...r });
    for (const [k, r] of rows.positions) if (mine(r.account)) slice.positions.set(k, { ...r });
    for (const [k, r] of rows.credit) if (mine(r.account)) slice.credit.set(k, { ...r });
    for (const [k, r] of rows.withdrawals) if (mine(r.account)) slice.withdrawals.set(k, { ...r });
    for (const [k, r] of rows.cash) if (mine(r.account)) slice.cash.set(k, { ...r });
    for (const [k, r] of rows.epochs) if (keys.epochs.has(r.epoch)) slice.epochs.set(k, { ...r });
    return slice;
  }

  async saveSlice(slice: LedgerSlice): Promise<void> {
    for (const a of slice.dirty.accounts) this.t.accounts.add(a);
    for (const k of slice.dirty.collateral) this.t.rows.collateral.set(k, { ...slice.collateral.get(k)! });
    for (const k of slice.dirty.positions) this.t.rows.positions.set(k, { ...slice.positions.get(k)! });
    for (const k of slice.dirty.credit) this.t.rows.credit.set(k, { ...slice.credit.get(k)! });
    for (const k of slice.dirty.withdrawals) this.t.rows.withdrawals.set(k, { ...slice.withdrawals.get(k)! });
    for (const k of slice.dirty.epochs) this.t.rows.epochs.set(k, { ...slice.epochs.get(k)! });
    for (const k of slice.dirty.cash) this.t.rows.cash.set(k, { ...slice.cash.get(k)! });
    for (const row of slice.cashHistory)
      if (!this.t.rows.cashHistory.some((r) => cashEventKey(r) === cashEventKey(row))) this.t.rows.cashHistory.push({ ...row });
  }

  async saveBlockHashes(eid: number, hashes: readonly BlockHash[]): Promise<void> {
    const map = this.t.hashes.get(eid) ?? new Map<number, string>();
    for (const h of hashes) map.set(h.number, h.hash);
    this.t.hashes.set(eid, map);
  }

  async pruneBlockHashes(eid: number, belowOrAt: number): Promise<void> {
    for (const n of [...(this.t.hashes.get(eid)?.keys() ?? [])]) if (n <= belowOrAt) this.t.hashes.get(eid)!.delete(n);
  }

  async setCursor(update: CursorUpdate): Promise<void> {
    this.t.cursors.set(update.eid, update);
  }

  async deleteEventsAbove(eid: number, forkBlock: number): Promise<OrphanedEvents> {
    const orphaned = this.t.events.filter((e) => e.eid === eid && e.raw.blockNumber > forkBlock);
    this.t.events = this.t.events.filter((e) => !orphaned.includes(e));
    for (const n of [...(this.t.hashes.get(eid)?.keys() ?? [])]) if (n > forkBlock) this.t.hashes.get(eid)!.delete(n);
    const accounts = new Set<string>();
    const epochs = new Set<bigint>();
    const heardFrom = new Set<number>();
    for (const { event, heardFrom: chain } of decodeStored(orphaned)) {
      if ('account' in event && event.account) accounts.add(event.account);
      if (event.kind === 'CreditBatchPushed') epochs.add(event.epoch);
      if (chain !== undefined) heardFrom.add(chain);
    }
    return { count: orphaned.length, accounts, epochs, heardFrom };
  }

  async resetLastMessageBlocks(eid: number, chains: ReadonlySet<number>): Promise<void> {
    for (const chain of chains) this.t.liveness.delete(chain);
    for (const { heardFrom, origin } of decodeStored(this.t.events.filter((e) => e.eid === eid))) {
      if (heardFrom !== undefined && chains.has(heardFrom) && origin.blockNumber > (this.t.liveness.get(heardFrom) ?? -1))
        this.t.liveness.set(heardFrom, origin.blockNumber);
    }
  }

  async deleteLedgerRows(accounts: ReadonlySet<string>, epochs: ReadonlySet<bigint>): Promise<void> {
    const rows = this.t.rows;
    for (const a of accounts) this.t.accounts.delete(a);
    for (const map of [rows.collateral, rows.positions, rows.credit, rows.withdrawals, rows.cash] as Map<string, { account: string }>[]) {
      for (const [k, r] of [...map]) if (accounts.has(r.account)) map.delete(k);
    }
    const kept = rows.cashHistory.filter((r) => !accounts.has(r.account));
    rows.cashHistory.splice(0, rows.cashHistory.length, ...kept);
    for (const [k, r] of [...rows.epochs]) if (epochs.has(r.epoch)) rows.epochs.delete(k);
  }

  async eventsFor(accounts: ReadonlySet<string>, epochs: ReadonlySet<bigint>): Promise<StoredEvent[]> {
    return this.t.events.filter((stored) => {
      const [decoded] = decodeStored([stored]);
      if (!decoded) return false;
      const e = decoded.event;
      return ('account' in e && e.account !== null && accounts.has(e.account)) || (e.kind === 'CreditBatchPushed' && epochs.has(e.epoch));
    });
  }

  async rewindCursor(eid: number, nextBlock: number): Promise<void> {
    const cursor = this.t.cursors.get(eid);
    if (cursor && cursor.nextBlock > nextBlock) this.t.cursors.set(eid, { ...cursor, nextBlock });
  }
}

export { collateralKey, positionKey, withdrawalKey };
