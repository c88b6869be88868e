import { Controller, Get, NotFoundException, Param, Query, ServiceUnavailableException } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ChainRegistry } from '../chain/chain-registry';
import { WithdrawableService } from '../withdrawal/withdrawable.service';
import { ApiOkBody } from './openapi';
import { addressSchema, noQuerySchema } from './schemas';

export const withdrawableResponse = z.strictObject({
  account: z.string(),
  items: z.array(
    z.strictObject({
      eid: z.number().int(),
      chain: z.string().nullable().describe('manifest name of the chain'),
      assetId: z.number().int(),
      symbol: z.string(),
      amount: z.string().regex(/^\d+$/).describe('largest withdrawal both keys would approve now, token base units (decimal string)'),
      limitedBy: z
        .enum(['risk', 'credit', 'balance', 'stale-credit', 'liquidatable', 'seizure-in-flight', 'price-unavailable'])
        .describe("the check that sets it: the decider's post-withdrawal risk, the hub's on-chain credit or balance, or a block"),
    }),
  ),
});

@ApiTags('accounts')
@Controller('v1/accounts')
export class WithdrawableController {
  constructor(
    private readonly withdrawable: WithdrawableService,
    private readonly registry: ChainRegistry,
  ) {}

  @Get(':address/withdrawable')
  @ApiOperation({ summary: 'Per chain and asset held, the largest collateral withdrawal the hub and the decider would approve right now' })
  @ApiParam({ name: 'address', description: '0x address (lowercase or EIP-55 checksummed)', example: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' })
  @ApiOkBody(withdrawableResponse)
  @ApiBadRequestResponse({ description: 'invalid address or query' })
  @ApiNotFoundResponse({ description: 'account unknown to the risk engine' })
  @ApiServiceUnavailableResponse({ description: 'no risk engine or hub configured' })
  async of(
    @Param('address', { schema: addressSchema }) address: string,
    @Query({ schema: noQuerySchema }) _query: Record<string, never>,
  ): Promise<z.output<typeof withdrawableResponse>> {
    if (!this.withdrawable.enabled) throw new ServiceUnavailableException('withdrawable amounts need the risk engine and the hub (a manifest)');
    const entries = await this.withdrawable.of(address);
    if (!entries) throw new NotFoundException(`account ${address} is unknown to the risk engine`);
    return {
      account: address,
      items: entries.map((e) => ({ ...e, chain: this.registry.chain(e.eid)?.name ?? null, amount: e.amount.toString() })),
    };
  }
}
