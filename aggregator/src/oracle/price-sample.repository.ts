import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LessThan, type DataSource } from 'typeorm';
import { PriceSampleEntity } from './price-sample.entity';

export interface PriceSample {
  assetId: number;
  price: number;
  updatedAt: number;
  observedAt: number;
}

/** The `price_samples` table: the oracle writes one sample per asset per interval, the risk engine reads them. */
@Injectable()
export class PriceSampleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(PriceSampleEntity);
  }

  async insert(sample: PriceSample): Promise<void> {
    await this.repo.insert(sample);
  }

  async latest(assetId: number): Promise<PriceSample | null> {
    const [row] = await this.repo.find({ where: { assetId }, order: { observedAt: 'DESC' }, take: 1 });
    return row ? { ...row } : null;
  }

  /** The newest `limit` samples of an asset, oldest first. */
  async recent(assetId: number, limit: number): Promise<PriceSample[]> {
    const rows = await this.repo.find({ where: { assetId }, order: { observedAt: 'DESC' }, take: limit });
    return rows.reverse().map((r) => ({ ...r }));
  }

  /** Deletes all but the newest `keep` samples of an asset. */
  async prune(assetId: number, keep: number): Promise<number> {
    const [boundary] = await this.repo.find({ where: { assetId }, order: { observedAt: 'DESC' }, skip: keep - 1, take: 1 });
    if (!boundary) return 0;
    const result = await this.repo.delete({ assetId, observedAt: LessThan(boundary.observedAt) });
    return result.affected ?? 0;
  }
}
