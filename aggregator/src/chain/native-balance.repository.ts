import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { JsonRpcProvider } from 'ethers';
import { chainProvider } from './chain-provider';
import type { RegisteredChain } from './chain-registry';

/** eth_getBalance on the manifest chains (one provider per chain, closed at shutdown). */
@Injectable()
export class NativeBalanceRepository implements OnApplicationShutdown {
  private readonly providers = new Map<number, JsonRpcProvider>();

  balance(chain: RegisteredChain, address: string): Promise<bigint> {
    let provider = this.providers.get(chain.eid);
    if (!provider) this.providers.set(chain.eid, (provider = chainProvider(chain)));
    return provider.getBalance(address, 'latest');
  }

  onApplicationShutdown(): void {
    for (const provider of this.providers.values()) provider.destroy();
    this.providers.clear();
  }
}
