import { z } from 'zod';
import { address, decimal, hash, int, isoTime, pageOf, usd } from './responses';

/** Response bodies of the liquidation routes (`/v1/liquidations`, `/v1/auctions/lots`, `/v1/insurance-fund`). */

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

export type LiquidationDetailResponse = z.output<typeof liquidationDetail>;
export type LotsPage = z.output<typeof lotsPage>;
export type InsuranceFundResponse = z.output<typeof insuranceFundResponse>;
export type LiquidationsPage = z.output<typeof liquidationsPage>;
