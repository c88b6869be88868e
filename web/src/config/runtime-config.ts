import { isLocalManifest } from '@tributary/sdk';
import { parseManifest, type Manifest } from '@tributary/protocol';

/** A devnet demo account: one of Hardhat's public dev accounts, funded with test tokens. */
export interface DemoAccount {
  index: number;
  address: string;
  privateKey: string;
}

/**
 * What the page is told at run time by whoever serves it (`GET /config.json`): the deployment manifest, where the
 * aggregator and the relayer's operator API answer (same origin through the server's proxy, or absolute URLs), and
 * on a devnet the demo accounts' keys. The production bundle holds no key: a key only ever arrives here, and only
 * counts when every chain of the manifest is local.
 */
export interface RuntimeConfig {
  manifest: Manifest;
  aggregatorUrl: string;
  relayerUrl: string | null;
  /** The server adds its own operator key to relayer reads (GET); a retry still needs the operator's key. */
  relayerReadsOpen: boolean;
  demoAccounts: DemoAccount[];
  /** A label for the header, e.g. `devnet`. */
  network: string;
}

interface RawConfig {
  manifest?: unknown;
  aggregatorUrl?: unknown;
  relayerUrl?: unknown;
  relayerReadsOpen?: unknown;
  demoAccounts?: unknown;
  network?: unknown;
}

const HEX_KEY = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** `url` made absolute against the page's origin (the SDK's fetch and event stream need an absolute base). */
export function absoluteUrl(url: string, origin: string): string {
  return new URL(url, origin.endsWith('/') ? origin : `${origin}/`).toString().replace(/\/+$/, '');
}

/** Validates /config.json; demo accounts are kept only when every chain is local (the CLI's --dev-account rule). */
export function parseRuntimeConfig(raw: RawConfig, origin: string): RuntimeConfig {
  const manifest = parseManifest(raw.manifest);
  if (typeof raw.aggregatorUrl !== 'string' || !raw.aggregatorUrl) throw new Error('config.json: aggregatorUrl is missing');
  const accounts = Array.isArray(raw.demoAccounts) ? (raw.demoAccounts as Partial<DemoAccount>[]) : [];
  const demoAccounts = isLocalManifest(manifest)
    ? accounts.filter(
        (a): a is DemoAccount =>
          Number.isInteger(a.index) &&
          typeof a.address === 'string' &&
          ADDRESS.test(a.address) &&
          typeof a.privateKey === 'string' &&
          HEX_KEY.test(a.privateKey),
      )
    : [];
  return {
    manifest,
    aggregatorUrl: absoluteUrl(raw.aggregatorUrl, origin),
    relayerUrl: typeof raw.relayerUrl === 'string' && raw.relayerUrl ? absoluteUrl(raw.relayerUrl, origin) : null,
    relayerReadsOpen: raw.relayerReadsOpen === true,
    demoAccounts,
    network: typeof raw.network === 'string' ? raw.network : isLocalManifest(manifest) ? 'local' : 'network',
  };
}

/** Fetches and validates the page's run-time configuration. */
export async function loadRuntimeConfig(origin = window.location.origin): Promise<RuntimeConfig> {
  const response = await fetch(absoluteUrl('config.json', origin), { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return parseRuntimeConfig((await response.json()) as RawConfig, origin);
}
