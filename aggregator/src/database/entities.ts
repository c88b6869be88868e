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
];
export { ChainCursorEntity };
