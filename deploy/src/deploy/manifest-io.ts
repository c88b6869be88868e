import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseManifest, type Manifest, type ManifestChain } from '@tributary/protocol';
import { ConfigFileError, type DeployConfig } from '../config/schema';
import type { EnforcedGas } from './plan';

/**
 * Data the manifest schema (protocol/src/manifest.ts) has no field for, kept next to it in
 * `<manifest>.extra.json`: the deploy config it came from (add-chain extends it), operator addresses,
 * perp markets, the enforced gas and where LayerZero came from.
 */
export interface ManifestSidecar {
  version: 1;
  config: DeployConfig;
  operators: { relayer: string; pusher: string; decider: string; oracle: string; liquidator?: string; verifier?: string };
  markets: { assetId: number; symbol: string; marketId: number; imr: number; mmr: number; feeRate: number }[];
  enforcedGas: EnforcedGas;
  chains: { eid: number; name: string; layerZeroDeployedByUs: boolean; deployer: string; testTokens: Record<string, string> }[];
}

export const sidecarPath = (manifestPath: string): string => manifestPath.replace(/\.json$/, '') + '.extra.json';

export function readManifestIfPresent(path: string): Manifest | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return parseManifest(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new ConfigFileError(`existing manifest ${path} is unreadable (${(error as Error).message}); move it away to deploy from scratch`);
  }
}

export function readSidecar(manifestPath: string): ManifestSidecar | undefined {
  const path = sidecarPath(manifestPath);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as ManifestSidecar;
}

/** Write-then-rename, so a reader (a restarting service) never sees half a file. */
function writeAtomically(path: string, data: unknown): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, JSON.stringify(data, null, 2) + '\n');
  renameSync(temporary, path);
}

/** Writes both files only when something changed; returns whether the manifest changed. */
export function writeManifest(path: string, manifest: Manifest, sidecar: ManifestSidecar): boolean {
  const validated = parseManifest(manifest);
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const changed = before !== JSON.stringify(validated, null, 2) + '\n';
  if (changed) writeAtomically(path, validated);
  const sidecarFile = sidecarPath(path);
  const sidecarBefore = existsSync(sidecarFile) ? readFileSync(sidecarFile, 'utf8') : '';
  if (sidecarBefore !== JSON.stringify(sidecar, null, 2) + '\n') writeAtomically(sidecarFile, sidecar);
  return changed;
}

export const recordedChain = (manifest: Manifest | undefined, eid: number): ManifestChain | undefined => manifest?.chains.find((c) => c.eid === eid);
