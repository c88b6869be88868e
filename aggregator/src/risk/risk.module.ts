import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { OracleModule } from '../oracle/oracle.module';
import { RiskBookSync } from './book-sync';
import { ChainWeights } from './chain-weights';
import { LiveRiskParams } from './live-params';
import { RiskEstimator } from './risk-estimator';
import { RiskHistoryRepository } from './risk-history.repository';
import { RiskReader } from './risk-reader';
import { RiskService } from './risk.service';
import { RiskSnapshotRecorder } from './snapshot-recorder';

/** The live risk engine (RiskService, also provided as the RiskReader port), its parts and its snapshot history. */
@Module({
  imports: [LedgerModule, OracleModule],
  providers: [
    RiskHistoryRepository,
    LiveRiskParams,
    RiskBookSync,
    ChainWeights,
    RiskEstimator,
    RiskSnapshotRecorder,
    RiskService,
    { provide: RiskReader, useExisting: RiskService },
  ],
  exports: [RiskReader, RiskService, LiveRiskParams, RiskBookSync, ChainWeights, RiskHistoryRepository],
})
export class RiskModule {}
