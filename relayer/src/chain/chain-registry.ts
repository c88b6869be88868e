import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Clock, TxSender } from '@tributary/service-kit';
import type { ChainConfig, Pathway } from '../config/relayer-config.schema';
import { RelayerMetrics } from '../metrics/relayer-metrics';
import { ChainTxRpc, FEE_CACHE_MS } from '../tx/chain-tx-rpc';
import { JsonRpcChainRpc, type ChainRpc, type RpcErrorListener } from './chain-rpc';
import { RELAYER_SETUP, type ChainRpcFactory, type RelayerSetup } from './relayer-setup';

export { RELAYER_SETUP, type ChainRpcFactory, type RelayerRole, type RelayerSetup } from './relayer-setup';

export interface ChainContext {
  config: ChainConfig;
  rpc: ChainRpc;
  /** Present on destination chains: the signer that verifies, commits and executes there. */
  submitter?: TxSender;
}

/** One RPC wrapper per chain and one signer per destination chain. */
@Injectable()
export class ChainRegistry implements OnApplicationShutdown {
  private readonly chains = new Map<number, ChainContext>();
  readonly pathways: readonly Pathway[];

  constructor(@Inject(RELAYER_SETUP) setup: RelayerSetup, metrics: RelayerMetrics, clock: Clock) {
    const factory: ChainRpcFactory = setup.rpcFactory ?? ((chain, onError) => new JsonRpcChainRpc(chain, onError));
    const onError: RpcErrorListener = (chain, method) => metrics.rpcErrors.inc({ chain, method });
    const destinations = new Set(setup.config.pathways.map((p) => p.dstEid));
    for (const chain of setup.config.chains) {
      const rpc = factory(chain, onError);
      const submitter = destinations.has(chain.eid)
        ? new TxSender(
            new ChainTxRpc(rpc, chain.chainId, chain.gas),
            setup.keys.keyFor(chain.eid),
            { bumpPercent: chain.gas.bumpPercent, feeCacheMs: FEE_CACHE_MS },
            clock,
          )
        : undefined;
      this.chains.set(chain.eid, { config: chain, rpc, submitter });
    }
    this.pathways = setup.config.pathways;
  }

  get(eid: number): ChainContext {
    const chain = this.chains.get(eid);
    if (!chain) throw new Error(`unknown eid ${eid}`);
    return chain;
  }

  nameOf(eid: number): string {
    return this.chains.get(eid)?.config.name ?? String(eid);
  }

  submitter(eid: number): TxSender {
    const submitter = this.get(eid).submitter;
    if (!submitter) throw new Error(`eid ${eid} is no destination of any pathway`);
    return submitter;
  }

  /** Our DVN on a destination as ReceiveUln302 records it: the DeliveryWorker contract where configured, else the key. */
  dvnAddress(eid: number): string {
    return this.get(eid).config.deliveryWorker ?? this.submitter(eid).address;
  }

  all(): ChainContext[] {
    return [...this.chains.values()];
  }

  /** Chains some pathway starts from (watched for PacketSent). */
  sources(): ChainContext[] {
    const eids = new Set(this.pathways.map((p) => p.srcEid));
    return [...this.chains.values()].filter((c) => eids.has(c.config.eid));
  }

  destinations(): ChainContext[] {
    return [...this.chains.values()].filter((c) => c.submitter);
  }

  onApplicationShutdown(): void {
    for (const chain of this.chains.values()) chain.rpc.close();
  }
}
