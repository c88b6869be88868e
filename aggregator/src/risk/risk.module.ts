import { Module } from '@nestjs/common';
import { Clock } from '@tributary/service-kit';
import { AccountRiskController } from '../api/account-risk.controller';
import { RiskApiService } from '../api/risk-api.service';
import { RiskController } from '../api/risk.controller';
import { LedgerModule } from '../ledger/ledger.module';
import { OracleModule } from '../oracle/oracle.module';
import { RiskHistoryRepository } from './risk-history.repository';
import { RiskReader } from './risk-reader';
import { RiskService } from './risk.service';

/** The live risk engine (RiskService, provided as the RiskReader port) and the risk API. */
@Module({
  imports: [LedgerModule, OracleModule],
  controllers: [RiskController, AccountRiskController],
  providers: [Clock, RiskHistoryRepository, RiskService, { provide: RiskReader, useExisting: RiskService }, RiskApiService],
  exports: [RiskReader, RiskService],
})
export class RiskModule {}
