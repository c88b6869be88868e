import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccountsService } from './accounts.service';
import { MAX_OFFSET, MAX_PAGE_SIZE, addressSchema, pageQuerySchema, withdrawalsQuerySchema, type PageQuery, type WithdrawalsQuery } from './schemas';

const addressParam = ApiParam({ name: 'address', description: '0x address (lowercase or EIP-55 checksummed)', example: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' });
const limitQuery = ApiQuery({ name: 'limit', required: false, description: `1–${MAX_PAGE_SIZE} (default 20)` });
const offsetQuery = ApiQuery({ name: 'offset', required: false, description: `0–${MAX_OFFSET} (default 0)` });

@ApiTags('accounts')
@ApiBadRequestResponse({ description: 'invalid address or query' })
@Controller('v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({ summary: 'Accounts known to the ledger, by address' })
  @limitQuery
  @offsetQuery
  @ApiOkResponse({ description: '{ items: [{ address }], total, limit, offset }' })
  list(@Query({ schema: pageQuerySchema }) query: PageQuery) {
    return this.accounts.list(query);
  }

  @Get(':address')
  @ApiOperation({ summary: 'Collateral by chain and asset, positions, credit limit and epoch, withdrawals' })
  @addressParam
  @ApiOkResponse({ description: 'the account ledger (amounts as decimal strings in base units / 1e18 USD)' })
  @ApiNotFoundResponse({ description: 'no ledger entries for this account' })
  account(@Param('address', { schema: addressSchema }) address: string) {
    return this.accounts.account(address);
  }

  @Get(':address/withdrawals')
  @ApiOperation({ summary: 'Withdrawals of an account and their states' })
  @addressParam
  @limitQuery
  @offsetQuery
  @ApiQuery({ name: 'status', required: false, enum: ['requested', 'approved', 'rejected', 'released', 'settled'] })
  @ApiNotFoundResponse({ description: 'no ledger entries for this account' })
  withdrawals(@Param('address', { schema: addressSchema }) address: string, @Query({ schema: withdrawalsQuerySchema }) query: WithdrawalsQuery) {
    return this.accounts.withdrawals(address, query);
  }
}
