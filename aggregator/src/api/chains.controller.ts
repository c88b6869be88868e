import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChainsService } from './chains.service';
import { ApiOkBody } from './openapi';
import { chainsResponse, type ChainsResponse } from './responses';
import { noQuerySchema } from './schemas';

@ApiTags('chains')
@Controller('v1/chains')
export class ChainsController {
  constructor(private readonly chains: ChainsService) {}

  @Get()
  @ApiOperation({ summary: 'Chains of the deployment manifest with indexing progress' })
  @ApiOkBody(chainsResponse)
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  list(@Query({ schema: noQuerySchema }) _query: Record<string, never>): Promise<ChainsResponse> {
    return this.chains.chains();
  }
}
