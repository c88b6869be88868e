import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OracleService } from '../oracle/oracle.service';
import { noQuerySchema } from './schemas';

@ApiTags('oracle')
@Controller('v1/oracle')
export class OracleController {
  constructor(private readonly oracle: OracleService) {}

  @Get('prices')
  @ApiOperation({ summary: 'Guarded price of every manifest asset: last accepted price, feed time, read time, guard status' })
  @ApiOkResponse({ description: "{ prices: [{ assetId, symbol, price, updatedAt, observedAt, status: 'ok'|'stale'|'deviating'|'unavailable', detail }] } (times ISO)" })
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  prices(@Query({ schema: noQuerySchema }) _query: Record<string, never>) {
    return {
      prices: this.oracle.prices().map((p) => ({ ...p, updatedAt: iso(p.updatedAt), observedAt: iso(p.observedAt) })),
    };
  }
}

const iso = (seconds: number | null): string | null => (seconds === null ? null : new Date(seconds * 1000).toISOString());
