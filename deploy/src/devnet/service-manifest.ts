import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chainEnvName, loadManifest } from '@tributary/protocol';
import { DEVNET_CHAINS } from './devnet-config';
/** A copy of the manifest beside it whose chains' rpcUrl are `rpcUrls` (DEVNET_CHAINS order); returns its path. */
export function writeServiceManifest(manifestPath: string, rpcUrls: string[]): string {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { chains: { name: string; rpcUrl: string }[] };
  for (const chain of manifest.chains) {
    const i = DEVNET_CHAINS.findIndex((c) => c.name === chain.name);
    if (i >= 0 && rpcUrls[i]) chain.rpcUrl = rpcUrls[i];
  }
  const path = join(dirname(manifestPath), 'manifest.services.json');
  writeFileSync(path, JSON.stringify(manifest, null, 2));
  return path;
}

/**
 * The relayer polls each local chain 4× per block (default: once a second): with 1 s blocks, a packet is seen
 * within a quarter block of its confirmation instead of up to a whole one. Read at each (re)start, so chains
 * added by add-chain get it too.
 */
export function relayerPollOverrides(manifestPath: string, blockTimeMs: number, prefix: 'RELAYER' | 'VERIFIER' = 'RELAYER'): Record<string, string> {
  const pollMs = String(Math.max(100, Math.floor((blockTimeMs || 1000) / 4)));
  return Object.fromEntries(loadManifest(manifestPath).chains.map((c) => [`${prefix}_CHAIN_${chainEnvName(c.name)}_POLL_INTERVAL_MS`, pollMs]));
}
