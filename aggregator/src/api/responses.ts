import { z } from 'zod';
import { withdrawalStatusSchema } from './schemas';

/** Response bodies of the `/v1` routes: the types `/docs` publishes and the controllers return. */

const int = z.number().int();
const decimal = z
  .string()
  .regex(/^-?\d+$/)
  .describe('integer as a decimal string (exact; uint256 does not fit a JSON number)');
const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/)
  .describe('0x address');
const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const isoTime = z.iso.datetime().describe('ISO 8601 time (UTC)');
const usd = z.number().describe('USD (float64)');
const priceStatus = z.enum(['ok', 'stale', 'deviating', 'unavailable']);
const pageOf = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item), total: int, limit: int, offset: int });

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

const keeperStage = z
  .enum(['pending', 'marked', 'liquidating', 'seizing', 'auctioning', 'settling', 'done'])
  .describe('keeper stage of the latest run (pending: below health 1, no run yet)');

export const liquidationsPage = z.strictObject({
  items: z.array(
    z.strictObject({
      account: address,
      health: z.number().nullable(),
      collateralMaint: usd,
      requirementMaint: usd,
      liquidatable: z.boolean().describe('health < 1 now'),
      run: int.nullable().describe('1, 2, … per account (null: no run yet)'),
      stage: keeperStage,
      outcome: z.enum(['restored', 'repaid', 'fund-paid', 'bad-debt']).nullable().describe('how a finished run ended'),
      fraction: z.number().nullable().describe('plan fraction of the last liquidate (0.1 … 1.0)'),
      liquidations: int,
      seizures: int,
      settlements: int.describe('insurance fund covers'),
      startedAt: isoTime.nullable(),
      liquidatedAt: isoTime.nullable(),
      seizedAt: isoTime.nullable(),
      doneAt: isoTime.nullable(),
      txHash: hash.nullable().describe('last transaction the keeper sent for the run'),
      error: z.string().nullable().describe('last failure of the run (cleared when a step lands)'),
    }),
  ),
  total: int,
});

const seizureItem = z.strictObject({
  seizureId: decimal,
  liquidationId: decimal,
  account: address,
  eid: int,
  assetId: int,
  requested: decimal.describe('collateral the hub asked for, base units'),
  debtUsd: decimal.describe('USD (1e18) the lot must raise'),
  value: decimal.describe('requested × oracle price when sent, USD 1e18'),
  status: z.enum(['in-flight', 'resolved']),
  seized: decimal.nullable().describe('collateral the vault took (AUCTION_RESULT)'),
  shortfall: decimal.nullable().describe('requested − seized'),
  proceedsUsd: decimal.nullable().describe('credited to cash, USD 1e18'),
  returned: decimal.nullable().describe('unsold collateral returned to the account'),
  txHash: hash,
});

export const liquidationDetail = z.strictObject({
  liquidationId: decimal,
  account: address,
  status: z.enum(['open', 'closed']),
  closedCash: decimal.nullable(),
  steps: z.array(
    z.strictObject({
      fraction: decimal.describe('1e18 = every position'),
      closedNotional: decimal,
      penalty: decimal,
      healthBefore: decimal.describe('conservative health before, 1e18'),
      liquidator: address,
      txHash: hash,
    }),
  ),
  seizureIds: z.array(decimal),
  penalty: decimal,
  keeperShare: decimal,
  fundShare: decimal,
  proceedsUsd: decimal,
  coveredUsd: decimal.describe('paid by the insurance fund'),
  badDebt: decimal.describe('written off and socialized'),
  seizures: z.array(seizureItem),
});

export const lotsPage = pageOf(
  z.strictObject({
    eid: int,
    lotId: decimal,
    liquidationId: decimal,
    account: address,
    assetId: int,
    amount: decimal.describe('collateral seized into the lot, base units'),
    remaining: decimal.describe('collateral still for sale'),
    debtUsd: decimal,
    proceedsUsd: decimal,
    startPrice: decimal.describe('price at the current curve start, 1e18 USD per whole token'),
    oraclePrice: decimal.describe('oracle price the curve started from'),
    priceNow: decimal.nullable().describe('CollateralAuction.lotPrice now (open lots; null when closed or unreadable)'),
    takes: int,
    redos: int,
    status: z.enum(['open', 'closed']),
    returned: decimal.nullable(),
  }),
);

export const insuranceFundResponse = z.strictObject({
  balanceUsd: decimal.describe('quote tokens held + positive pool cash, USD 1e18 (last FundBalance event)'),
  tokenBalance: decimal,
  poolCash: decimal,
  penaltyInflowsUsd: decimal.describe('penalty halves credited to the fund'),
  depositedTokens: decimal,
  paidFromCashUsd: decimal,
  paidFromTokens: decimal,
  covers: int,
  badDebtUsd: decimal.describe('debt written off (socialized + unsocialized)'),
  socializedUsd: decimal,
  unsocializedUsd: decimal.describe('part no positive cash was left to bear'),
  badDebtByAccount: z.array(z.strictObject({ account: address, amountUsd: decimal })),
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
export type LiquidationDetailResponse = z.output<typeof liquidationDetail>;
export type LotsPage = z.output<typeof lotsPage>;
export type InsuranceFundResponse = z.output<typeof insuranceFundResponse>;
export type AccountRiskResponse = z.output<typeof accountRisk>;
export type RiskHistoryPage = z.output<typeof riskHistoryPage>;
export type RiskChainsResponse = z.output<typeof riskChainsResponse>;
export type RiskBookResponse = z.output<typeof riskBookResponse>;
export type OraclePricesResponse = z.output<typeof oraclePricesResponse>;
export type CreditStatusResponse = z.output<typeof creditStatusResponse>;
export type LiquidationsPage = z.output<typeof liquidationsPage>;
