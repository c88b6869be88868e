import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';
import type { PathwaysResponse } from './pathways.schemas';
import { PathwaysService } from './pathways.service';

/** Operator API (x-api-key): the state of every configured pathway and the destination signers' balances. */
@Controller('v1/pathways')
@UseGuards(ApiKeyGuard)
export class PathwaysController {
  constructor(private readonly pathways: PathwaysService) {}

  @Get()
  list(): Promise<PathwaysResponse> {
    return this.pathways.pathways();
  }
}
