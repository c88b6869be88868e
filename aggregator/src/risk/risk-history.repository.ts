import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RiskSnapshotEntity } from './risk-snapshot.entity';

export type RiskSnapshot = Omit<RiskSnapshotEntity, 'id'>;

/** The `risk_snapshots` table (risk history per account). */
@Injectable()
export class RiskHistoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(rows: readonly RiskSnapshot[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) await this.dataSource.getRepository(RiskSnapshotEntity).insert(rows.slice(i, i + 200));
  }

  /** Newest first. */
  async page(account: string, limit: number, offset: number): Promise<{ items: RiskSnapshot[]; total: number }> {
    const [rows, total] = await this.dataSource.getRepository(RiskSnapshotEntity).findAndCount({
      where: { account },
      order: { computedAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items: rows.map(({ id: _id, ...row }) => row), total };
  }
}
