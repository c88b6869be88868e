import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { SettlementPoolRepository } from '../chain/settlement-pool.repository';
import type { PoolResponse } from './responses';
import { poolView } from './views';

@Injectable()
export class PoolService {
  constructor(private readonly repository: SettlementPoolRepository) {}

  /** The SettlementPool's solvency read from the trading chain now; 503 without a pool or when the read fails. */
  async state(): Promise<PoolResponse> {
    if (this.repository.unavailableReason) throw new ServiceUnavailableException(this.repository.unavailableReason);
    try {
      return poolView(await this.repository.state());
    } catch (error) {
      throw new ServiceUnavailableException(`could not read the SettlementPool ${this.repository.address}: ${(error as Error).message}`);
    }
  }
}
