import { Injectable } from '@nestjs/common';
import { ChainRegistry } from '../chain/chain-registry';
import { LedgerQueryRepository } from '../ledger/ledger-query.repository';

@Injectable()
export class ChainsService {
  constructor(
    private readonly ledger: LedgerQueryRepository,
    private readonly registry: ChainRegistry,
  ) {}

  async chains() {
    const cursors = new Map((await this.ledger.cursors()).map((c) => [c.eid, c]));
    return {
      indexingEnabled: this.registry.enabled,
      chains: this.registry.chains.map((chain) => {
        const cursor = cursors.get(chain.eid);
        const lastIndexed = cursor ? cursor.nextBlock - 1 : null;
        return {
          name: chain.name,
          eid: chain.eid,
          chainId: chain.chainId,
          role: chain.role,
          confirmations: chain.confirmations,
          startBlock: chain.startBlock,
          contracts: Object.fromEntries(chain.contracts.map((c) => [c.role, c.address])),
          assets: chain.assets.map((a) => ({
            assetId: a.assetId,
            symbol: this.registry.asset(a.assetId)?.symbol ?? null,
            token: a.token,
            decimals: a.decimals,
          })),
          indexing: {
            lastIndexedBlock: lastIndexed,
            headBlock: cursor?.headBlock ?? null,
            lagBlocks: cursor?.headBlock != null && lastIndexed !== null ? Math.max(0, cursor.headBlock - lastIndexed) : null,
            lagSeconds: cursor?.headTime != null && cursor.indexedTime != null ? Math.max(0, cursor.headTime - cursor.indexedTime) : null,
            updatedAt: cursor?.updatedAt ?? null,
          },
        };
      }),
    };
  }
}
