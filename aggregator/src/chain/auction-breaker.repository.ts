import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { JsonRpcProvider } from 'ethers';
import { ICollateralAuction__factory } from '@tributary/contracts';
import { chainProvider } from './chain-provider';
import { ChainRegistry } from './chain-registry';

/** One auction breaker as its chain reports it (prices 1e18 USD, times unix s, 0 = none). */
export interface BreakerRead {
  assetId: number;
  paused: boolean;
  pausedUntil: number;
  trippedAt: number;
  resumedAt: number;
  referencePrice: bigint;
}

export interface AuctionBreakerReads {
  /** β (1e18) and the window (s) of the chain's auction. */
  drop: bigint;
  windowSeconds: number;
  /** The assets the auction sells. */
  breakers: BreakerRead[];
}

/** Reads of every collateral chain's CollateralAuction breaker (the chains whose manifest entry names an auction). */
@Injectable()
export class AuctionBreakerRepository implements OnModuleDestroy {
  private readonly auctions: { eid: number; name: string; address: string; assetIds: number[]; provider: JsonRpcProvider }[];

  constructor(registry: ChainRegistry) {
    this.auctions = registry.chains
      .filter((c) => c.role === 'collateral' && c.manifest.contracts.auction)
      .map((c) => ({
        eid: c.eid,
        name: c.name,
        address: c.manifest.contracts.auction!,
        assetIds: c.assets.map((a) => a.assetId),
        provider: chainProvider(c),
      }));
  }

  /** Collateral chains with an auction. */
  get chains(): { eid: number; name: string }[] {
    return this.auctions.map(({ eid, name }) => ({ eid, name }));
  }

  async read(eid: number): Promise<AuctionBreakerReads> {
    const entry = this.auctions.find((a) => a.eid === eid);
    if (!entry) throw new Error(`no auction on eid ${eid}`);
    const auction = ICollateralAuction__factory.connect(entry.address, entry.provider);
    const [drop, windowSeconds] = await Promise.all([auction.breakerDrop(), auction.breakerWindow()]);
    const breakers: BreakerRead[] = [];
    for (const assetId of entry.assetIds) {
      if (!(await auction.assetConfig(assetId)).listed) continue;
      const b = await auction.breaker(assetId);
      breakers.push({
        assetId,
        paused: b.paused,
        pausedUntil: Number(b.pausedUntil),
        trippedAt: Number(b.trippedAt),
        resumedAt: Number(b.resumedAt),
        referencePrice: b.referencePrice,
      });
    }
    return { drop, windowSeconds: Number(windowSeconds), breakers };
  }

  onModuleDestroy(): void {
    for (const a of this.auctions) a.provider.destroy();
  }
}
