import { Controller, Get, Query } from '@nestjs/common';
import { noQuerySchema } from './schemas';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChainsService } from './chains.service';

@ApiTags('chains')
@Controller('v1/chains')
export class ChainsController {
  constructor(private readonly chains: ChainsService) {}

  @Get()
  @ApiOperation({ summary: 'Chains of the deployment manifest with indexing progress' })
  @ApiOkResponse({ description: '{ indexingEnabled, chains: [{ eid, name, role, contracts, indexing: { lastIndexedBlock, headBlock, lagBlocks, lagSeconds } }] }' })
  @ApiBadRequestResponse({ description: 'unexpected query parameters' })
  list(@Query({ schema: noQuerySchema }) _query: Record<string, never>) {
    return this.chains.chains();
  }
}
