import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiOkBody } from './openapi';
import { accountRisk, riskHistoryPage, type AccountRiskResponse, type RiskHistoryPage } from './responses';
import { RiskApiService } from './risk-api.service';
import { MAX_OFFSET, MAX_PAGE_SIZE, addressSchema, noQuerySchema, pageQuerySchema, type PageQuery } from './schemas';

const addressParam = ApiParam({
  name: 'address',
  description: '0x address (lowercase or EIP-55 checksummed)',
  example: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
});

@ApiTags('risk')
@ApiBadRequestResponse({ description: 'invalid address or query' })
@ApiNotFoundResponse({ description: 'account unknown to the ledger' })
@Controller('v1/accounts')
export class AccountRiskController {
  constructor(private readonly risk: RiskApiService) {}

  @Get(':address/risk')
  @ApiOperation({ summary: 'Live risk of an account: every term of the model, price freezes, and the inputs it was computed from' })
  @addressParam
  @ApiOkBody(accountRisk)
  account(
    @Param('address', { schema: addressSchema }) address: string,
    @Query({ schema: noQuerySchema }) _query: Record<string, never>,
  ): AccountRiskResponse {
    return this.risk.account(address);
  }

  @Get(':address/risk/history')
  @ApiOperation({ summary: 'Risk snapshots of an account, newest first (throttled; every liquidatable flip kept)' })
  @addressParam
  @ApiQuery({ name: 'limit', required: false, description: `1–${MAX_PAGE_SIZE} (default 20)` })
  @ApiQuery({ name: 'offset', required: false, description: `0–${MAX_OFFSET} (default 0)` })
  @ApiOkBody(riskHistoryPage)
  history(
    @Param('address', { schema: addressSchema }) address: string,
    @Query({ schema: pageQuerySchema }) query: PageQuery,
  ): Promise<RiskHistoryPage> {
    return this.risk.accountHistory(address, query);
  }
}
