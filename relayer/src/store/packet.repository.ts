import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, In, LessThanOrEqual, type DataSource, type Repository } from 'typeorm';
import { ACTIVE_STATUSES, type PacketStatus } from '../core/packet-state';
import { DurableStore } from '../database/durable-store';
import { PacketEntity } from '../database/packet.entity';

export type PacketPatch = Partial<Omit<PacketEntity, 'guid'>>;

export interface PacketPage {
  items: PacketEntity[];
  total: number;
}

/** Every read and write of packet rows; claims make several workers safe on PostgreSQL. */
@Injectable()
export class PacketRepository {
  private readonly repo: Repository<PacketEntity>;
  private readonly postgres: boolean;
  private sqliteClaims: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly durable: DurableStore,
  ) {
    this.repo = dataSource.getRepository(PacketEntity);
    this.postgres = dataSource.options.type === 'postgres';
  }

  find(guid: string): Promise<PacketEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  async insert(packet: PacketEntity): Promise<void> {
    await this.repo.createQueryBuilder().insert().into(PacketEntity).values(packet).orIgnore().execute();
  }

  /** The newest packet sent from `srcEid` as this relayer saw it: when first seen (ms) and its source transaction; null = none. */
  async newestFrom(srcEid: number): Promise<{ seenAt: number; txHash: string } | null> {
    const [row] = await this.repo.find({
      where: { srcEid },
      order: { seenAt: 'DESC' },
      take: 1,
      select: { guid: true, seenAt: true, srcTxHash: true },
    });
    return row ? { seenAt: row.seenAt, txHash: row.srcTxHash } : null;
  }

  /**
   * Claims up to `limit` due active packets for `workerId` until `claimUntil`. On PostgreSQL the candidate
   * rows are selected `FOR UPDATE SKIP LOCKED` inside a transaction, so concurrent workers never claim the
   * same row; an expired claim (crashed worker) is claimable again. SQLite runs one process.
   */
  async claimDue(workerId: string, now: number, claimUntil: number, limit: number): Promise<PacketEntity[]> {
    const select = (repo: Repository<PacketEntity>) => {
      const qb = repo
        .createQueryBuilder('p')
        .select('p.guid', 'guid')
        .where('p.status IN (:...statuses)', { statuses: ACTIVE_STATUSES })
        .andWhere('p.next_attempt_at <= :now', { now })
        .andWhere(new Brackets((b) => b.where('p.claim_until IS NULL').orWhere('p.claim_until < :now', { now })))
        .orderBy('p.next_attempt_at', 'ASC')
        .addOrderBy('p.nonce', 'ASC')
        .limit(limit);
      if (this.postgres) qb.setLock('pessimistic_write').setOnLocked('skip_locked');
      return qb;
    };
    const claim = async (repo: Repository<PacketEntity>) => {
      const rows = await select(repo).getRawMany<{ guid: string }>();
      if (rows.length === 0) return [];
      const guids = rows.map((r) => r.guid);
      // Conditional: a row someone claimed in between is not taken over.
      await repo
        .createQueryBuilder()
        .update()
        .set({ claimedBy: workerId, claimUntil })
        .where({ guid: In(guids) })
        .andWhere(new Brackets((b) => b.where('claim_until IS NULL').orWhere('claim_until < :now', { now })))
        .execute();
      return repo.findBy({ guid: In(guids), claimedBy: workerId });
    };
    if (this.postgres) return this.dataSource.transaction((manager) => claim(manager.getRepository(PacketEntity)));
    // SQLite: one connection, no row locks; claims of this process run one after another.
    const run = this.sqliteClaims.then(() => claim(this.repo));
    this.sqliteClaims = run.catch(() => undefined);
    return run;
  }

  /** Writes `patch` only while `workerId` still holds the claim; false when the claim was lost. */
  async updateClaimed(guid: string, workerId: string, patch: PacketPatch): Promise<boolean> {
    const result = await this.repo.update({ guid, claimedBy: workerId }, patch);
    return (result.affected ?? 1) > 0;
  }

  /**
   * At start-up: claims left by an earlier incarnation of this worker id (killed mid-tick) are released.
   * On SQLite (one process per file) every claim is.
   */
  async releaseStaleClaims(workerId: string): Promise<number> {
    const result = this.postgres
      ? await this.repo.update({ claimedBy: workerId }, { claimedBy: null, claimUntil: null })
      : await this.repo.createQueryBuilder().update().set({ claimedBy: null, claimUntil: null }).where('claimed_by IS NOT NULL').execute();
    return result.affected ?? 0;
  }

  async release(guid: string, workerId: string): Promise<void> {
    await this.repo.update({ guid, claimedBy: workerId }, { claimedBy: null, claimUntil: null });
  }

  async update(guid: string, patch: PacketPatch): Promise<void> {
    await this.repo.update({ guid }, patch);
  }

  /** Makes every write so far survive a power loss, not only a crash. Called before a transaction is broadcast. */
  flush(): Promise<void> {
    return this.durable.flush();
  }

  async page(status: PacketStatus | undefined, offset: number, limit: number): Promise<PacketPage> {
    const [items, total] = await this.repo.findAndCount({
      where: status ? { status } : {},
      order: { seenAt: 'ASC', guid: 'ASC' },
      skip: offset,
      take: limit,
    });
    return { items, total };
  }

  /** Packet counts by pathway and status (metrics). */
  async countsByPathwayAndStatus(): Promise<{ srcEid: number; dstEid: number; status: PacketStatus; count: number }[]> {
    const rows = await this.repo
      .createQueryBuilder('p')
      .select('p.src_eid', 'srcEid')
      .addSelect('p.dst_eid', 'dstEid')
      .addSelect('p.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .groupBy('p.src_eid')
      .addGroupBy('p.dst_eid')
      .addGroupBy('p.status')
      .getRawMany<{ srcEid: number | string; dstEid: number | string; status: PacketStatus; count: number | string }>();
    return rows.map((r) => ({ srcEid: Number(r.srcEid), dstEid: Number(r.dstEid), status: r.status, count: Number(r.count) }));
  }

  /** Active packets whose next attempt is due, by destination (queue lengths). */
  async dueCountsByDestination(now: number): Promise<{ dstEid: number; stage: string; count: number }[]> {
    const rows = await this.repo
      .createQueryBuilder('p')
      .select('p.dst_eid', 'dstEid')
      .addSelect('p.stage', 'stage')
      .addSelect('COUNT(*)', 'count')
      .where({ status: In([...ACTIVE_STATUSES]), nextAttemptAt: LessThanOrEqual(now) })
      .groupBy('p.dst_eid')
      .addGroupBy('p.stage')
      .getRawMany<{ dstEid: number | string; stage: string; count: number | string }>();
    return rows.map((r) => ({ dstEid: Number(r.dstEid), stage: r.stage, count: Number(r.count) }));
  }

  /** Packets of `srcEid` seen at or above `fromBlock` not yet verified (a reorg rewind re-checks them). */
  findUnverifiedFrom(srcEid: number, fromBlock: number): Promise<PacketEntity[]> {
    return this.repo
      .createQueryBuilder('p')
      .where('p.src_eid = :srcEid', { srcEid })
      .andWhere('p.src_block_number >= :fromBlock', { fromBlock })
      .andWhere('p.status IN (:...statuses)', { statuses: ['awaiting_confirmations', 'verifying'] })
      .getMany();
  }
}
