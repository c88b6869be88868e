import { readFileSync } from 'node:fs';
import { Wallet } from 'ethers';
import { ConfigError, parseConfig } from '@tributary/service-kit';
import { loadManifest } from '@tributary/protocol';
import { relayerConfigSchema, type ChainConfig, type RelayerConfig } from './relayer-config.schema';
import { relayerConfigFromManifest } from './manifest-config';

/** Per-chain fields an environment variable may override: RELAYER_CHAIN_<NAME>_<SUFFIX>. */
const CHAIN_ENV_OVERRIDES: Record<string, { key: keyof ChainConfig; numeric: boolean }> = {
  RPC_URL: { key: 'rpcUrl', numeric: false },
  CONFIRMATIONS: { key: 'confirmations', numeric: true },
  POLL_INTERVAL_MS: { key: 'pollIntervalMs', numeric: true },
  MAX_BLOCK_RANGE: { key: 'maxBlockRange', numeric: true },
  START_BLOCK: { key: 'startBlock', numeric: true },
  HEARTBEAT_SECONDS: { key: 'heartbeatSeconds', numeric: true },
};

export interface ConfigSources {
  /** 'verifier': chains' worker = the verifier's worker from the manifest; VERIFIER_CHAIN_<NAME>_* overrides. */
  role?: 'relayer' | 'verifier';
  /** Path of a relayer config JSON file (RELAYER_CONFIG). */
  configPath?: string;
  /** Path of the deployment manifest (MANIFEST_PATH), used when no config file is given. */
  manifestPath?: string;
  env: NodeJS.ProcessEnv;
}

/** RELAYER_CHAIN_STEPS=true|false overrides pipeline.chainSteps; anything else is left for validation to reject. */
function applyPipelineOverrides(pipeline: unknown, env: NodeJS.ProcessEnv): unknown {
  const value = env.RELAYER_CHAIN_STEPS?.trim().toLowerCase();
  if (value === undefined || value === '') return pipeline;
  const chainSteps = value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : env.RELAYER_CHAIN_STEPS;
  return { ...(typeof pipeline === 'object' && pipeline !== null ? pipeline : {}), chainSteps };
}

/**
 * Applies RELAYER_CHAIN_<NAME>_* and RELAYER_CHAIN_STEPS overrides to a raw (not yet validated) config object
 * (`prefix` VERIFIER: the verifier's VERIFIER_CHAIN_<NAME>_*).
 */
export function applyEnvOverrides(raw: unknown, env: NodeJS.ProcessEnv, prefix = 'RELAYER'): unknown {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { chains?: unknown }).chains)) return raw;
  const source = raw as { chains: Record<string, unknown>[]; pipeline?: unknown };
  const chains = source.chains.map((chain) => {
    if (typeof chain?.name !== 'string') return chain;
    const copy: Record<string, unknown> = { ...chain };
    for (const [suffix, { key, numeric }] of Object.entries(CHAIN_ENV_OVERRIDES)) {
      const value = env[`${prefix}_CHAIN_${chain.name.toUpperCase()}_${suffix}`];
      if (value === undefined || value === '') continue;
      copy[key] = numeric ? Number(value) : value;
    }
    return copy;
  });
  const pipeline = prefix === 'RELAYER' ? applyPipelineOverrides(source.pipeline, env) : source.pipeline;
  return pipeline === undefined ? { ...source, chains } : { ...source, chains, pipeline };
}

/** Reads, overrides and validates the relayer config; every problem is listed in one ConfigError. */
export function loadRelayerConfig(sources: ConfigSources): RelayerConfig {
  let raw: unknown;
  if (sources.configPath) {
    try {
      raw = JSON.parse(readFileSync(sources.configPath, 'utf8'));
    } catch (error) {
      throw new ConfigError([`${prefixOf(sources)}_CONFIG ${sources.configPath}: ${(error as Error).message}`]);
    }
  } else if (sources.manifestPath) {
    raw = relayerConfigFromManifest(loadManifest(sources.manifestPath), sources.role);
  } else {
    throw new ConfigError([`set ${prefixOf(sources)}_CONFIG (config JSON) or MANIFEST_PATH (deployment manifest)`]);
  }
  return parseConfig(relayerConfigSchema, applyEnvOverrides(raw, sources.env, prefixOf(sources)));
}

const prefixOf = (sources: Pick<ConfigSources, 'role'>) => (sources.role === 'verifier' ? 'VERIFIER' : 'RELAYER');

/**
 * Signing keys by eid: RELAYER_PRIVATE_KEY_<NAME> or else RELAYER_PRIVATE_KEY (the verifier: VERIFIER_PRIVATE_KEY*,
 * never the relayer's). Values never leave this map.
 */
export class SignerKeys {
  private constructor(private readonly keys: ReadonlyMap<number, string>) {}

  static fromEnv(config: RelayerConfig, env: NodeJS.ProcessEnv, prefix: 'RELAYER' | 'VERIFIER' = 'RELAYER'): SignerKeys {
    const shared = `${prefix}_PRIVATE_KEY`;
    const problems: string[] = [];
    const keys = new Map<number, string>();
    const destinations = new Set(config.pathways.map((p) => p.dstEid));
    for (const chain of config.chains) {
      if (!destinations.has(chain.eid)) continue;
      const name = `${shared}_${chain.name.toUpperCase()}`;
      const value = env[name] || env[shared];
      if (!value) {
        problems.push(`${name} or ${shared}: required (signer of destination chain ${chain.name})`);
        continue;
      }
      try {
        new Wallet(value);
      } catch {
        problems.push(`${env[name] ? name : shared}: not a valid private key`);
        continue;
      }
      keys.set(chain.eid, value);
    }
    if (problems.length) throw new ConfigError(problems);
    return new SignerKeys(keys);
  }

  keyFor(eid: number): string {
    const key = this.keys.get(eid);
    if (!key) throw new Error(`no signing key for eid ${eid}`);
    return key;
  }

  toJSON(): string {
    return '[redacted]';
  }
}
