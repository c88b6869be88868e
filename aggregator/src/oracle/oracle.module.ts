import { Module } from '@nestjs/common';
import { Clock } from '@tributary/service-kit';
import { OracleService } from './oracle.service';
import { PriceSampleRepository } from './price-sample.repository';

/** Price feeds of the manifest assets (guarded) and their sample history. */
@Module({
  providers: [Clock, PriceSampleRepository, OracleService],
  exports: [OracleService, PriceSampleRepository],
})
export class OracleModule {}
