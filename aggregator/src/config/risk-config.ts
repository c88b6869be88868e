import { z } from 'zod';

const nonNegative = z.coerce.number().finite().min(0);

/** Env of the live risk engine (spread into the app config schema); the risk model's parameters (docs/risk-model.md#inputs). */
export const riskConfigShape = {
  RISK_Z_INIT: nonNegative.default(2.33),
  RISK_Z_MAINT: nonNegative.default(1.65),
  RISK_HORIZON_DAYS: z.coerce.number().finite().gt(0).max(365).default(1),
  RISK_STRESS: z.coerce.number().finite().gt(0).max(100).default(1.25),
  RISK_PNL_WEIGHT: z.coerce.number().finite().min(0).max(1).default(0.5),
  /** EWMA σ/ρ replace the manifest's baseline volatility and prior correlations from this many samples on. */
  RISK_MIN_SAMPLES: z.coerce.number().int().min(2).max(100_000).default(30),
  /** Chain weights, freezes and throttled snapshots are re-evaluated this often (ms); 0 = only in `refresh()`. */
  RISK_TICK_MS: z.coerce.number().int().min(0).max(3_600_000).default(1000),
  /** The trading chain's RiskParameters is polled for ParamExecuted / ParamInitialized this often (ms). */
  RISK_PARAMS_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(3000),
  /** At most one risk_snapshots row per account per this period (a liquidatable flip is always written). */
  RISK_SNAPSHOT_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
};
