import { Module } from '@nestjs/common';
import { AuctionBreakerWatch } from './auction-breaker-watch';
import { OracleService } from './oracle.service';
import { PriceSampleRepository } from './price-sample.repository';

/** Price feeds of the manifest assets (guarded) and their sample history; the collateral chains' auction breakers. */
@Module({
  providers: [PriceSampleRepository, OracleService, AuctionBreakerWatch],
  exports: [OracleService, PriceSampleRepository, AuctionBreakerWatch],
})
export class OracleModule {}
