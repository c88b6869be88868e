import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreditPusherService } from '../credit/credit-pusher.service';
import { noQuerySchema } from './schemas';

@ApiTags('credit')
@Controller('v1/credit')
export class CreditController {
  constructor(private readonly pusher: CreditPusherService) {}

  @Get('status')
  @ApiOperation({ summary: 'Credit pusher: enabled, leader, last epoch / push / tx, pending accounts, deferred increases, last error' })
  @ApiOkResponse({ description: '{ enabled, disabledReason, leader, lastEpoch, lastPushAt, lastTxHash, pendingAccounts, deferredIncreases, lastError }' })
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  status(@Query({ schema: noQuerySchema }) _query: Record<string, never>) {
    return this.pusher.status();
  }
}
