import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OracleService } from '../oracle/oracle.service';
import { ApiOkBody } from './openapi';
import { oraclePricesResponse, type OraclePricesResponse } from './responses';
import { noQuerySchema } from './schemas';

@ApiTags('oracle')
@Controller('v1/oracle')
export class OracleController {
  constructor(private readonly oracle: OracleService) {}

  @Get('prices')
  @ApiOperation({ summary: 'Guarded price of every manifest asset: last accepted price, feed time, read time, guard status' })
  @ApiOkBody(oraclePricesResponse)
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  prices(@Query({ schema: noQuerySchema }) _query: Record<string, never>): OraclePricesResponse {
    return {
      prices: this.oracle.prices().map((p) => ({ ...p, updatedAt: iso(p.updatedAt), observedAt: iso(p.observedAt) })),
    };
  }
}

const iso = (seconds: number | null): string | null => (seconds === null ? null : new Date(seconds * 1000).toISOString());
