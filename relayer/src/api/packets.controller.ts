import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';
import { OperatorService, type PacketView } from './operator.service';
import { ZodPipe, guidParamSchema, listPacketsQuerySchema, type ListPacketsQuery } from './packets.schemas';

/** Operator API (x-api-key): list packets by status, inspect one, retry a parked one. */
@Controller('v1/packets')
@UseGuards(ApiKeyGuard)
export class PacketsController {
  constructor(private readonly operator: OperatorService) {}

  @Get()
  list(@Query(new ZodPipe(listPacketsQuerySchema)) query: ListPacketsQuery) {
    return this.operator.list(query);
  }

  @Get(':guid')
  get(@Param('guid', new ZodPipe(guidParamSchema)) guid: string): Promise<PacketView> {
    return this.operator.get(guid);
  }

  @Post(':guid/retry')
  @HttpCode(200)
  retry(@Param('guid', new ZodPipe(guidParamSchema)) guid: string): Promise<PacketView> {
    return this.operator.retryParked(guid);
  }
}
