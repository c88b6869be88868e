import { z } from 'zod';
import { stablePreview } from './stable-preview-response';
import { withdrawalStatusSchema } from './schemas';

/** Response bodies of the `/v1` routes: the types `/docs` publishes and the controllers return. */

export const int = z.number().int();
export const decimal = z
  .string()
  .regex(/^-?\d+$/)
  .describe('integer as a decimal string (exact; uint256 does not fit a JSON number)');
export const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/)
  .describe('0x address');
export const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
export const isoTime = z.iso.datetime().describe('ISO 8601 time (UTC)');
export const usd = z.number().describe('USD (float64)');
export const priceStatus = z.enum(['ok', 'stale', 'deviating', 'unavailable']);
export const pageOf = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item), total: int, limit: int, offset: int });

// Ledger (amounts in base units, prices and PnL 1e18 USD, as decimal strings)

export const collateralView = z.strictObject({
  eid: int,
  chain: z.string().nullable().describe('manifest name of the chain'),
  assetId: int,
  symbol: z.string().nullable(),
  balance: decimal.describe('balance the hub applied (what the margin ledger counts), base units'),
  sequence: decimal,
  attestedBlock: int.describe('trading-chain block of the hub attestation that set `balance` (0: none yet)'),
  vaultBalance: decimal.describe('balance the vault attested on its own chain (ahead of `balance` while in flight)'),
  vaultSequence: decimal,
});

export const positionView = z.strictObject({
  marketId: int,
  size: decimal,
  entryPrice: decimal,
  margin: decimal,
  lastPrice: decimal,
  realizedPnl: decimal,
});

export const creditView = z.strictObject({ limit: decimal, epoch: decimal, liquidatable: z.boolean(), used: decimal, reserved: decimal });

export const withdrawalView = z.strictObject({
  eid: int,
  requestId: decimal,
  assetId: int,
  amount: decimal,
  status: withdrawalStatusSchema,
  approved: z.boolean().nullable().describe('hub decision; null until decided'),
  reason: int.describe('IMarginHub.RejectReason of a rejection (0 otherwise)'),
  reasonName: z.string().nullable().describe('name of `reason` (e.g. PostWithdrawalCreditBelowFloor); null unless rejected'),
  reservedValue: decimal,
  deadline: int.describe('decision deadline (unix s) while pending; 0 if the hub never held the request for a decision'),
});

export const accountsPage = pageOf(z.strictObject({ address }));

export const accountLedger = z.strictObject({
  address,
  collateral: z.array(collateralView),
  positions: z.array(positionView),
  credit: creditView.nullable(),
  withdrawals: z.array(withdrawalView),
  cash: decimal.describe('signed cash in the SettlementPool (1e18 USD): realized PnL − fees + repayments − withdrawals'),
  withdrawable: z
    .array(
      z.strictObject({
        eid: int,
        chain: z.string().nullable(),
        assetId: int,
        symbol: z.string(),
        amount: decimal.describe('largest collateral withdrawal both keys would approve now (token base units)'),
        limitedBy: z
          .enum(['risk', 'credit', 'balance', 'stale-credit', 'liquidatable', 'seizure-in-flight', 'price-unavailable'])
          .describe('the check that sets the amount'),
      }),
    )
    .nullable()
    .describe('per chain and asset; null while the account is not in the risk book or no hub is configured'),
  withdrawableCash: decimal.nullable().describe('largest withdrawCash now (1e18 USD, whole quote-token units); null without a settlement pool'),
});

export const withdrawalsPage = pageOf(withdrawalView);

export const cashEventView = z.strictObject({
  reason: int.describe('ISettlementPool.CashReason'),
  reasonName: z.string().describe('RealizedPnl, TradingFee, Repayment or Withdrawal'),
  delta: decimal.describe('signed change of cash (1e18 USD)'),
  cashAfter: decimal.describe('cash after the change (1e18 USD, signed)'),
  blockNumber: int,
  logIndex: int,
  txHash: hash,
});

export const cashHistoryPage = pageOf(cashEventView).describe('newest first');

export const poolResponse = z.strictObject({
  address,
  quoteToken: address,
  tokenBalanceUsd: decimal.describe('quote tokens held, in USD (1e18)'),
  totalPositiveCash: decimal.describe('Σ max(0, cash) over accounts (1e18 USD)'),
  totalDebt: decimal.describe('Σ max(0, −cash) over accounts (1e18 USD)'),
  equity: decimal.describe('tokenBalanceUsd + totalDebt − totalPositiveCash (1e18 USD, signed)'),
  solvent: z.boolean().describe('equity ≥ 0'),
  blockNumber: int.describe('trading-chain block the pool was read at'),
});

export const chainsResponse = z.strictObject({
  indexingEnabled: z.boolean(),
  chains: z.array(
    z.strictObject({
      name: z.string(),
      eid: int,
      chainId: int,
      role: z.enum(['trading', 'collateral']),
      confirmations: int,
      startBlock: int,
      contracts: z.strictObject({
        vault: address.optional(),
        hub: address.optional(),
        creditManager: address.optional(),
        perpMarket: address.optional(),
        settlementPool: address.optional(),
      }),
      assets: z.array(z.strictObject({ assetId: int, symbol: z.string().nullable(), token: address, decimals: int })),
      indexing: z.strictObject({
        lastIndexedBlock: int.nullable(),
        headBlock: int.nullable(),
        lagBlocks: int.nullable(),
        lagSeconds: int.nullable(),
        updatedAt: isoTime.nullable(),
      }),
    }),
  ),
});

export const reconciliationResponse = z.strictObject({
  enabled: z.boolean().describe('false without a manifest'),
  report: z
    .strictObject({
      ranAt: isoTime,
      checked: int,
      ok: z.boolean(),
      differences: z.array(
        z.strictObject({
          source: z.enum(['vault', 'hub']),
          eid: int,
          account: address,
          assetId: int,
          block: int.describe('block of the chain the on-chain value was read at'),
          ledger: decimal,
          onChain: decimal,
          difference: decimal.describe('onChain − ledger'),
        }),
      ),
      inFlight: z.array(z.strictObject({ eid: int, account: address, assetId: int, hubSequence: decimal, vaultSequence: decimal })),
      chains: z.array(z.strictObject({ eid: int, block: int.nullable(), rows: int, skipped: z.string().optional() })),
    })
    .nullable(),
});

// Risk, prices, credit, liquidations (USD as float64)

export const liquidationPlan = z.strictObject({
  fraction: z.number().describe('fraction of every position closed: the smallest of 0.1 … 1.0 reaching the target health (1.0 if none)'),
  closedNotional: z.number().describe('USD notional closed, f · Σ|q|·p'),
  penalty: z.number().describe('liquidation penalty charged to cash, π · closedNotional'),
  cashAfter: z.number().describe('cash after the realized PnL of the closed part and the penalty'),
  healthAfter: z.number().nullable().describe('health after the plan; null when nothing is required (unbounded)'),
});

const accountImpact = z.strictObject({
  account: address,
  creditBefore: usd,
  creditAfter: usd,
  healthBefore: z.number().nullable(),
  healthAfter: z.number().nullable(),
});

export const paramPreview = z.strictObject({
  accounts: int.describe('accounts recomputed (every account of the live book)'),
  newlyLiquidatable: z.array(accountImpact).describe('accounts the change would make liquidatable (health < 1)'),
  noLongerLiquidatable: int,
  creditBefore: usd.describe('Σ credit limits now'),
  creditAfter: usd.describe('Σ credit limits with the change'),
  creditAdded: usd.describe('Σ of the increases'),
  creditRemoved: usd.describe('Σ of the decreases'),
  hardestHit: z.array(accountImpact).describe('the ten accounts whose credit falls most, largest first'),
  caps: z
    .strictObject({
      markets: z.array(
        z.strictObject({
          assetId: int,
          openInterest: z.number().describe('Σ |size| of the market on the live book now (units)'),
          openInterestCap: z.number().nullable().describe('the proposed cap (null: not in the request)'),
          openInterestOver: z.number().describe('max(0, open interest − cap): what must close before the market takes new risk'),
          accountOpenInterestCap: z.number().nullable(),
          accountsOver: int.describe('accounts whose |size| is above the proposed per-account cap (they may only reduce)'),
          largestOver: z.array(z.strictObject({ account: address, value: z.number().describe('|size|') })).describe('the ten largest'),
        }),
      ),
      exposure: z.array(
        z.strictObject({
          assetId: int,
          accountExposureCap: usd,
          accountsOver: int.describe('accounts whose |exposure| is above the proposed cap (only hedges and cuts pass)'),
          largestOver: z.array(z.strictObject({ account: address, value: usd.describe('|exposure|') })).describe('the ten largest'),
        }),
      ),
    })
    .nullable()
    .describe('what the proposed caps find on the live book (null: the request names no cap); a cap closes nothing'),
  stable: stablePreview,
});

export const riskResult = z.strictObject({
  collateralInit: usd,
  collateralMaint: usd,
  unrealizedPnl: usd,
  pnlAdjusted: usd,
  exposure: z.record(z.string(), usd).describe('net USD exposure per asset id'),
  varInit: usd,
  varMaint: usd,
  floorInit: usd,
  floorMaint: usd,
  requirementInit: usd,
  requirementMaint: usd,
  health: z.number().nullable().describe('(C_maint + Ua) / R_maint; null when nothing is required'),
  creditLimit: usd,
  creditLimitSigned: usd.describe('creditLimit before its max(0, ·): negative while a debt exceeds the collateral (the chain pushes it signed)'),
  liquidatable: z.boolean(),
});

export const accountRisk = z.strictObject({
  account: address,
  computedAt: isoTime,
  result: riskResult,
  frozen: z.array(z.strictObject({ assetId: int, symbol: z.string(), reason: z.enum(['stale', 'deviating', 'unavailable']), detail: z.string() })),
  inputs: z.strictObject({
    balances: z.array(
      z.strictObject({ eid: int, assetId: int, symbol: z.string(), amount: z.number().describe('token units'), chainWeight: z.number() }),
    ),
    positions: z.array(z.strictObject({ marketId: int, assetId: int, size: z.number(), entryPrice: usd, imr: z.number(), mmr: z.number() })),
    prices: z.array(
      z.strictObject({
        assetId: int,
        symbol: z.string(),
        price: usd.describe('price the book uses (0 until one was accepted)'),
        stablePrice: usd.nullable().describe('stable (dampened) price the init side uses with the oracle price: p⁻ = min, p⁺ = max; null: none yet'),
        status: priceStatus,
      }),
    ),
  }),
});

export const riskHistoryPage = z.strictObject({
  items: z.array(
    z.strictObject({
      account: address,
      computedAt: isoTime,
      health: z.number().nullable(),
      creditLimit: usd,
      collateralInit: usd,
      collateralMaint: usd,
      requirementInit: usd,
      requirementMaint: usd,
      unrealizedPnl: usd,
      liquidatable: z.boolean(),
    }),
  ),
  total: int,
});

export const riskBookResponse = z.strictObject({
  computedAt: isoTime,
  accounts: int.describe('accounts in the live risk book'),
  liquidatable: int,
  frozen: int.describe('accounts whose credit increases a price guard holds back'),
  unbounded: int.describe('accounts with nothing required (health unbounded)'),
  buckets: z.array(
    z.strictObject({
      label: z.string(),
      from: z.number().nullable().describe('health ≥ from (null: open)'),
      to: z.number().nullable().describe('health < to (null: open)'),
      count: int,
    }),
  ),
  nearest: z
    .array(
      z.strictObject({
        account: address,
        health: z.number(),
        liquidatable: z.boolean(),
        creditLimit: usd,
        collateralMaint: usd,
        requirementMaint: usd,
        frozen: z.boolean(),
      }),
    )
    .describe('lowest finite health first'),
});

export const riskChainsResponse = z.strictObject({
  chains: z.array(
    z.strictObject({
      eid: int,
      name: z.string(),
      configuredWeight: z.number(),
      weight: z.number().describe('current weight v_c (decayed while no message of the chain, heartbeats included, arrives)'),
      lastMessageAt: isoTime.nullable().describe('trading-chain block time of the last delivered vault message of any type (heartbeats included)'),
      heartbeatSeconds: int,
      decayWindowSeconds: int,
    }),
  ),
});

export const oraclePricesResponse = z.strictObject({
  prices: z.array(
    z.strictObject({
      assetId: int,
      symbol: z.string(),
      price: usd.nullable().describe('last accepted price; null until one was accepted'),
      updatedAt: isoTime.nullable().describe('feed time of the accepted price'),
      observedAt: isoTime.nullable().describe('when the accepted price was read'),
      status: priceStatus,
      detail: z.string(),
      stablePrice: usd.nullable().describe('stable (dampened) price the risk book uses on the init side; null until a price was accepted'),
    }),
  ),
});

export const creditStatusResponse = z.strictObject({
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  leader: z.boolean(),
  lastEpoch: decimal.nullable(),
  lastPushAt: isoTime.nullable(),
  lastTxHash: hash.nullable(),
  pendingAccounts: int,
  deferredIncreases: int,
  lastError: z.string().nullable(),
});

export type AccountsPage = z.output<typeof accountsPage>;
export type AccountLedgerResponse = z.output<typeof accountLedger>;
export type WithdrawalsPage = z.output<typeof withdrawalsPage>;
export type CashHistoryPage = z.output<typeof cashHistoryPage>;
export type PoolResponse = z.output<typeof poolResponse>;
export type ChainsResponse = z.output<typeof chainsResponse>;
export type ReconciliationResponse = z.output<typeof reconciliationResponse>;
export type RiskResultResponse = z.output<typeof riskResult>;
export type ParamPreviewResponse = z.output<typeof paramPreview>;
export type LiquidationPlanResponse = z.output<typeof liquidationPlan>;
export type AccountRiskResponse = z.output<typeof accountRisk>;
export type RiskHistoryPage = z.output<typeof riskHistoryPage>;
export type RiskChainsResponse = z.output<typeof riskChainsResponse>;
export type RiskBookResponse = z.output<typeof riskBookResponse>;
export type OraclePricesResponse = z.output<typeof oraclePricesResponse>;
export type CreditStatusResponse = z.output<typeof creditStatusResponse>;
