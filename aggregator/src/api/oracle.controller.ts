import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuctionBreakerWatch } from '../oracle/auction-breaker-watch';
import { OracleService } from '../oracle/oracle.service';
import { ApiOkBody } from './openapi';
import { oraclePricesResponse, type OraclePricesResponse } from './responses';
import { noQuerySchema } from './schemas';
import { oracleStressResponse, type OracleStressResponse } from './stress-responses';

@ApiTags('oracle')
@Controller('v1/oracle')
export class OracleController {
  constructor(
    private readonly oracle: OracleService,
    private readonly breakers: AuctionBreakerWatch,
  ) {}

  @Get('prices')
  @ApiOperation({ summary: 'Guarded price of every manifest asset: last accepted price, feed time, read time, guard status' })
  @ApiOkBody(oraclePricesResponse)
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  prices(@Query({ schema: noQuerySchema }) _query: Record<string, never>): OraclePricesResponse {
    return {
      prices: this.oracle
        .prices()
        .map((p) => ({ ...p, updatedAt: iso(p.updatedAt), observedAt: iso(p.observedAt), stablePrice: p.stablePrice ?? null })),
    };
  }

  @Get('stress')
  @ApiOperation({
    summary:
      "Per asset: oracle and stable (dampened) price, the auction breaker computed from the oracle history, and what each collateral chain's auction enforces",
  })
  @ApiOkBody(oracleStressResponse)
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  stress(@Query({ schema: noQuerySchema }) _query: Record<string, never>): OracleStressResponse {
    const { stable, breaker } = this.oracle.stress.settings;
    return {
      chainTime: iso(this.oracle.stress.lastChainTime),
      stablePrice: { maxStep: stable.maxStep, intervalSeconds: stable.intervalSeconds },
      auctionBreaker: { maxDrop: breaker.maxDrop, windowSeconds: breaker.windowSeconds },
      assets: this.oracle.stressViews().map((v) => ({
        assetId: v.assetId,
        symbol: v.symbol,
        price: v.price,
        stablePrice: v.stablePrice,
        stableParams: this.oracle.stress.paramsOf(v.assetId),
        bookStablePrice: v.bookStablePrice,
        stableUpdatedAt: iso(v.stableUpdatedAt),
        gap: v.stablePrice !== null && v.price ? v.stablePrice / v.price - 1 : null,
        breaker: {
          paused: v.breaker.paused,
          trippedAt: iso(v.breaker.trippedAt),
          pausedUntil: iso(v.breaker.pausedUntil),
          referencePrice: v.breaker.referencePrice,
          triggerPrice: v.breaker.triggerPrice,
          largestDrop: v.breaker.largestDrop,
        },
        onChain: this.breakers.of(v.assetId).map((b) => ({
          eid: b.eid,
          chain: b.chain,
          paused: b.paused,
          pausedUntil: iso(b.pausedUntil),
          trippedAt: iso(b.trippedAt),
          resumedAt: iso(b.resumedAt),
          referencePrice: b.referencePrice,
          maxDrop: b.maxDrop,
          windowSeconds: b.windowSeconds,
        })),
      })),
    };
  }
}

const iso = (seconds: number | null): string | null => (seconds === null ? null : new Date(seconds * 1000).toISOString());
