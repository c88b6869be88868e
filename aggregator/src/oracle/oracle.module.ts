import { Module } from '@nestjs/common';
import { Clock } from '@tributary/service-kit';
import { OracleController } from '../api/oracle.controller';
import { OracleService } from './oracle.service';
import { PriceSampleRepository } from './price-sample.repository';
import { TradingRpcRepository } from './trading-rpc.repository';

/** Price feeds of the manifest assets (guarded), their sample history and `GET /v1/oracle/prices`. */
@Module({
  controllers: [OracleController],
  providers: [Clock, TradingRpcRepository, PriceSampleRepository, OracleService],
  exports: [OracleService, PriceSampleRepository, TradingRpcRepository],
})
export class OracleModule {}
