import { z } from 'zod';
import { definedEnv, parseConfig, serviceConfigShape } from '@tributary/service-kit';
import { creditConfigShape } from './credit-config';
import { oracleConfigShape } from './oracle-config';
import { riskConfigShape } from './risk-config';
import { stressConfigShape } from './stress-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

export const appConfigSchema = z.object({
  ...serviceConfigShape(3000),
  /**
   * Indexer poll period (ms); 0 = no automatic polling (tests drive `IndexerService.syncAll`). A poll that finds
   * every head unchanged costs one eth_getBlockByNumber per chain and no database access.
   */
  INDEXER_POLL_MS: z.coerce.number().int().min(0).max(3_600_000).default(100),
  /**
   * Depth the trading chain is indexed at: 0 = its latest block (a reorg is rolled back, docs/architecture.md
   * "Reorgs"). Collateral chains keep the manifest's confirmations (their messages are attested at that depth).
   */
  INDEXER_TRADING_CONFIRMATIONS: z.coerce.number().int().min(0).max(1000).default(0),
  INDEXER_MAX_BLOCK_RANGE: z.coerce.number().int().min(1).max(100_000).default(2000),
  /** Recent block hashes kept per chain for reorg detection. */
  INDEXER_REORG_WINDOW: z.coerce.number().int().min(1).max(100_000).default(256),
  /** Reconciliation period (ms); 0 = only on demand. */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** Credit pusher and liquidation watch (see credit-config.ts). */
  ...creditConfigShape,
  /** Price feeds (oracle-config.ts) and the live risk engine (risk-config.ts). */
  ...oracleConfigShape,
  ...riskConfigShape,
  /** Stable price, auction breaker, liquidation rate limit (stress-config.ts). */
  ...stressConfigShape,
});

export type AppConfig = z.output<typeof appConfigSchema>;

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return parseConfig(appConfigSchema, definedEnv(env));
}
