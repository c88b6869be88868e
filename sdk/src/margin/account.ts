import { getAddress } from 'ethers';
import { rejectReasonName } from '@tributary/protocol';
import type { RiskResultBody } from '../api/types';
import { read, type TraderContext } from '../chain/context';
import { onChainCredit } from '../chain/credit';
import { formatAmount, usd } from '../core/units';
import { applyChange, liveRiskRequest } from './what-if';

/** One account's unified margin: the aggregator's ledger and risk, and what the trading chain holds now. */
export interface AccountSummary {
  address: string;
  /** Whether the aggregator's ledger has entries for it. */
  known: boolean;
  collateral: {
    chain: string;
    eid: number;
    asset: string;
    assetId: number;
    /** What the hub applied (counted as collateral), human units. */
    balance: string;
    /** The vault's newer balance while an attestation is in flight, else null. */
    inFlight: string | null;
  }[];
  positions: { market: string; marketId: number; size: string; entryPrice: number; margin: number; lastPrice: number; realizedPnl: number }[];
  /** On the trading chain now (USD): limit = pushed base + cash, used margin, available, cash, withdrawable cash. */
  credit: { limit: number; used: number; available: number; cash: number; withdrawableCash: number; liquidatable: boolean; pushedAt: string | null };
  /** The aggregator's live risk (null while the ledger does not know the account). */
  risk:
    | (Pick<
        RiskResultBody,
        'health' | 'creditLimit' | 'collateralInit' | 'collateralMaint' | 'requirementInit' | 'requirementMaint' | 'unrealizedPnl' | 'liquidatable'
      > & {
        computedAt: string;
        frozen: { asset: string; reason: string; detail: string }[];
      })
    | null;
  withdrawals: {
    chain: string;
    requestId: string;
    asset: string;
    amount: string;
    status: string;
    approved: boolean | null;
    reasonName: string | null;
  }[];
}

/** GET /v1/accounts/:a and its /risk, with the chain's credit and cash. */
export async function readAccount(ctx: TraderContext, address: string): Promise<AccountSummary> {
  const d = ctx.deployment;
  const account = getAddress(address);
  const pool = d.trading.contracts.settlementPool ? d.settlementPool() : null;
  const [ledger, risk, credit, withdrawableCash] = await Promise.all([
    ctx.api.account(account),
    ctx.api.accountRisk(account),
    onChainCredit(ctx, account),
    read('reading withdrawable cash', () => (pool ? pool.withdrawableCash(account) : Promise.resolve(0n))),
  ]);
  const markets = await read('reading perp markets', () => d.markets());
  const amount = (eid: number, assetId: number, value: string) => {
    const decimals = d.decimals(eid, assetId);
    return decimals === undefined ? value : formatAmount(BigInt(value), decimals);
  };
  return {
    address: account,
    known: ledger !== null,
    collateral: (ledger?.collateral ?? [])
      .filter((c) => c.balance !== '0' || c.vaultBalance !== '0')
      .map((c) => ({
        chain: c.chain ?? d.chainName(c.eid),
        eid: c.eid,
        asset: c.symbol ?? d.symbol(c.assetId),
        assetId: c.assetId,
        balance: amount(c.eid, c.assetId, c.balance),
        inFlight: BigInt(c.vaultSequence) > BigInt(c.sequence) ? amount(c.eid, c.assetId, c.vaultBalance) : null,
      })),
    positions: (ledger?.positions ?? [])
      .filter((p) => p.size !== '0')
      .map((p) => ({
        market: markets.find((m) => m.marketId === p.marketId)?.symbol ?? `market ${p.marketId}`,
        marketId: p.marketId,
        size: formatAmount(BigInt(p.size), 18),
        entryPrice: usd(BigInt(p.entryPrice)),
        margin: usd(BigInt(p.margin)),
        lastPrice: usd(BigInt(p.lastPrice)),
        realizedPnl: usd(BigInt(p.realizedPnl)),
      })),
    credit: {
      limit: usd(credit.limit),
      used: usd(credit.used),
      available: usd(credit.available),
      cash: usd(credit.cash),
      withdrawableCash: usd(withdrawableCash),
      liquidatable: credit.liquidatable,
      pushedAt: credit.updatedAt ? new Date(credit.updatedAt * 1000).toISOString() : null,
    },
    risk: risk
      ? {
          computedAt: risk.computedAt,
          health: risk.result.health,
          creditLimit: risk.result.creditLimit,
          collateralInit: risk.result.collateralInit,
          collateralMaint: risk.result.collateralMaint,
          requirementInit: risk.result.requirementInit,
          requirementMaint: risk.result.requirementMaint,
          unrealizedPnl: risk.result.unrealizedPnl,
          liquidatable: risk.result.liquidatable,
          frozen: risk.frozen.map((f) => ({ asset: f.symbol, reason: f.reason, detail: f.detail })),
        }
      : null,
    withdrawals: (ledger?.withdrawals ?? []).map((w) => ({
      chain: d.chainName(w.eid),
      requestId: w.requestId,
      asset: d.symbol(w.assetId),
      amount: amount(w.eid, w.assetId, w.amount),
      status: w.status,
      approved: w.approved,
      reasonName: w.reasonName ?? (w.approved === false ? rejectReasonName(w.reason) : null),
    })),
  };
}

export interface MaxWithdrawable {
  chain: string;
  asset: string;
  /** The largest amount a withdrawal request should be approved for now (human units). */
  amount: string;
  /**
   * What bounds it. From the aggregator (`source` 'aggregator'): `risk` (the decider's post-withdrawal rule), `credit`
   * (the hub's on-chain credit), `balance`, `stale-credit`, `liquidatable`, `seizure-in-flight`, `price-unavailable`;
   * else (`source` 'sdk'): `free-balance`, `hub-credit` or `risk` (the SDK's search on the rebuilt model).
   */
  limitedBy: string;
  source: 'aggregator' | 'sdk';
  /** Free in the vault (not locked by pending requests), human units. */
  free: string;
}

/**
 * The most of `asset` on `chain` a withdrawal can take now: the aggregator's figure (`withdrawable` of GET
 * /v1/accounts/:a: the decider's own rule and the hub's checks) when it has one; else the least of the free vault balance, what the hub's check allows (on-chain available credit over the
 * haircut value per unit) and the decider's rule on the model (post-withdrawal L' ≥ F^init and H' ≥ 1, searched
 * with POST /v1/risk/evaluate on the live inputs).
 */
export async function maxWithdrawable(ctx: TraderContext, params: { chain: string; asset: string; account?: string }): Promise<MaxWithdrawable> {
  const d = ctx.deployment;
  const chain = d.collateralChain(params.chain);
  const asset = d.chainAsset(chain, params.asset);
  const account = getAddress(params.account ?? ctx.address);
  const unit = 10n ** BigInt(asset.decimals);
  const [balance, credit, valuePerUnit, published] = await Promise.all([
    read('reading the vault balance', () => d.vault(chain).balanceOf(account, asset.assetId)),
    onChainCredit(ctx, account),
    read('reading the hub haircut', () => d.hub().withdrawalValue(chain.eid, asset.assetId, unit)),
    ctx.api.account(account),
  ]);
  const free = balance.free;
  const result = (value: bigint, limitedBy: string, source: MaxWithdrawable['source'] = 'sdk'): MaxWithdrawable => ({
    chain: chain.name,
    asset: asset.symbol,
    amount: formatAmount(value, asset.decimals),
    limitedBy,
    source,
    free: formatAmount(free, asset.decimals),
  });
  const item = published?.withdrawable?.find((w) => w.eid === chain.eid && w.assetId === asset.assetId);
  if (item)
    return BigInt(item.amount) <= free ? result(BigInt(item.amount), item.limitedBy, 'aggregator') : result(free, 'free-balance', 'aggregator');

  const hubBound = valuePerUnit > 0n ? (credit.available * unit) / valuePerUnit : free;
  let high = free < hubBound ? free : hubBound;
  let limitedBy = free <= hubBound ? 'free-balance' : 'hub-credit';
  if (high === 0n) return result(0n, limitedBy);

  const { request } = await liveRiskRequest(ctx, account);
  const passes = async (amount: bigint) => {
    if (amount === 0n) return true;
    const changed = await applyChange(ctx, request, {
      withdraw: { chain: chain.name, asset: asset.symbol, amount: formatAmount(amount, asset.decimals) },
    });
    const r = await ctx.api.evaluate(changed);
    return r.creditLimit >= r.floorInit && (r.health === null || r.health >= 1);
  };
  if (await passes(high)) return result(high, limitedBy);
  limitedBy = 'risk';
  let low = 0n;
  // Binary search to 1/1000 of the bound (at most ~11 evaluations).
  const precision = high / 1000n > 0n ? high / 1000n : 1n;
  while (high - low > precision) {
    const mid = (low + high) / 2n;
    if (await passes(mid)) low = mid;
    else high = mid;
  }
  return result(low, limitedBy);
}
