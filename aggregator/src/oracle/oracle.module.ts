import { Module } from '@nestjs/common';
import { OracleService } from './oracle.service';
import { PriceSampleRepository } from './price-sample.repository';

/** Price feeds of the manifest assets (guarded) and their sample history. */
@Module({
  providers: [PriceSampleRepository, OracleService],
  exports: [OracleService, PriceSampleRepository],
})
export class OracleModule {}
