import { ChainCursorEntity } from './chain-cursor.entity';
import {
  AccountEntity,
  BlockHeaderEntity,
  ChainEventEntity,
  CollateralEntity,
  CreditEntity,
  CreditEpochEntity,
  PositionEntity,
  WithdrawalEntity,
} from '../ledger/entities/ledger.entities';
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
  PriceSampleEntity,
  RiskSnapshotEntity,
];
export { ChainCursorEntity };
