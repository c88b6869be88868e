export { evaluateRisk } from './evaluate-risk';
export {
  DEFAULT_LIQUIDATION_PENALTY,
  DEFAULT_TARGET_HEALTH,
  liquidationPlanRequestSchema,
  planLiquidation,
  planLiquidationWith,
  type LiquidationPlan,
  type PlanInputs,
  type PlanPosition,
  type LiquidationPlanRequestInput,
} from './liquidation-plan';
export { RiskInputError, type AccountRiskSummary, type RiskResult } from './risk-result';
export {
  DEFAULT_STRESS,
  describeRiskRequestIssues,
  riskAssetSchema,
  riskBalanceSchema,
  riskChainSchema,
  riskCorrelationSchema,
  riskParamsSchema,
  riskPositionSchema,
  riskRequestSchema,
  type RiskAsset,
  type RiskBalance,
  type RiskChain,
  type RiskCorrelation,
  type RiskParams,
  type RiskPosition,
  type RiskRequest,
  type RiskRequestInput,
} from './risk-request.schema';
export { RiskBook, type AccountBalance, type AccountHoldings } from './risk-book';
export { HoldingsWriter, type BookPosition } from './holdings-writer';
export { changedConfig, changedHoldings, previewParams, type AccountImpact, type ParamChange, type ParamPreview } from './param-preview';
export {
  previewStableParams,
  type BookAt,
  type StableAssetPreview,
  type StableOutcome,
  type StableParamsChange,
  type StablePreview,
} from './stable-preview';
export { RiskMarket, type AssetRiskTerms, type MarketConfig, type MarketParams } from './risk-market';

export * from './risk-formulas';
export { EWMA_LAMBDA, EwmaRiskEstimator, ewmaCorrelation, ewmaVolatility, type EwmaOptions } from './ewma';
export { decayedChainWeight, type ChainWeightDecayInput } from './chain-weight-decay';
export { MAX_WEIGHT_STEP, steppedWeight, volatilityScaledWeight } from './volatility-scaling';
export { fromFixed18, toFixed18 } from './fixed-point';
export {
  DEFAULT_STABLE_PRICE_INTERVAL_S,
  DEFAULT_STABLE_PRICE_MAX_STEP,
  DEFAULT_STABLE_PRICE_PARAMS,
  initialStablePrice,
  stablePriceAllowance,
  updateStablePrice,
  validateStablePriceParams,
  type StablePriceParams,
  type StablePriceState,
} from './stable-price';
export {
  DEFAULT_LIQUIDATION_LIMIT_FRACTION,
  DEFAULT_LIQUIDATION_RATE_LIMIT,
  DEFAULT_LIQUIDATION_WINDOW_S,
  EMPTY_RATE_LIMIT_STATE,
  admitLiquidations,
  byLiquidationPriority,
  liquidationCost,
  validateRateLimitParams,
  windowState,
  type AdmitResult,
  type LiquidationAdmission,
  type LiquidationCandidate,
  type LiquidationRateLimitParams,
  type RateLimitState,
} from './liquidation-rate-limit';
export {
  DEFAULT_AUCTION_BREAKER,
  DEFAULT_AUCTION_BREAKER_DROP,
  DEFAULT_AUCTION_BREAKER_WINDOW_S,
  auctionBreaker,
  validateAuctionBreakerParams,
  type AuctionBreakerParams,
  type AuctionBreakerState,
  type PricePoint,
} from './auction-breaker';
export {
  namesCaps,
  previewCaps,
  type AccountOverCap,
  type CapChange,
  type CapPreview,
  type ExposureCapPreview,
  type MarketCapPreview,
} from './cap-preview';
