import { z } from 'zod';

const privateKey = z
  .string()
  .trim()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/, 'must be a 32-byte hex private key')
  .transform((key) => (key.startsWith('0x') ? key : `0x${key}`))
  .optional();

/**
 * Env of the credit pusher and the liquidation watch (spread into the app config schema). Keys are only ever
 * read from here; they are never logged (config errors name the variable, not its value).
 */
export const creditConfigShape = {
  /** Key holding PUSHER_ROLE on the CreditManager; absent = pusher and liquidator disabled (said at start). */
  AGGREGATOR_PUSHER_PRIVATE_KEY: privateKey,
  /** Key that calls PerpMarket.liquidate; absent = the pusher key (one nonce queue). */
  AGGREGATOR_LIQUIDATOR_PRIVATE_KEY: privateKey,
  /** Scheduled push period (ms); 0 = manual (`CreditPusherService.pushNow`), no event-driven pushes either. */
  CREDIT_PUSH_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(1000),
  /**
   * Risk changes are coalesced for this long before an event-driven push. 0: the push starts as soon as the risk
   * engine publishes (one publish per ingested block already carries every account that block changed).
   */
  CREDIT_PUSH_DEBOUNCE_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Entries per pushCreditLimits transaction. */
  CREDIT_PUSH_BATCH: z.coerce.number().int().min(1).max(2000).default(200),
  /** Hysteresis: a change smaller than max(relative × on-chain limit, absolute USD) is not pushed. */
  CREDIT_HYSTERESIS_RELATIVE: z.coerce.number().finite().min(0).max(1).default(0.01),
  CREDIT_HYSTERESIS_ABSOLUTE_USD: z.coerce.number().finite().min(0).max(1e12).default(1),
  /** Every account is re-planned at least this often (events cover the rest); ms. */
  CREDIT_RESCAN_MS: z.coerce.number().int().min(1000).max(86_400_000).default(30_000),
  /** A push transaction not mined after this long is replaced with higher fees (same nonce); ms. */
  CREDIT_TX_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(20_000),
  /** Fee increase of each replacement, percent (nodes want ≥ 10). */
  CREDIT_FEE_BUMP_PERCENT: z.coerce.number().int().min(10).max(500).default(20),
  /** Receipt poll period while a transaction is pending (the next push waits for this receipt); ms. */
  CREDIT_TX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(100),
  /** PostgreSQL: how often a replica tries to become the pusher (and the leader checks its lock); ms. */
  CREDIT_LEADER_RETRY_MS: z.coerce.number().int().min(50).max(600_000).default(5000),
  /** How often the leader pokes the hub's StablePriceFeeds (at most their maxGap, 300 s by default); 0 = never. */
  STABLE_FEED_POKE_MS: z.coerce.number().int().min(0).max(3_600_000).default(300_000),
  /** Withdrawal decider period (ms): requests awaiting the aggregator's decision are read from the ledger; 0 = manual. */
  WITHDRAWAL_DECIDER_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(500),
  /** Liquidation keeper period (ms); 0 = manual (`LiquidationKeeperService.tick`). */
  LIQUIDATION_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(2000),
  /** Health the keeper's plan restores (the smallest tenth of every position that reaches it is closed). */
  LIQUIDATION_TARGET_HEALTH: z.coerce.number().gt(1).max(10).default(1.2),
};

export type CreditConfig = z.output<z.ZodObject<typeof creditConfigShape>>;
