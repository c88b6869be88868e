import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { getAddress } from 'ethers';
import type { LiquidationCandidate } from '@tributary/risk';
import { LiquidationRateLimiter } from '../liquidation/liquidation-rate-limiter.service';
import { LiquidationWatchService } from '../liquidation/liquidation-watch.service';
import { ApiOkBody } from './openapi';
import { liquidationsPage, type LiquidationsPage } from './responses';
import { MAX_OFFSET, MAX_PAGE_SIZE, noQuerySchema, pageQuerySchema, type PageQuery } from './schemas';
import { liquidationQueueResponse, type LiquidationQueueResponse } from './stress-responses';

@ApiTags('liquidations')
@Controller('v1/liquidations')
export class LiquidationController {
  constructor(
    private readonly watch: LiquidationWatchService,
    private readonly limiter: LiquidationRateLimiter,
  ) {}

  @Get('queue')
  @ApiOperation({ summary: 'The book-wide liquidation rate limit: the window, its use, and the liquidatable accounts it lets through or queues' })
  @ApiOkBody(liquidationQueueResponse)
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  queue(@Query({ schema: noQuerySchema }) _query: Record<string, never>): LiquidationQueueResponse {
    const status = this.limiter.status();
    const iso = (s: number) => new Date(s * 1000).toISOString();
    const view = (c: LiquidationCandidate) => ({ ...c, account: getAddress(c.account) });
    return {
      ...status,
      nextReleaseAt: status.nextReleaseAt === null ? null : iso(status.nextReleaseAt),
      window: status.window.map((a) => ({ account: getAddress(a.account), at: iso(a.at), cost: a.cost })),
      admittable: status.admittable.map(view),
      queued: status.queued.map(view),
    };
  }

  @Get()
  @ApiOperation({ summary: 'Accounts with health < 1, lowest health first, with the on-chain mark and the last liquidation attempt' })
  @ApiQuery({ name: 'limit', required: false, description: `1–${MAX_PAGE_SIZE} (default 20)` })
  @ApiQuery({ name: 'offset', required: false, description: `0–${MAX_OFFSET} (default 0)` })
  @ApiOkBody(liquidationsPage)
  @ApiBadRequestResponse({ description: 'invalid limit/offset or unexpected query parameters' })
  list(@Query({ schema: pageQuerySchema }) query: PageQuery): LiquidationsPage {
    return this.watch.list(query.limit, query.offset);
  }
}
