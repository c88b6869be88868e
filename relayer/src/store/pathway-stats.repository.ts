import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import type { PacketStatus } from '../core/packet-state';
import { PacketEntity } from '../database/packet.entity';

/** Identifies a pathway as packet rows store it: sender as bytes32 (lower case), receiver checksummed. */
export interface PathwayKey {
  srcEid: number;
  sender: string;
  dstEid: number;
  receiver: string;
}

export interface PathwayStatusCount extends PathwayKey {
  status: PacketStatus;
  count: number;
  /** Earliest seen_at (ms) among these packets. */
  oldestSeenAt: number;
}

/** Source-confirmed → delivered times of one delivered packet (ms since epoch). */
export interface DeliveryTimes {
  confirmedAt: number;
  deliveredAt: number;
}

// Exact matches on the stored spelling: the packet_pathway_nonce index then serves ORDER BY nonce DESC LIMIT n.
const pathwayWhere = 'p.src_eid = :srcEid AND p.sender = :sender AND p.dst_eid = :dstEid AND p.receiver = :receiver';

/** Read-only per-pathway queries for the operator's pathway view (GET /v1/pathways). */
@Injectable()
export class PathwayStatsRepository {
  private readonly repo: Repository<PacketEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.repo = dataSource.getRepository(PacketEntity);
  }

  /**
   * Packet counts by pathway and status for `statuses`, with the oldest seen_at of each group. Leave out
   * 'delivered' (the bulk of the table): the other statuses are few and the packet_due index finds them.
   */
  async countsByStatus(statuses: readonly PacketStatus[]): Promise<PathwayStatusCount[]> {
    const rows = await this.repo
      .createQueryBuilder('p')
      .select('p.src_eid', 'srcEid')
      .addSelect('p.sender', 'sender')
      .addSelect('p.dst_eid', 'dstEid')
      .addSelect('p.receiver', 'receiver')
      .addSelect('p.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .addSelect('MIN(p.seen_at)', 'oldestSeenAt')
      .where('p.status IN (:...statuses)', { statuses })
      .groupBy('p.src_eid')
      .addGroupBy('p.sender')
      .addGroupBy('p.dst_eid')
      .addGroupBy('p.receiver')
      .addGroupBy('p.status')
      .getRawMany<
        Record<'srcEid' | 'dstEid' | 'count' | 'oldestSeenAt', number | string> & { sender: string; receiver: string; status: PacketStatus }
      >();
    return rows.map((r) => ({
      srcEid: Number(r.srcEid),
      sender: r.sender,
      dstEid: Number(r.dstEid),
      receiver: r.receiver,
      status: r.status,
      count: Number(r.count),
      oldestSeenAt: Number(r.oldestSeenAt),
    }));
  }

  /** The packet with the highest nonce on the pathway (the latest seen among equal nonces). */
  lastPacket(key: PathwayKey): Promise<PacketEntity | null> {
    return this.repo.createQueryBuilder('p').where(pathwayWhere, key).orderBy('p.nonce', 'DESC').addOrderBy('p.seen_at', 'DESC').limit(1).getOne();
  }

  /** Confirmation and delivery times of the `limit` most recent (by nonce) delivered packets of the pathway. */
  async recentDeliveries(key: PathwayKey, limit: number): Promise<DeliveryTimes[]> {
    const rows = await this.repo
      .createQueryBuilder('p')
      .select('p.confirmed_at', 'confirmedAt')
      .addSelect('p.delivered_at', 'deliveredAt')
      .where(pathwayWhere, key)
      .andWhere("p.status = 'delivered'")
      .andWhere('p.confirmed_at IS NOT NULL')
      .andWhere('p.delivered_at IS NOT NULL')
      .orderBy('p.nonce', 'DESC')
      .limit(limit)
      .getRawMany<Record<keyof DeliveryTimes, number | string>>();
    return rows.map((r) => ({ confirmedAt: Number(r.confirmedAt), deliveredAt: Number(r.deliveredAt) }));
  }
}
