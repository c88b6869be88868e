import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreditPusherService } from '../credit/credit-pusher.service';
import { ApiOkBody } from './openapi';
import { creditStatusResponse, type CreditStatusResponse } from './responses';
import { noQuerySchema } from './schemas';

@ApiTags('credit')
@Controller('v1/credit')
export class CreditController {
  constructor(private readonly pusher: CreditPusherService) {}

  @Get('status')
  @ApiOperation({ summary: 'Credit pusher: enabled, leader, last epoch / push / tx, pending accounts, deferred increases, last error' })
  @ApiOkBody(creditStatusResponse)
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  status(@Query({ schema: noQuerySchema }) _query: Record<string, never>): Promise<CreditStatusResponse> {
    return this.pusher.status();
  }
}
