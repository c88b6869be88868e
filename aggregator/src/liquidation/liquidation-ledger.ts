/**
 * The liquidation ledger as a pure fold over decoded chain events (in chain order per chain): liquidations,
 * seizures (requested, seized, shortfall, proceeds, returned), auction lots, the insurance fund and bad debt.
 * A derived view, rebuilt from `chain_event` like the rest of the ledger (docs/liquidation.md).
 */

/** One decoded event of a liquidation contract. */
export interface LiquidationEvent {
  eid: number;
  blockNumber: number;
  logIndex: number;
  txHash: string;
  /** Manifest role of the emitter (perpMarket, hub, vault, auction, insuranceFund, settlementPool). */
  contract: string;
  name: string;
  args: Record<string, unknown>;
}

export interface SeizureView {
  seizureId: string;
  liquidationId: string;
  account: string;
  eid: number;
  assetId: number;
  /** Token units the hub asked for. */
  requested: bigint;
  debtUsd: bigint;
  /** amount × oracle price when sent (USD 1e18). */
  value: bigint;
  status: 'in-flight' | 'resolved';
  seized: bigint | null;
  shortfall: bigint | null;
  proceedsUsd: bigint | null;
  returned: bigint | null;
  sentTx: string;
}

export interface LiquidationStepView {
  fraction: bigint;
  closedNotional: bigint;
  penalty: bigint;
  healthBefore: bigint;
  liquidator: string;
  txHash: string;
}

export interface LiquidationView {
  liquidationId: string;
  account: string;
  openedBy: string | null;
  status: 'open' | 'closed';
  /** Cash when it closed (USD 1e18). */
  closedCash: bigint | null;
  steps: LiquidationStepView[];
  seizures: string[];
  penalty: bigint;
  keeperShare: bigint;
  fundShare: bigint;
  proceedsUsd: bigint;
  coveredUsd: bigint;
  badDebt: bigint;
}

export interface LotView {
  eid: number;
  lotId: string;
  liquidationId: string;
  account: string;
  assetId: number;
  amount: bigint;
  remaining: bigint;
  debtUsd: bigint;
  proceedsUsd: bigint;
  /** Price of the current curve's start and the oracle price it started from (1e18 USD per whole token). */
  startPrice: bigint;
  oraclePrice: bigint;
  takes: number;
  redos: number;
  status: 'open' | 'closed';
  returned: bigint | null;
}

export interface FundView {
  /** Latest FundBalance: USD (1e18), quote tokens held, the fund's pool cash. */
  balanceUsd: bigint;
  tokenBalance: bigint;
  poolCash: bigint;
  /** Penalty shares credited to the fund (USD 1e18) and quote tokens deposited. */
  penaltyInflowsUsd: bigint;
  depositedTokens: bigint;
  /** Payouts: from the fund's pool cash (USD 1e18) and from its tokens. */
  paidFromCashUsd: bigint;
  paidFromTokens: bigint;
  covers: number;
  /** Debt the fund could not pay (USD 1e18): socialized over positive cash, and the part nobody could bear. */
  badDebtUsd: bigint;
  socializedUsd: bigint;
  unsocializedUsd: bigint;
}

export interface LiquidationLedgerState {
  liquidations: Map<string, LiquidationView>;
  seizures: Map<string, SeizureView>;
  /** Keyed `${eid}:${lotId}`. */
  lots: Map<string, LotView>;
  fund: FundView;
  /** Bad debt per account (lower-case), USD 1e18. */
  badDebtByAccount: Map<string, bigint>;
}

export function emptyLiquidationLedger(): LiquidationLedgerState {
  return {
    liquidations: new Map(),
    seizures: new Map(),
    lots: new Map(),
    fund: {
      balanceUsd: 0n,
      tokenBalance: 0n,
      poolCash: 0n,
      penaltyInflowsUsd: 0n,
      depositedTokens: 0n,
      paidFromCashUsd: 0n,
      paidFromTokens: 0n,
      covers: 0,
      badDebtUsd: 0n,
      socializedUsd: 0n,
      unsocializedUsd: 0n,
    },
    badDebtByAccount: new Map(),
  };
}

/** The events the fold reads, by `${contract}.${name}` (what the repository selects from `chain_event`). */
export const LIQUIDATION_EVENT_KEYS = [
  'perpMarket.LiquidationExecuted',
  'liquidationRegistry.LiquidationOpened',
  'liquidationRegistry.LiquidationClosed',
  'hub.SeizureSent',
  'hub.AuctionResultApplied',
  'auction.LotKicked',
  'auction.LotTaken',
  'auction.LotRedone',
  'auction.LotClosed',
  'insuranceFund.Deposited',
  'insuranceFund.DebtCovered',
  'insuranceFund.FundBalance',
  'settlementPool.PenaltyCharged',
  'settlementPool.LossSocialized',
] as const;

const big = (v: unknown): bigint => BigInt(v as bigint);
const id = (v: unknown): string => big(v).toString();
const lower = (v: unknown): string => String(v).toLowerCase();

function liquidationOf(state: LiquidationLedgerState, liquidationId: string, account: string): LiquidationView {
  let l = state.liquidations.get(liquidationId);
  if (!l) {
    l = {
      liquidationId,
      account,
      openedBy: null,
      status: 'open',
      closedCash: null,
      steps: [],
      seizures: [],
      penalty: 0n,
      keeperShare: 0n,
      fundShare: 0n,
      proceedsUsd: 0n,
      coveredUsd: 0n,
      badDebt: 0n,
    };
    state.liquidations.set(liquidationId, l);
  }
  return l;
}

/** Applies one event (mutating `state`); events of other names are ignored. */
export function applyLiquidationEvent(state: LiquidationLedgerState, e: LiquidationEvent): void {
  const a = e.args;
  switch (`${e.contract}.${e.name}`) {
    case 'liquidationRegistry.LiquidationOpened':
      liquidationOf(state, id(a.liquidationId), lower(a.account)).openedBy = lower(a.opener);
      return;
    case 'liquidationRegistry.LiquidationClosed': {
      const l = liquidationOf(state, id(a.liquidationId), lower(a.account));
      l.status = 'closed';
      l.closedCash = big(a.cash);
      return;
    }
    case 'perpMarket.LiquidationExecuted':
      liquidationOf(state, id(a.liquidationId), lower(a.account)).steps.push({
        fraction: big(a.fraction),
        closedNotional: big(a.closedNotional),
        penalty: big(a.penalty),
        healthBefore: big(a.healthBefore),
        liquidator: lower(a.liquidator),
        txHash: e.txHash,
      });
      return;
    case 'settlementPool.PenaltyCharged': {
      const l = liquidationOf(state, id(a.liquidationId), lower(a.account));
      l.penalty += big(a.penalty);
      l.keeperShare += big(a.keeperShare);
      l.fundShare += big(a.fundShare);
      state.fund.penaltyInflowsUsd += big(a.fundShare);
      return;
    }
    case 'hub.SeizureSent': {
      const seizureId = id(a.seizureId);
      const liquidationId = id(a.liquidationId);
      state.seizures.set(seizureId, {
        seizureId,
        liquidationId,
        account: lower(a.account),
        eid: Number(a.eid),
        assetId: Number(a.assetId),
        requested: big(a.amount),
        debtUsd: big(a.debtUsd),
        value: big(a.value),
        status: 'in-flight',
        seized: null,
        shortfall: null,
        proceedsUsd: null,
        returned: null,
        sentTx: e.txHash,
      });
      const l = liquidationOf(state, liquidationId, lower(a.account));
      if (!l.seizures.includes(seizureId)) l.seizures.push(seizureId);
      return;
    }
    case 'hub.AuctionResultApplied': {
      const s = state.seizures.get(id(a.seizureId));
      if (s)
        Object.assign(s, {
          status: 'resolved',
          seized: big(a.seized),
          shortfall: big(a.shortfall),
          proceedsUsd: big(a.proceedsUsd),
          returned: big(a.returned),
        });
      liquidationOf(state, id(a.liquidationId), lower(a.account)).proceedsUsd += big(a.proceedsUsd);
      return;
    }
    case 'auction.LotKicked':
      state.lots.set(`${e.eid}:${id(a.lotId)}`, {
        eid: e.eid,
        lotId: id(a.lotId),
        liquidationId: id(a.liquidationId),
        account: lower(a.account),
        assetId: Number(a.assetId),
        amount: big(a.amount),
        remaining: big(a.amount),
        debtUsd: big(a.debtUsd),
        proceedsUsd: 0n,
        startPrice: big(a.startPrice),
        oraclePrice: big(a.oraclePrice),
        takes: 0,
        redos: 0,
        status: 'open',
        returned: null,
      });
      return;
    case 'auction.LotTaken': {
      const lot = state.lots.get(`${e.eid}:${id(a.lotId)}`);
      if (!lot) return;
      lot.takes += 1;
      lot.remaining = big(a.remaining);
      lot.proceedsUsd += big(a.proceedsUsd);
      return;
    }
    case 'auction.LotRedone': {
      const lot = state.lots.get(`${e.eid}:${id(a.lotId)}`);
      if (!lot) return;
      lot.redos += 1;
      lot.remaining -= big(a.tip);
      lot.startPrice = big(a.startPrice);
      lot.oraclePrice = big(a.oraclePrice);
      return;
    }
    case 'auction.LotClosed': {
      const lot = state.lots.get(`${e.eid}:${id(a.lotId)}`);
      if (!lot) return;
      lot.status = 'closed';
      lot.returned = big(a.returned);
      lot.remaining = 0n;
      return;
    }
    case 'insuranceFund.Deposited':
      state.fund.depositedTokens += big(a.tokenAmount);
      return;
    case 'insuranceFund.FundBalance':
      state.fund.balanceUsd = big(a.balanceUsd);
      state.fund.tokenBalance = big(a.tokenBalance);
      state.fund.poolCash = big(a.poolCash);
      return;
    case 'insuranceFund.DebtCovered': {
      const l = liquidationOf(state, id(a.liquidationId), lower(a.account));
      l.coveredUsd += big(a.fromCash);
      l.badDebt += big(a.badDebt);
      state.fund.paidFromCashUsd += big(a.fromCash);
      state.fund.paidFromTokens += big(a.fromTokens);
      state.fund.covers += 1;
      return;
    }
    case 'settlementPool.LossSocialized': {
      const account = lower(a.account);
      state.fund.badDebtUsd += big(a.amount);
      state.fund.socializedUsd += big(a.socialized);
      state.fund.unsocializedUsd += big(a.unsocialized);
      state.badDebtByAccount.set(account, (state.badDebtByAccount.get(account) ?? 0n) + big(a.amount));
      return;
    }
    default:
      return;
  }
}
