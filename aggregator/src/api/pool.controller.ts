import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiOkBody } from './openapi';
import { PoolService } from './pool.service';
import { poolResponse, type PoolResponse } from './responses';
import { noQuerySchema } from './schemas';

@ApiTags('pool')
@Controller('v1/pool')
export class PoolController {
  constructor(private readonly pool: PoolService) {}

  @Get()
  @ApiOperation({ summary: 'SettlementPool solvency on the trading chain: token balance, positive cash, debt, equity' })
  @ApiOkBody(poolResponse, 'amounts in 1e18 USD as decimal strings; read from the chain at `blockNumber`')
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  @ApiServiceUnavailableResponse({ description: 'no trading chain or no SettlementPool in the manifest, or the chain read failed' })
  state(@Query({ schema: noQuerySchema }) _query: Record<string, never>): Promise<PoolResponse> {
    return this.pool.state();
  }
}
