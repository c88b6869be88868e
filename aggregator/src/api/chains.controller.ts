import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChainsService } from './chains.service';

@ApiTags('chains')
@Controller('v1/chains')
export class ChainsController {
  constructor(private readonly chains: ChainsService) {}

  @Get()
  @ApiOperation({ summary: 'Chains of the deployment manifest with indexing progress' })
  @ApiOkResponse({ description: '{ indexingEnabled, chains: [{ eid, name, role, contracts, indexing: { lastIndexedBlock, headBlock, lagBlocks, lagSeconds } }] }' })
  list() {
    return this.chains.chains();
  }
}
