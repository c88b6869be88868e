import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LessThan, MoreThan, type DataSource, type Repository } from 'typeorm';
import { BlockCheckpointEntity } from '../database/block-checkpoint.entity';
import { ChainCursorEntity } from '../database/chain-cursor.entity';
import { DurableStore } from '../database/durable-store';

/** How many recent scan checkpoints per chain are kept to walk back through on a reorg. */
export const CHECKPOINTS_KEPT = 256;

export interface Checkpoint {
  number: number;
  hash: string;
}

/** Scan progress per source chain: the next block to read and the hashes of recently scanned blocks. */
@Injectable()
export class CursorRepository {
  private readonly cursors: Repository<ChainCursorEntity>;
  private readonly checkpoints: Repository<BlockCheckpointEntity>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly durable: DurableStore,
  ) {
    this.cursors = dataSource.getRepository(ChainCursorEntity);
    this.checkpoints = dataSource.getRepository(BlockCheckpointEntity);
  }

  async nextBlock(eid: number): Promise<number | null> {
    const row = await this.cursors.findOneBy({ eid });
    return row ? Number(row.nextBlock) : null;
  }

  /**
   * Records a scanned range: the cursor moves past `checkpoint.number`, whose hash is remembered. Upserts: several
   * relayer workers on PostgreSQL scan the same chain, and save()'s select-then-insert let two of them insert the same
   * checkpoint (a duplicate-key error that failed the watch round; seen in the soak).
   */
  async advance(eid: number, checkpoint: Checkpoint): Promise<void> {
    await this.checkpoints.upsert({ eid, number: checkpoint.number, hash: checkpoint.hash }, ['eid', 'number']);
    await this.cursors.upsert({ eid, nextBlock: BigInt(checkpoint.number + 1), updatedAt: new Date().toISOString() }, ['eid']);
    await this.checkpoints.delete({ eid, number: LessThan(checkpoint.number - CHECKPOINTS_KEPT * 16) });
  }

  /** Newest first. */
  recentCheckpoints(eid: number, limit = CHECKPOINTS_KEPT): Promise<Checkpoint[]> {
    return this.checkpoints.find({ where: { eid }, order: { number: 'DESC' }, take: limit });
  }

  /** Forgets checkpoints above `block` and sets the cursor to `block + 1` (durably: a lost rewind would skip the reorged blocks). */
  async rewind(eid: number, block: number): Promise<void> {
    await this.checkpoints.delete({ eid, number: MoreThan(block) });
    await this.cursors.upsert({ eid, nextBlock: BigInt(block + 1), updatedAt: new Date().toISOString() }, ['eid']);
    await this.durable.flush();
  }
}
