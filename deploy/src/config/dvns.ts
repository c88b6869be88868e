import { dirname, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Further DVNs per pathway, beside the relayer's (and, on local chains, the independent verifier's): e.g.
 * LayerZero Labs' DVN on a public network. Each chain lists the DVN contracts that live on it; a pathway's
 * send config names the source chain's entries, its receive config the destination chain's.
 */
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address');

export const dvnEntrySchema = z.object({
  /** Who runs it ("LayerZero Labs"), for people reading the config and the status output. */
  name: z.string().min(1).max(64),
  address,
});

export const chainDvnsSchema = z
  .object({
    /** Every one of these must verify each packet. */
    required: z.array(dvnEntrySchema).max(16).default([]),
    /** `optionalThreshold` of these must verify as well. */
    optional: z.array(dvnEntrySchema).max(16).default([]),
    optionalThreshold: z.number().int().min(0).max(16).default(0),
  })
  .superRefine((dvns, ctx) => {
    if (dvns.optional.length > 0 && (dvns.optionalThreshold < 1 || dvns.optionalThreshold > dvns.optional.length)) {
      ctx.addIssue({
        code: 'custom',
        path: ['optionalThreshold'],
        message: `must be between 1 and ${dvns.optional.length} (the optional DVNs listed)`,
      });
    }
    if (dvns.optional.length === 0 && dvns.optionalThreshold !== 0) {
      ctx.addIssue({ code: 'custom', path: ['optionalThreshold'], message: 'must be 0 when no optional DVN is listed' });
    }
    const all = [...dvns.required, ...dvns.optional].map((d) => d.address.toLowerCase());
    const seen = new Set<string>();
    for (const a of all) {
      if (seen.has(a)) ctx.addIssue({ code: 'custom', path: ['required'], message: `DVN ${a} listed twice` });
      seen.add(a);
    }
  });

/** The file an operator fills (see deploy/config/dvns.example.json): chain name → its DVNs. */
export const dvnsFileSchema = z.object({ chains: z.record(z.string(), chainDvnsSchema) });

export type ChainDvns = z.output<typeof chainDvnsSchema>;
export type DvnsFile = z.output<typeof dvnsFileSchema>;

/** The deploy config's `dvnsFile`, resolved against the config file's folder. */
export const dvnsFilePath = (configPath: string, dvnsFile: string): string => resolve(dirname(configPath), dvnsFile);

/** One side of a pathway as ULN302 sees it: every required DVN, plus `optionalThreshold` of the optional ones. */
export interface SideDvns {
  required: string[];
  optional: string[];
  optionalThreshold: number;
}

/** The DVN-related addresses of one chain: our workers (send side) and the keys that verify there (receive side). */
export interface ChainDvnAddresses {
  /** The relayer's RelayerWorker (send-side DVN + executor). */
  worker: string;
  /** The relayer's key: required DVN on the receive side. */
  dvnSigner: string;
  /** The independent verifier's RelayerWorker (send-side DVN) and key (receive side), where it runs. */
  verifierWorker?: string;
  verifierSigner?: string;
}

/**
 * The DVN sets of a chain's pathways. Send config (this chain → remote): our worker, the verifier's worker, the
 * chain's further DVNs. Receive config (remote → this chain): the relayer's key, the verifier's key, the same
 * further DVNs (they are contracts on this chain that verify here).
 */
export function chainDvnSets(addresses: ChainDvnAddresses, extra: { required: string[]; optional: string[]; optionalThreshold: number }) {
  const withVerifier = (own: string, verifier?: string) => [own, ...(verifier ? [verifier] : []), ...extra.required];
  const common = { optional: [...extra.optional], optionalThreshold: extra.optional.length ? extra.optionalThreshold : 0 };
  return {
    send: { required: withVerifier(addresses.worker, addresses.verifierWorker), ...common } satisfies SideDvns,
    receive: { required: withVerifier(addresses.dvnSigner, addresses.verifierSigner), ...common } satisfies SideDvns,
  };
}

/** A chain's further DVNs from the deploy config: `layerZero.additionalRequiredDvns` and the `dvns` entry of the chain. */
export function extraDvns(
  chain: { name: string; layerZero?: { additionalRequiredDvns?: string[] } },
  dvns: Record<string, ChainDvns> | undefined,
): { required: string[]; optional: string[]; optionalThreshold: number } {
  const entry = dvns?.[chain.name];
  const required = [...(chain.layerZero?.additionalRequiredDvns ?? []), ...(entry?.required ?? []).map((d) => d.address)];
  return { required: dedupe(required), optional: (entry?.optional ?? []).map((d) => d.address), optionalThreshold: entry?.optionalThreshold ?? 0 };
}

function dedupe(addresses: string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((a) => {
    const key = a.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
