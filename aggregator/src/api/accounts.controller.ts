import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccountsService } from './accounts.service';
import { ApiOkBody } from './openapi';
import {
  accountLedger,
  accountsPage,
  cashHistoryPage,
  withdrawalsPage,
  type AccountLedgerResponse,
  type AccountsPage,
  type CashHistoryPage,
  type WithdrawalsPage,
} from './responses';
import {
  MAX_OFFSET,
  MAX_PAGE_SIZE,
  addressSchema,
  pageQuerySchema,
  withdrawalStatusSchema,
  withdrawalsQuerySchema,
  type PageQuery,
  type WithdrawalsQuery,
} from './schemas';

const addressParam = ApiParam({
  name: 'address',
  description: '0x address (lowercase or EIP-55 checksummed)',
  example: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
});
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
  @ApiOkBody(accountsPage)
  list(@Query({ schema: pageQuerySchema }) query: PageQuery): Promise<AccountsPage> {
    return this.accounts.list(query);
  }

  @Get(':address')
  @ApiOperation({ summary: 'Collateral by chain and asset, positions, credit base and epoch, withdrawals, cash' })
  @addressParam
  @ApiOkBody(accountLedger, 'the account ledger (amounts as decimal strings in base units / 1e18 USD)')
  @ApiNotFoundResponse({ description: 'no ledger entries for this account' })
  account(@Param('address', { schema: addressSchema }) address: string): Promise<AccountLedgerResponse> {
    return this.accounts.account(address);
  }

  @Get(':address/withdrawals')
  @ApiOperation({ summary: 'Withdrawals of an account and their states' })
  @addressParam
  @limitQuery
  @offsetQuery
  @ApiQuery({ name: 'status', required: false, enum: withdrawalStatusSchema.options })
  @ApiOkBody(withdrawalsPage)
  @ApiNotFoundResponse({ description: 'no ledger entries for this account' })
  withdrawals(
    @Param('address', { schema: addressSchema }) address: string,
    @Query({ schema: withdrawalsQuerySchema }) query: WithdrawalsQuery,
  ): Promise<WithdrawalsPage> {
    return this.accounts.withdrawals(address, query);
  }

  @Get(':address/cash-history')
  @ApiOperation({ summary: 'Changes of the account’s cash in the SettlementPool (PnL, fees, repayments, withdrawals), newest first' })
  @addressParam
  @limitQuery
  @offsetQuery
  @ApiOkBody(cashHistoryPage)
  @ApiNotFoundResponse({ description: 'no ledger entries for this account' })
  cashHistory(
    @Param('address', { schema: addressSchema }) address: string,
    @Query({ schema: pageQuerySchema }) query: PageQuery,
  ): Promise<CashHistoryPage> {
    return this.accounts.cashHistory(address, query);
  }
}
