import { Controller, Param, Sse, type MessageEvent } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { AccountEventsService } from './account-events.service';
import { addressSchema } from './schemas';

@ApiTags('accounts')
@Controller('v1/accounts')
export class AccountEventsController {
  constructor(private readonly events: AccountEventsService) {}

  @Sse(':address/events')
  @ApiOperation({
    summary: 'Server-sent events of one account: ledger, collateral, position, withdrawal, credit and risk changes (no polling needed)',
    description:
      'Opens with `snapshot` ({ account: the GET /v1/accounts/:address body or null, risk }). Then, after each committed ledger change: ' +
      '`ledger` ({ changed: [top-level keys], account }), one `collateral` / `position` / `withdrawal` event per changed item (its view), ' +
      'one event per other changed field named after it (`credit`, …: { value }); `risk` ({ computedAt, result, frozen }) when the live ' +
      'risk moves. Works for an account the ledger does not know yet (snapshot account null). Ids increase per account.',
  })
  @ApiParam({ name: 'address', description: '0x address (lowercase or EIP-55 checksummed)', example: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'an event stream; each event `data` is JSON', schema: { type: 'string', format: 'event-stream' } })
  @ApiBadRequestResponse({ description: 'invalid address' })
  stream(@Param('address', { schema: addressSchema }) address: string): Observable<MessageEvent> {
    return this.events.events(address);
  }
}
