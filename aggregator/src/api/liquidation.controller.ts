import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { getAddress } from 'ethers';
import { z } from 'zod';
import type { LiquidationCandidate } from '@tributary/risk';
import { LiquidationKeeperService } from '../liquidation/liquidation-keeper.service';
import { LiquidationLedgerService } from '../liquidation/liquidation-ledger.service';
import { LiquidationRateLimiter } from '../liquidation/liquidation-rate-limiter.service';
import { ApiOkBody } from './openapi';
import {
  insuranceFundResponse,
  liquidationDetail,
  liquidationsPage,
  lotsPage,
  type InsuranceFundResponse,
  type LiquidationDetailResponse,
  type LiquidationsPage,
  type LotsPage,
} from './liquidation-responses';
import { MAX_OFFSET, MAX_PAGE_SIZE, noQuerySchema, pageQuerySchema, type PageQuery } from './schemas';
import { liquidationQueueResponse, type LiquidationQueueResponse } from './stress-responses';

const limitQuery = ApiQuery({ name: 'limit', required: false, description: `1–${MAX_PAGE_SIZE} (default 20)` });
const offsetQuery = ApiQuery({ name: 'offset', required: false, description: `0–${MAX_OFFSET} (default 0)` });
const liquidationIdSchema = z.string().regex(/^[1-9]\d{0,19}$/, 'must be a liquidation id (a positive integer)');
const lotsQuerySchema = pageQuerySchema.extend({ status: z.enum(['open', 'closed', 'all']).default('all') });

@ApiTags('liquidations')
@ApiBadRequestResponse({ description: 'invalid parameter or unexpected query parameters' })
@Controller('v1')
export class LiquidationController {
  constructor(
    private readonly keeper: LiquidationKeeperService,
    private readonly ledger: LiquidationLedgerService,
    private readonly limiter: LiquidationRateLimiter,
  ) {}

  @Get('liquidations/queue')
  @ApiOperation({ summary: 'The book-wide liquidation rate limit: the window, its use, and the liquidatable accounts it lets through or queues' })
  @ApiOkBody(liquidationQueueResponse)
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

  @Get('liquidations')
  @ApiOperation({
    summary: "Each account's liquidation stage: accounts below health 1 and runs in progress (lowest health first), then finished runs",
  })
  @limitQuery
  @offsetQuery
  @ApiOkBody(liquidationsPage)
  list(@Query({ schema: pageQuerySchema }) query: PageQuery): Promise<LiquidationsPage> {
    return this.keeper.list(query.limit, query.offset);
  }

  @Get('liquidations/:liquidationId')
  @ApiOperation({ summary: 'One liquidation of the hub registry: its liquidate steps, penalty split, seizures, proceeds, fund cover and bad debt' })
  @ApiParam({ name: 'liquidationId', description: 'MarginHub liquidation id' })
  @ApiOkBody(liquidationDetail, 'amounts as decimal strings (base units / 1e18 USD)')
  @ApiNotFoundResponse({ description: 'no such liquidation indexed' })
  async liquidation(@Param('liquidationId', { schema: liquidationIdSchema }) liquidationId: string): Promise<LiquidationDetailResponse> {
    const found = await this.ledger.liquidation(liquidationId);
    if (!found) throw new NotFoundException(`liquidation ${liquidationId} is not in the ledger`);
    return found;
  }

  @Get('auctions/lots')
  @ApiOperation({ summary: 'Dutch auction lots on every collateral chain: open first (with the price now), then closed, newest first' })
  @ApiQuery({ name: 'status', required: false, description: 'open | closed | all (default all)' })
  @limitQuery
  @offsetQuery
  @ApiOkBody(lotsPage, 'amounts as decimal strings; prices 1e18 USD per whole token')
  lots(@Query({ schema: lotsQuerySchema }) query: z.output<typeof lotsQuerySchema>): Promise<LotsPage> {
    return this.ledger.lots(query.status, query.limit, query.offset);
  }

  @Get('insurance-fund')
  @ApiOperation({ summary: 'Insurance fund: balance, inflows (penalty shares, deposits), payouts, and the bad debt it could not pay' })
  @ApiOkBody(insuranceFundResponse, 'USD 1e18 and quote-token base units as decimal strings')
  fund(@Query({ schema: noQuerySchema }) _query: Record<string, never>): Promise<InsuranceFundResponse> {
    return this.ledger.fund();
  }
}
