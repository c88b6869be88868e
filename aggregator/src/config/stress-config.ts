import { z } from 'zod';
import {
  DEFAULT_AUCTION_BREAKER_DROP,
  DEFAULT_AUCTION_BREAKER_WINDOW_S,
  DEFAULT_LIQUIDATION_LIMIT_FRACTION,
  DEFAULT_LIQUIDATION_WINDOW_S,
  DEFAULT_STABLE_PRICE_INTERVAL_S,
  DEFAULT_STABLE_PRICE_MAX_STEP,
} from '@tributary/risk';

const fraction = z.coerce.number().finite().gt(0).lt(1);
const seconds = z.coerce
  .number()
  .int()
  .min(1)
  .max(30 * 86_400);

/**
 * Env of the breakers and dampeners (docs/breakers-and-dampeners.md), spread into the app config schema. Off-chain
 * defaults until the governed on-chain parameters exist; the same defaults as the risk library.
 */
export const stressConfigShape = {
  /** δ: largest relative step of the stable price per STABLE_PRICE_INTERVAL_S of trading-chain time. */
  STABLE_PRICE_MAX_STEP: fraction.default(DEFAULT_STABLE_PRICE_MAX_STEP),
  /** τ (s). */
  STABLE_PRICE_INTERVAL_S: seconds.default(DEFAULT_STABLE_PRICE_INTERVAL_S),
  /** The book takes a new stable price once it moved this much (relative) since the last one, or reached the oracle. */
  STABLE_PRICE_BOOK_EPSILON: z.coerce.number().finite().min(0).max(0.01).default(0.0001),
  /** β: a fall of more than this within AUCTION_BREAKER_WINDOW_S pauses the asset's auctions. */
  AUCTION_BREAKER_DROP: fraction.default(DEFAULT_AUCTION_BREAKER_DROP),
  AUCTION_BREAKER_WINDOW_S: seconds.default(DEFAULT_AUCTION_BREAKER_WINDOW_S),
  /** How often the collateral chains' auction breakers are read (their pause, a guardian resume); 0 = never. */
  AUCTION_BREAKER_POLL_MS: z.coerce.number().int().min(0).default(5000),
  /** L_max as a share of the book's open interest per LIQUIDATION_WINDOW_S. */
  LIQUIDATION_LIMIT_FRACTION: z.coerce.number().finite().gt(0).max(1).default(DEFAULT_LIQUIDATION_LIMIT_FRACTION),
  LIQUIDATION_WINDOW_S: seconds.default(DEFAULT_LIQUIDATION_WINDOW_S),
  /** L_max is a share of the highest open interest seen over this period (liquidations do not shrink it). */
  LIQUIDATION_OI_REFERENCE_S: seconds.default(86_400),
};
