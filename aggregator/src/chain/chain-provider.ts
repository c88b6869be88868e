import { JsonRpcProvider, Network } from 'ethers';
import type { RegisteredChain } from './chain-registry';

/**
 * A JSON-RPC provider for one manifest chain: the chain id is fixed (no eth_chainId round trip), nothing is
 * cached (a nonce or head read twice must hit the node twice), and requests are not batched.
 */
export function chainProvider(chain: Pick<RegisteredChain, 'rpcUrl' | 'chainId'>): JsonRpcProvider {
  const network = Network.from(chain.chainId);
  return new JsonRpcProvider(chain.rpcUrl, network, { staticNetwork: network, cacheTimeout: -1, batchMaxCount: 1 });
}
