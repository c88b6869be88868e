import { z } from 'zod';

/** Env of the oracle module (spread into the app config schema). */
export const oracleConfigShape = {
  /** Feed poll period (ms); 0 = no loop (tests drive `OracleService.poll`). */
  ORACLE_POLL_MS: z.coerce.number().int().min(0).max(3_600_000).default(1000),
  /** A price jumping more than the asset's maxDeviation is accepted after this many consecutive reads of the new level. */
  ORACLE_DEVIATION_CONFIRMATIONS: z.coerce.number().int().min(1).max(1000).default(3),
  /** One persisted price sample per asset per this many seconds (the EWMA's sampling interval). */
  ORACLE_SAMPLE_INTERVAL_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(3600),
  /** Samples kept per asset (older ones are pruned). */
  ORACLE_SAMPLE_KEEP: z.coerce.number().int().min(2).max(100_000).default(500),
};
