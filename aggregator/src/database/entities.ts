import { ChainCursorEntity } from './chain-cursor.entity';
import {
  AccountEntity,
  BlockHeaderEntity,
  CashEntity,
  CashEventEntity,
  ChainEventEntity,
  ChainLivenessEntity,
  CollateralEntity,
  CreditEntity,
  CreditEpochEntity,
  PositionEntity,
  WithdrawalEntity,
} from '../ledger/entities/ledger.entities';
import { LiquidationRunEntity } from '../liquidation/liquidation-run.entity';
import { PriceSampleEntity } from '../oracle/price-sample.entity';
import { RiskSnapshotEntity } from '../risk/risk-snapshot.entity';

export const ENTITIES = [
  ChainCursorEntity,
  ChainEventEntity,
  BlockHeaderEntity,
  AccountEntity,
  CollateralEntity,
  PositionEntity,
  CreditEntity,
  CreditEpochEntity,
  WithdrawalEntity,
  CashEntity,
  CashEventEntity,
  ChainLivenessEntity,
  PriceSampleEntity,
  RiskSnapshotEntity,
  LiquidationRunEntity,
];
export { ChainCursorEntity };
