import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { LiquidationWatchService } from '../liquidation/liquidation-watch.service';
import { ApiOkBody } from './openapi';
import { liquidationsPage, type LiquidationsPage } from './responses';
import { MAX_OFFSET, MAX_PAGE_SIZE, pageQuerySchema, type PageQuery } from './schemas';

@ApiTags('liquidations')
@Controller('v1/liquidations')
export class LiquidationController {
  constructor(private readonly watch: LiquidationWatchService) {}

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
