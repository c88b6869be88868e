import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { formatUnits, getAddress, type JsonRpcProvider } from 'ethers';
import { ICollateralAuction__factory } from '@tributary/contracts';
import { Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@tributary/service-kit';
import { chainProvider } from '../chain/chain-provider';
import { ChainRegistry } from '../chain/chain-registry';
import type { FundView, LiquidationLedgerState, LiquidationView, LotView, SeizureView } from './liquidation-ledger';
import { LiquidationLedgerRepository } from './liquidation-ledger.repository';

const AUCTION_ABI = ICollateralAuction__factory.createInterface();
const usd = (wad: bigint) => Number(formatUnits(wad, 18));
const s = (v: bigint | null) => (v === null ? null : v.toString());
const checksum = (a: string) => getAddress(a);

export type LotStatusFilter = 'open' | 'closed' | 'all';

/**
 * What the API and the metrics show of liquidations, from the liquidation ledger: each liquidation with its
 * steps and seizures, the auction lots (an open lot's price now read from its auction contract), the insurance
 * fund and bad debt. Amounts are decimal strings (exact), USD also as float64 where the name says so.
 */
@Injectable()
export class LiquidationLedgerService implements OnApplicationShutdown {
  private readonly providers = new Map<number, { provider: JsonRpcProvider; auction: string; name: string }>();
  private last: LiquidationLedgerState | null = null;
  /** Per collateral chain: open lots and the age (s) of the oldest price curve among them (kick or last redo). */
  private lotAges = new Map<string, { open: number; oldestAge: number }>();

  constructor(
    private readonly ledger: LiquidationLedgerRepository,
    registry: ChainRegistry,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    for (const chain of registry.chains) {
      const auction = (chain.manifest.contracts as Record<string, string | undefined>).auction;
      if (auction) this.providers.set(chain.eid, { provider: chainProvider(chain), auction: getAddress(auction), name: chain.name });
    }
    const fund = () => this.last?.fund;
    const lots = () => [...(this.last?.lots.values() ?? [])];
    const seizures = () => [...(this.last?.seizures.values() ?? [])];
    const fundValue = (gauge: Gauge, value: (f: FundView) => bigint) => {
      const f = fund();
      if (f) gauge.set(usd(value(f)));
    };
    new Gauge({
      name: 'tributary_aggregator_insurance_fund_balance_usd',
      help: 'Insurance fund balance (quote tokens + its positive pool cash), USD',
      registers: [metrics],
      collect() {
        fundValue(this, (f) => f.balanceUsd);
      },
    });
    new Gauge({
      name: 'tributary_aggregator_insurance_fund_inflows_usd',
      help: 'Penalty shares credited to the insurance fund so far, USD',
      registers: [metrics],
      collect() {
        fundValue(this, (f) => f.penaltyInflowsUsd);
      },
    });
    new Gauge({
      name: 'tributary_aggregator_insurance_fund_payouts_usd',
      help: 'Debt the insurance fund paid from its pool cash so far, USD',
      registers: [metrics],
      collect() {
        fundValue(this, (f) => f.paidFromCashUsd);
      },
    });
    new Gauge({
      name: 'tributary_aggregator_bad_debt_usd',
      help: 'Debt written off and socialized so far, USD',
      registers: [metrics],
      collect() {
        fundValue(this, (f) => f.badDebtUsd);
      },
    });
    new Gauge({
      name: 'tributary_aggregator_auction_lots',
      help: 'Auction lots by status (open, closed)',
      labelNames: ['status'],
      registers: [metrics],
      collect() {
        const all = lots();
        this.set({ status: 'open' }, all.filter((l) => l.status === 'open').length);
        this.set({ status: 'closed' }, all.filter((l) => l.status === 'closed').length);
      },
    });
    const ages = () => this.lotAges;
    new Gauge({
      name: 'tributary_auction_lots_open',
      help: 'Open auction lots per collateral chain',
      labelNames: ['chain'],
      registers: [metrics],
      collect() {
        for (const [chain, a] of ages()) this.set({ chain }, a.open);
      },
    });
    new Gauge({
      name: 'tributary_auction_oldest_lot_age_seconds',
      help: 'Age of the oldest open lot price curve per collateral chain (since its kick or last redo; 0 without open lots)',
      labelNames: ['chain'],
      registers: [metrics],
      collect() {
        for (const [chain, a] of ages()) this.set({ chain }, a.oldestAge);
      },
    });
    new Gauge({
      name: 'tributary_aggregator_seizures_in_flight',
      help: 'Seizures sent by the hub without an AUCTION_RESULT yet',
      registers: [metrics],
      collect() {
        this.set(seizures().filter((x) => x.status === 'in-flight').length);
      },
    });
  }

  /** Reads the ledger (metrics show the last read: the keeper service refreshes it every round). */
  async refresh(): Promise<LiquidationLedgerState> {
    this.last = await this.ledger.read();
    return this.last;
  }

  /** Refreshes the ledger and the per-chain lot gauges (one `lot()` read per open lot). */
  async refreshMetrics(): Promise<void> {
    const state = await this.refresh();
    const ages = new Map<string, { open: number; oldestAge: number }>();
    for (const [eid, chain] of this.providers) {
      const open = [...state.lots.values()].filter((l) => l.eid === eid && l.status === 'open');
      let oldestAge = 0;
      if (open.length) {
        const now = (await chain.provider.getBlock('latest'))?.timestamp ?? Math.floor(Date.now() / 1000);
        for (const lot of open) {
          const data = AUCTION_ABI.encodeFunctionData('lot', [lot.lotId]);
          const [onChain] = AUCTION_ABI.decodeFunctionResult('lot', await chain.provider.call({ to: chain.auction, data }));
          oldestAge = Math.max(oldestAge, now - Number((onChain as { startedAt: bigint }).startedAt));
        }
      }
      ages.set(chain.name, { open: open.length, oldestAge });
    }
    this.lotAges = ages;
  }

  async liquidation(liquidationId: string) {
    const state = await this.refresh();
    const l = state.liquidations.get(liquidationId);
    if (!l) return null;
    return { ...liquidationView(l), seizures: l.seizures.map((id) => seizureView(state.seizures.get(id)!)) };
  }

  async liquidationsOf(account: string) {
    const state = await this.refresh();
    return [...state.liquidations.values()].filter((l) => l.account === account.toLowerCase()).map(liquidationView);
  }

  async lots(status: LotStatusFilter, limit: number, offset: number) {
    const state = await this.refresh();
    const all = [...state.lots.values()]
      .filter((l) => status === 'all' || l.status === status)
      .sort((a, b) => (a.status === b.status ? Number(BigInt(b.lotId) - BigInt(a.lotId)) : a.status === 'open' ? -1 : 1));
    const page = all.slice(offset, offset + limit);
    const items = await Promise.all(page.map(async (lot) => ({ ...lotView(lot), priceNow: await this.priceNow(lot) })));
    return { items, total: all.length, limit, offset };
  }

  async fund() {
    const state = await this.refresh();
    const f = state.fund;
    return {
      balanceUsd: s(f.balanceUsd)!,
      tokenBalance: s(f.tokenBalance)!,
      poolCash: s(f.poolCash)!,
      penaltyInflowsUsd: s(f.penaltyInflowsUsd)!,
      depositedTokens: s(f.depositedTokens)!,
      paidFromCashUsd: s(f.paidFromCashUsd)!,
      paidFromTokens: s(f.paidFromTokens)!,
      covers: f.covers,
      badDebtUsd: s(f.badDebtUsd)!,
      socializedUsd: s(f.socializedUsd)!,
      unsocializedUsd: s(f.unsocializedUsd)!,
      badDebtByAccount: [...state.badDebtByAccount.entries()].map(([account, amount]) => ({ account: checksum(account), amountUsd: s(amount)! })),
    };
  }

  private async priceNow(lot: LotView): Promise<string | null> {
    const chain = this.providers.get(lot.eid);
    if (lot.status !== 'open' || !chain) return null;
    try {
      const data = AUCTION_ABI.encodeFunctionData('lotPrice', [lot.lotId]);
      const [price] = AUCTION_ABI.decodeFunctionResult('lotPrice', await chain.provider.call({ to: chain.auction, data }));
      return (price as bigint).toString();
    } catch {
      return null;
    }
  }

  onApplicationShutdown(): void {
    for (const { provider } of this.providers.values()) provider.destroy();
  }
}

export function liquidationView(l: LiquidationView) {
  return {
    liquidationId: l.liquidationId,
    account: checksum(l.account),
    status: l.status,
    closedCash: s(l.closedCash),
    steps: l.steps.map((step) => ({
      fraction: s(step.fraction)!,
      closedNotional: s(step.closedNotional)!,
      penalty: s(step.penalty)!,
      healthBefore: s(step.healthBefore)!,
      liquidator: checksum(step.liquidator),
      txHash: step.txHash,
    })),
    seizureIds: l.seizures,
    penalty: s(l.penalty)!,
    keeperShare: s(l.keeperShare)!,
    fundShare: s(l.fundShare)!,
    proceedsUsd: s(l.proceedsUsd)!,
    coveredUsd: s(l.coveredUsd)!,
    badDebt: s(l.badDebt)!,
  };
}

export function seizureView(x: SeizureView) {
  return {
    seizureId: x.seizureId,
    liquidationId: x.liquidationId,
    account: checksum(x.account),
    eid: x.eid,
    assetId: x.assetId,
    requested: s(x.requested)!,
    debtUsd: s(x.debtUsd)!,
    value: s(x.value)!,
    status: x.status,
    seized: s(x.seized),
    shortfall: s(x.shortfall),
    proceedsUsd: s(x.proceedsUsd),
    returned: s(x.returned),
    txHash: x.sentTx,
  };
}

export function lotView(l: LotView) {
  return {
    eid: l.eid,
    lotId: l.lotId,
    liquidationId: l.liquidationId,
    account: checksum(l.account),
    assetId: l.assetId,
    amount: s(l.amount)!,
    remaining: s(l.remaining)!,
    debtUsd: s(l.debtUsd)!,
    proceedsUsd: s(l.proceedsUsd)!,
    startPrice: s(l.startPrice)!,
    oraclePrice: s(l.oraclePrice)!,
    takes: l.takes,
    redos: l.redos,
    status: l.status,
    returned: s(l.returned),
  };
}
