import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChainRegistry } from '../chain/chain-registry';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { ApiOkBody } from './openapi';
import { reconciliationResponse, type ReconciliationResponse } from './responses';
import { noQuerySchema } from './schemas';
import { reconciliationView } from './views';

@ApiTags('reconciliation')
@Controller('v1/reconciliation')
export class ReconciliationController {
  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly registry: ChainRegistry,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Last reconciliation of ledger balances against vault custody and hub attestations (runs one if none yet)' })
  @ApiOkBody(reconciliationResponse)
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  async report(@Query({ schema: noQuerySchema }) _query: Record<string, never>): Promise<ReconciliationResponse> {
    if (!this.registry.enabled) return { enabled: false, report: null };
    const report = this.reconciliation.lastReport() ?? (await this.reconciliation.reconcile());
    return { enabled: true, report: reconciliationView(report) };
  }
}
