import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { LedgerModule } from '../ledger/ledger.module';
import { OracleModule } from '../oracle/oracle.module';
import { RiskHistoryRepository } from './risk-history.repository';
import { RiskReader } from './risk-reader';
import { RiskService } from './risk.service';

/** The live risk engine (RiskService, also provided as the RiskReader port) and its snapshot history. */
@Module({
  imports: [LedgerModule, OracleModule],
  providers: [Clock, RiskHistoryRepository, RiskService, { provide: RiskReader, useExisting: RiskService }],
  exports: [RiskReader, RiskService, RiskHistoryRepository],
})
export class RiskModule {}
