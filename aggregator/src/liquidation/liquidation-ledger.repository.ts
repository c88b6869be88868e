import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { rawQuery, tableName } from '../database/bulk-upsert';
import { decodeEventArgs } from '../events/event-decoder';
import { ChainEventEntity } from '../ledger/entities/ledger.entities';
import { toStoredEvent, type EventRow } from '../ledger/typeorm-ledger.store';
import { LIQUIDATION_EVENT_KEYS, applyLiquidationEvent, emptyLiquidationLedger, type LiquidationLedgerState } from './liquidation-ledger';

const NAMES = [...new Set(LIQUIDATION_EVENT_KEYS.map((k) => k.split('.')[1]))];
const KEYS = new Set<string>(LIQUIDATION_EVENT_KEYS);

/**
 * The liquidation ledger read from `chain_event` (the indexer's append-only log): the fold of every
 * liquidation event, kept in memory and advanced by the rows added since the last read. A reorg (rows removed
 * below the last id read) rebuilds it from the start.
 */
@Injectable()
export class LiquidationLedgerRepository {
  private state: LiquidationLedgerState = emptyLiquidationLedger();
  private lastId = 0;
  private count = 0;
  private busy: Promise<LiquidationLedgerState> | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The ledger as of every event indexed now (concurrent callers share one read). */
  read(): Promise<LiquidationLedgerState> {
    this.busy ??= this.advance().finally(() => (this.busy = null));
    return this.busy;
  }

  private async advance(): Promise<LiquidationLedgerState> {
    const manager = this.dataSource.manager;
    const table = tableName(manager, ChainEventEntity);
    const marks = NAMES.map(() => '?').join(', ');
    const [{ n }] = await rawQuery<{ n: number | string }>(manager, `SELECT COUNT(*) AS n FROM ${table} WHERE name IN (${marks}) AND id <= ?`, [
      ...NAMES,
      this.lastId,
    ]);
    if (Number(n) !== this.count) {
      this.state = emptyLiquidationLedger();
      this.lastId = 0;
      this.count = 0;
    }
    const rows = await rawQuery<EventRow>(
      manager,
      `SELECT id, chain_id, eid, block_number, block_hash, log_index, tx_hash, contract, address, name, account, topics, data FROM ${table} WHERE name IN (${marks}) AND id > ? ORDER BY id`,
      [...NAMES, this.lastId],
    );
    for (const row of rows) {
      this.lastId = Math.max(this.lastId, Number(row.id));
      this.count += 1;
      if (!KEYS.has(`${row.contract}.${row.name}`)) continue;
      const stored = toStoredEvent(row);
      const decoded = decodeEventArgs(stored.contract, stored.raw);
      if (!decoded) continue;
      applyLiquidationEvent(this.state, {
        eid: stored.eid,
        blockNumber: stored.raw.blockNumber,
        logIndex: stored.raw.logIndex,
        txHash: stored.raw.transactionHash,
        contract: stored.contract,
        name: decoded.name,
        args: decoded.args,
      });
    }
    return this.state;
  }
}
