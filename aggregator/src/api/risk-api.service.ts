import { BadRequestException, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { getAddress } from 'ethers';
import {
  RiskInputError,
  describeRiskRequestIssues,
  evaluateRisk,
  liquidationPlanRequestSchema,
  planLiquidation,
  namesCaps,
  previewCaps,
  previewParams,
  type AccountImpact,
  type AccountOverCap,
  riskRequestSchema,
  type LiquidationPlan,
  type RiskResult,
  volatilityScaledWeight,
} from '@tributary/risk';
import { RiskParamsRepository } from '../chain/risk-params.repository';
import { LedgerQueryRepository } from '../ledger/ledger-query.repository';
import { OracleService } from '../oracle/oracle.service';
import { RiskBookSync } from '../risk/book-sync';
import { summarizeBook } from '../risk/book-summary';
import { ChainWeights } from '../risk/chain-weights';
import { LiveRiskParams } from '../risk/live-params';
import { RiskHistoryRepository } from '../risk/risk-history.repository';
import { RiskService } from '../risk/risk.service';
import { bookId } from '../risk/risk-inputs';
import { previewParamsRequestSchema } from './param-preview.schema';
import { stableParamsPreview } from './stable-preview';
import type { PageQuery, RiskBookQuery } from './schemas';

@Injectable()
export class RiskApiService {
  constructor(
    private readonly risk: RiskService,
    private readonly book: RiskBookSync,
    private readonly weights: ChainWeights,
    private readonly oracle: OracleService,
    private readonly history: RiskHistoryRepository,
    private readonly ledger: LedgerQueryRepository,
    private readonly live: LiveRiskParams,
    private readonly paramsRepo: RiskParamsRepository,
  ) {}

  evaluate(body: unknown): RiskResult {
    const parsed = riskRequestSchema.safeParse(body);
    if (!parsed.success) throw new BadRequestException(describeRiskRequestIssues(parsed.error));
    return asBadRequest(() => evaluateRisk(parsed.data));
  }

  liquidationPlan(body: unknown): LiquidationPlan {
    const parsed = liquidationPlanRequestSchema.safeParse(body);
    if (!parsed.success) throw new BadRequestException(describeRiskRequestIssues(parsed.error));
    return asBadRequest(() => planLiquidation(parsed.data));
  }

  /** What a proposed parameter change would do to the live book now (nothing changes). */
  previewParams(body: unknown) {
    const parsed = previewParamsRequestSchema.safeParse(body);
    if (!parsed.success) throw new BadRequestException(describeRiskRequestIssues(parsed.error));
    const book = this.book.book;
    if (!book) throw new ServiceUnavailableException('the risk engine is idle (no manifest with assets on a trading chain)');
    const { assets, markets, chains, params } = parsed.data;
    // The request names governed values; the book holds them as the live engine applies them: base weights scaled
    // by the asset's volatility (min(1, σ_base / σ), at the proposed σ if one is given), chain weights decayed.
    const config = book.market.config();
    const scaled = (a: NonNullable<typeof assets>[number]) => {
      const baseline = this.book.assets.get(a.assetId)?.volatility;
      const sigma = a.volatility ?? config.assets.find((x) => x.id === bookId(a.assetId))?.volatility;
      const scale = (w: number | undefined) =>
        w === undefined || baseline === undefined || sigma === undefined ? w : volatilityScaledWeight(w, baseline, sigma);
      return { ...a, assetId: bookId(a.assetId), weightInit: scale(a.weightInit), weightMaint: scale(a.weightMaint) };
    };
    const preview = asBadRequest(() =>
      previewParams(book, {
        assets: assets?.map((a) => {
          const { accountExposureCap: _, stableMaxStep: __, stableIntervalSeconds: ___, ...weights } = scaled(a);
          return weights;
        }),
        markets: markets?.map(({ openInterestCap: _, accountOpenInterestCap: __, ...m }) => ({ ...m, assetId: bookId(m.assetId) })),
        chains: chains?.map((c) => ({ eid: c.eid, weight: this.weights.effectiveWeight(c.eid, c.weight) })),
        params,
      }),
    );
    const capChange = {
      assets: assets?.map((a) => ({ assetId: bookId(a.assetId), accountExposureCap: a.accountExposureCap })),
      markets: markets?.map((m) => ({
        assetId: bookId(m.assetId),
        openInterestCap: m.openInterestCap,
        accountOpenInterestCap: m.accountOpenInterestCap,
      })),
    };
    const caps = namesCaps(capChange) ? asBadRequest(() => previewCaps(book, capChange)) : null;
    const stable = asBadRequest(() => stableParamsPreview(book, this.oracle.stress, parsed.data, Math.floor(Date.now() / 1000)));
    const over = (list: AccountOverCap[]) => list.map((a) => ({ account: getAddress(a.accountId), value: a.value }));
    const impact = (i: AccountImpact) => ({
      account: getAddress(i.accountId),
      creditBefore: i.creditBefore,
      creditAfter: i.creditAfter,
      healthBefore: i.healthBefore,
      healthAfter: i.healthAfter,
    });
    return {
      ...preview,
      newlyLiquidatable: preview.newlyLiquidatable.map(impact),
      hardestHit: preview.hardestHit.map(impact),
      caps: caps && {
        markets: caps.markets.map((m) => ({ ...m, assetId: Number(m.assetId), largestOver: over(m.largestOver) })),
        exposure: caps.exposure.map((e) => ({ ...e, assetId: Number(e.assetId), largestOver: over(e.largestOver) })),
      },
      stable,
    };
  }

  account(address: string) {
    const risk = this.risk.get(address);
    const inputs = this.book.inputsOf(address);
    if (!risk || !inputs) throw new NotFoundException(`account ${address} has no risk (unknown to the ledger)`);
    const weights = new Map(this.weights.all().map((c) => [c.chain.eid, c.weight]));
    return {
      account: address,
      computedAt: new Date(risk.computedAt).toISOString(),
      result: risk.result,
      frozen: risk.frozen,
      inputs: {
        balances: inputs.balances.map((b) => ({ ...b, chainWeight: weights.get(b.eid) ?? 0 })),
        positions: inputs.positions,
        prices: risk.assets.map((assetId) => {
          const p = this.oracle.price(assetId);
          return {
            assetId,
            symbol: p?.symbol ?? String(assetId),
            price: this.book.bookPrice(assetId),
            stablePrice: this.book.bookStablePrice(assetId),
            status: p?.status ?? 'unavailable',
          };
        }),
      },
    };
  }

  async accountHistory(address: string, query: PageQuery) {
    if (!this.risk.get(address) && !(await this.ledger.account(address))) throw new NotFoundException(`account ${address} has no ledger entries`);
    const page = await this.history.page(address.toLowerCase(), query.limit, query.offset);
    return {
      items: page.items.map((s) => ({ ...s, computedAt: new Date(s.computedAt).toISOString() })),
      total: page.total,
    };
  }

  /** The live book at a glance: health histogram and the accounts nearest to liquidation. */
  bookSummary(query: RiskBookQuery) {
    const risks = this.risk.all();
    const computedAt = risks.reduce((latest, r) => Math.max(latest, r.computedAt), 0);
    return { computedAt: new Date(computedAt || Date.now()).toISOString(), ...summarizeBook(risks, query.nearest) };
  }

  params() {
    const p = this.live.current;
    return {
      source: p.source,
      riskParameters: p.source === 'chain' ? this.paramsRepo.address : null,
      block: p.block,
      checkedAt: this.live.checkedAt === null ? null : new Date(this.live.checkedAt).toISOString(),
      assets: [...p.assets].sort(([a], [b]) => a - b).map(([assetId, w]) => ({ assetId, ...w })),
      chains: [...p.chains].sort(([a], [b]) => a - b).map(([eid, weight]) => ({ eid, weight })),
      markets: [...p.markets]
        .sort(([a], [b]) => a - b)
        .map(([marketId, r]) => {
          const caps = p.marketCaps.get(marketId);
          return {
            marketId,
            ...r,
            openInterestCap: caps?.openInterestCap ?? null,
            accountOpenInterestCap: caps?.accountOpenInterestCap ?? null,
            openInterest: caps ? this.openInterestOf(caps.assetId) : null,
          };
        }),
      exposureCaps: [...p.exposureCaps].sort(([a], [b]) => a - b).map(([assetId, accountExposureCap]) => ({ assetId, accountExposureCap })),
      stablePrice: [...this.book.assets.keys()]
        .sort((a, b) => a - b)
        .map((assetId) => ({
          assetId,
          ...this.oracle.stress.paramsOf(assetId),
          source: p.stable.has(assetId) ? ('chain' as const) : ('default' as const),
        })),
      liquidation: p.liquidation,
      pusherGuard: p.pusherGuard,
    };
  }

  /** Σ |size| on the asset over the live book (units); null while the engine is idle. */
  private openInterestOf(assetId: number): number | null {
    return this.book.book?.assetOpenInterest(bookId(assetId)) ?? null;
  }

  chains() {
    return {
      chains: this.weights.all().map(({ chain, weight, lastMessageAt }) => ({
        eid: chain.eid,
        name: chain.name,
        configuredWeight: this.weights.configuredWeight(chain.eid),
        weight,
        lastMessageAt: lastMessageAt === null ? null : new Date(lastMessageAt * 1000).toISOString(),
        heartbeatSeconds: chain.manifest.heartbeatSeconds,
        decayWindowSeconds: chain.manifest.decayWindowSeconds,
      })),
    };
  }
}

/** A model input the schema cannot see (e.g. an unknown asset id) is the caller's error: 400. */
function asBadRequest<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof RiskInputError) throw new BadRequestException([error.message]);
    throw error;
  }
}
