import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RiskApiService } from './risk-api.service';
import { noQuerySchema } from './schemas';

@ApiTags('risk')
@Controller('v1/risk')
export class RiskController {
  constructor(private readonly risk: RiskApiService) {}

  @Post('evaluate')
  @HttpCode(200)
  @ApiOperation({ summary: 'What-if: the risk model (docs/risk-model.md) on the given assets, correlations, chains, balances, positions and params' })
  @ApiBody({ description: '{ assets:[{id, price, weightInit, weightMaint, imf, volatility}], correlations:[{a, b, rho}], chains:[{eid, weight}], balances:[{eid, assetId, amount}], positions:[{assetId, size, entryPrice, imr, mmr}], params:{zInit, zMaint, horizonDays, stress, pnlWeight} }' })
  @ApiOkResponse({ description: '{ collateralInit, collateralMaint, unrealizedPnl, pnlAdjusted, exposure, varInit, varMaint, floorInit, floorMaint, requirementInit, requirementMaint, health, creditLimit, liquidatable }' })
  @ApiBadRequestResponse({ description: 'invalid request; every problem as `path: message`' })
  evaluate(@Query({ schema: noQuerySchema }) _query: Record<string, never>, @Body() body: unknown) {
    return this.risk.evaluate(body);
  }

  @Get('chains')
  @ApiOperation({ summary: 'Collateral chains: configured and current (decayed) weight v_c, last delivered attestation, heartbeat, decay window' })
  @ApiOkResponse({ description: '{ chains: [{ eid, name, configuredWeight, weight, lastAttestationAt, heartbeatSeconds, decayWindowSeconds }] }' })
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  chains(@Query({ schema: noQuerySchema }) _query: Record<string, never>) {
    return this.risk.chains();
  }
}
