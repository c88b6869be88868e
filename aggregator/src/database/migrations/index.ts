import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { LedgerSchema1764200000000 } from './1764200000000-ledger-schema';
import { RiskSchema1764400000000 } from './1764400000000-risk-schema';
import { CashSchema1764600000000 } from './1764600000000-cash-schema';
import { LiquidationSchema1764800000000 } from './1764800000000-liquidation-schema';
import { LivenessSchema1764900000000 } from './1764900000000-liveness-schema';

/** Every migration in order; the service runs them at start (no `synchronize` outside tests). */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  LedgerSchema1764200000000,
  RiskSchema1764400000000,
  CashSchema1764600000000,
  LiquidationSchema1764800000000,
  LivenessSchema1764900000000,
];
