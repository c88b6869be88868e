import { createConfig, http, injected, type Config } from 'wagmi';
import { defineChain, type Chain } from 'viem';
import type { Manifest } from '@tributary/protocol';

/** The manifest's chains as viem chains (native currency unknown to the manifest: the devnet's are ETH). */
export function viemChains(manifest: Manifest): [Chain, ...Chain[]] {
  const chains = manifest.chains.map((c) =>
    defineChain({
      id: c.chainId,
      name: c.name,
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [c.rpcUrl] } },
    }),
  );
  return chains as unknown as [Chain, ...Chain[]];
}

/** wagmi over the deployment's chains with the injected (browser wallet) connector; reads go to the manifest's RPCs. */
export function wagmiConfig(manifest: Manifest): Config {
  const chains = viemChains(manifest);
  return createConfig({
    chains,
    connectors: [injected()],
    transports: Object.fromEntries(chains.map((c) => [c.id, http(c.rpcUrls.default.http[0], { batch: true })])),
    pollingInterval: 1000,
  });
}
