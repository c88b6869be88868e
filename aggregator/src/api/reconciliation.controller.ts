import { Controller, Get, Query } from '@nestjs/common';
import { noQuerySchema } from './schemas';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChainRegistry } from '../chain/chain-registry';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
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
  @ApiOkResponse({ description: '{ enabled, report: { ranAt, checked, ok, differences, inFlight, chains } | null }' })
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  async report(@Query({ schema: noQuerySchema }) _query: Record<string, never>) {
    if (!this.registry.enabled) return { enabled: false, report: null };
    const report = this.reconciliation.lastReport() ?? (await this.reconciliation.reconcile());
    return { enabled: true, report: reconciliationView(report) };
  }
}
