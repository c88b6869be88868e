import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { liquidationPlanRequestSchema, riskRequestSchema } from '@tributary/risk';
import { previewParamsRequestSchema } from './param-preview.schema';
import { riskParamsResponse, type RiskParamsResponse } from './param-responses';
import { ApiOkBody, openApiSchema } from './openapi';
import {
  liquidationPlan,
  paramPreview,
  riskBookResponse,
  riskChainsResponse,
  riskResult,
  type LiquidationPlanResponse,
  type ParamPreviewResponse,
  type RiskBookResponse,
  type RiskChainsResponse,
  type RiskResultResponse,
} from './responses';
import { RiskApiService } from './risk-api.service';
import { MAX_PAGE_SIZE, noQuerySchema, riskBookQuerySchema, type RiskBookQuery } from './schemas';

@ApiTags('risk')
@Controller('v1/risk')
export class RiskController {
  constructor(private readonly risk: RiskApiService) {}

  @Post('evaluate')
  @HttpCode(200)
  @ApiOperation({ summary: 'What-if: the risk model (docs/risk-model.md) on the given assets, correlations, chains, balances, positions and params' })
  @ApiBody({
    description: 'assets, correlations, chains, balances, positions and the model parameters',
    schema: openApiSchema(riskRequestSchema, 'input'),
  })
  @ApiOkBody(riskResult)
  @ApiBadRequestResponse({ description: 'invalid request; every problem as `path: message`' })
  evaluate(@Query({ schema: noQuerySchema }) _query: Record<string, never>, @Body() body: unknown): RiskResultResponse {
    return this.risk.evaluate(body);
  }

  @Post('liquidation-plan')
  @HttpCode(200)
  @ApiOperation({ summary: 'What-if: the smallest fraction of every position to close so health reaches params.targetHealth (docs/risk-model.md)' })
  @ApiBody({
    description: 'an evaluate request; params also take targetHealth (default 1.2) and liquidationPenalty (default 0.02)',
    schema: openApiSchema(liquidationPlanRequestSchema, 'input'),
  })
  @ApiOkBody(liquidationPlan)
  @ApiBadRequestResponse({ description: 'invalid request; every problem as `path: message`' })
  liquidationPlan(@Query({ schema: noQuerySchema }) _query: Record<string, never>, @Body() body: unknown): LiquidationPlanResponse {
    return this.risk.liquidationPlan(body);
  }

  @Post('preview-params')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Before a parameter change executes: accounts it makes liquidatable, credit it adds or removes, the ten hit hardest (live book)',
  })
  @ApiBody({
    description:
      "asset base weights (put in the book scaled by the asset's volatility, as the live engine does), imf, volatility; market imr/mmr (by the market's asset id); configured chain weights (decayed like the chain's current weight); model params",
    schema: openApiSchema(previewParamsRequestSchema, 'input'),
  })
  @ApiOkBody(paramPreview)
  @ApiBadRequestResponse({ description: 'invalid change; every problem as `path: message`' })
  previewParams(@Query({ schema: noQuerySchema }) _query: Record<string, never>, @Body() body: unknown): ParamPreviewResponse {
    return this.risk.previewParams(body);
  }

  @Get('book')
  @ApiOperation({ summary: 'The live risk book: accounts per health band (histogram) and the accounts nearest to liquidation' })
  @ApiQuery({ name: 'nearest', required: false, description: `0–${MAX_PAGE_SIZE} accounts nearest to liquidation (default 10)` })
  @ApiOkBody(riskBookResponse)
  @ApiBadRequestResponse({ description: 'invalid or unexpected query parameters' })
  book(@Query({ schema: riskBookQuerySchema }) query: RiskBookQuery): RiskBookResponse {
    return this.risk.bookSummary(query);
  }

  @Get('chains')
  @ApiOperation({ summary: 'Collateral chains: configured and current (decayed) weight v_c, last delivered attestation, heartbeat, decay window' })
  @ApiOkBody(riskChainsResponse)
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  chains(@Query({ schema: noQuerySchema }) _query: Record<string, never>): RiskChainsResponse {
    return this.risk.chains();
  }

  @Get('params')
  @ApiOperation({
    summary:
      "Every governed risk parameter (base and chain weights, margin ratios, taker fees, liquidation parameters, the pusher's credit-increase guard): read from the trading chain's RiskParameters and re-read on every change",
  })
  @ApiOkBody(riskParamsResponse)
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  params(@Query({ schema: noQuerySchema }) _query: Record<string, never>): RiskParamsResponse {
    return this.risk.params();
  }
}
