import { ConfigError } from '@tributary/service-kit';
import { chainEnvName, collateralChains, tradingChain, type Manifest } from '@tributary/protocol';
import type { RelayerConfigInput } from './relayer-config.schema';

/**
 * Derives the relayer config (or the verifier's: its own worker marks its packets) from the deployment manifest: every collateral chain's vault ⇄ the trading
 * chain's hub, both directions. Chains without the needed contracts get no pathway.
 */
export function relayerConfigFromManifest(manifest: Manifest, role: 'relayer' | 'verifier' = 'relayer'): RelayerConfigInput {
  const workerOf = (chain: Manifest['chains'][number]): string => {
    if (role === 'relayer') return chain.layerZero.worker;
    if (!chain.layerZero.verifierWorker)
      throw new ConfigError([`manifest: chain ${chain.name} has no verifierWorker (deploy runs a verifier on local chains only)`]);
    return chain.layerZero.verifierWorker;
  };
  const deliveryWorkerOf = (chain: Manifest['chains'][number]): string | undefined =>
    role === 'relayer' ? chain.layerZero.deliveryWorker : chain.layerZero.verifierDeliveryWorker;
  const trading = tradingChain(manifest);
  const hub = trading.contracts.hub;
  const pathways: RelayerConfigInput['pathways'] = [];
  if (hub) {
    for (const chain of collateralChains(manifest)) {
      const vault = chain.contracts.vault;
      if (!vault) continue;
      pathways.push({ srcEid: chain.eid, sender: vault, dstEid: trading.eid, receiver: hub });
      pathways.push({ srcEid: trading.eid, sender: hub, dstEid: chain.eid, receiver: vault });
    }
  }
  return {
    chains: manifest.chains.map((chain) => ({
      name: chainEnvName(chain.name),
      eid: chain.eid,
      chainId: chain.chainId,
      rpcUrl: chain.rpcUrl,
      confirmations: chain.confirmations,
      startBlock: chain.startBlock,
      endpoint: chain.layerZero.endpoint,
      receiveUln302: chain.layerZero.receiveUln302,
      worker: workerOf(chain),
      ...(deliveryWorkerOf(chain) ? { deliveryWorker: deliveryWorkerOf(chain) } : {}),
      ...(chain.role === 'collateral' && chain.contracts.vault ? { vault: chain.contracts.vault, heartbeatSeconds: chain.heartbeatSeconds } : {}),
    })),
    pathways,
  };
}
