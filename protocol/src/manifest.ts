import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The deployment manifest: written by `deploy/` (deploy, add-chain), loaded and validated at start by
 * the relayer and the aggregator. Per-chain state is keyed by LayerZero eid, not by contract address.
 */
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address');
const positive = z.number().finite().positive();
const fraction = z.number().finite().min(0).max(1);

export const manifestAssetSchema = z.object({
  /** On-chain asset id (the same id on every chain for the same asset). */
  assetId: z.number().int().min(0).max(0xffff),
  symbol: z.string().min(1).max(16),
  /** Risk parameters (docs/risk-model.md#inputs). */
  weightInit: fraction,
  weightMaint: fraction,
  imf: z.number().finite().min(0),
  /** Baseline daily volatility; realized volatility above it scales the base weights down. */
  volatility: positive,
  /** Chainlink-compatible feed on the trading chain, USD price. */
  priceFeed: address.optional(),
  /** Price staleness bound (s) and largest accepted jump vs. the last good price (fraction). */
  heartbeatSeconds: z.number().int().positive().default(3600),
  maxDeviation: z.number().positive().default(0.2),
});

export const chainAssetSchema = z.object({
  assetId: z.number().int().min(0).max(0xffff),
  token: address,
  decimals: z.number().int().min(0).max(36),
  /** Deposit cap in token base units, decimal string. */
  depositCap: z.string().regex(/^\d+$/),
});

export const layerZeroSchema = z.object({
  endpoint: address,
  sendUln302: address,
  receiveUln302: address,
  /** Our send-side DVN + executor worker contract (RelayerWorker). */
  worker: address,
  /** The key that verifies on this chain's ReceiveUln302 (required DVN on the receive side). */
  dvnSigner: address,
  /** The independent verifier's RelayerWorker (send-side DVN) on this chain, where a verifier runs (devnet). */
  verifierWorker: address.optional(),
  /** The verifier's key: the second required DVN on this chain's ReceiveUln302. */
  verifierSigner: address.optional(),
  /**
   * The relayer's DeliveryWorker (owned by `dvnSigner`): where present it, not the key, is the required DVN on this
   * chain's ReceiveUln302, and the relayer verifies, commits and executes through it in batches.
   */
  deliveryWorker: address.optional(),
  /** The verifier's DeliveryWorker (owned by `verifierSigner`): the second required DVN where present. */
  verifierDeliveryWorker: address.optional(),
});

export const chainSchema = z.object({
  name: z.string().min(1),
  chainId: z.number().int().positive(),
  eid: z.number().int().positive().max(0xffffffff),
  rpcUrl: z.string().url(),
  role: z.enum(['trading', 'collateral']),
  confirmations: z.number().int().min(0).max(10_000),
  /** First block worth scanning (the deployment block of the app contracts). */
  startBlock: z.number().int().min(0),
  /** Chain weight v_c, heartbeat and decay window of the risk model. */
  weight: fraction.default(1),
  heartbeatSeconds: z.number().int().positive().default(3600),
  decayWindowSeconds: z.number().int().positive().default(3600),
  layerZero: layerZeroSchema,
  contracts: z.object({
    vault: address.optional(),
    hub: address.optional(),
    creditManager: address.optional(),
    perpMarket: address.optional(),
    /** The trading chain's bank: signed cash per account, pays positive cash out in `quoteToken`. */
    settlementPool: address.optional(),
    /** The SettlementPool's quote token (USDC) on the trading chain. */
    quoteToken: address.optional(),
    /** Trading chain: open liquidations and the seizure rule (docs/liquidation.md). */
    liquidationRegistry: address.optional(),
    /** Trading chain: insurance fund (quote token + pool cash), pays debt left after collateral is exhausted. */
    insuranceFund: address.optional(),
    /** Collateral chain: the Dutch auction of seized collateral (docs/liquidation.md). */
    auction: address.optional(),
    /** The trading chain's governed risk parameters (timelock; the aggregator reads weights and ratios here). */
    riskParameters: address.optional(),
  }),
  assets: z.array(chainAssetSchema).default([]),
});

export const manifestSchema = z
  .object({
    version: z.literal(1),
    chains: z.array(chainSchema).min(1),
    assets: z.array(manifestAssetSchema),
    /** Prior correlations of the risk model (asset ids), used until the aggregator has enough price history. */
    correlations: z
      .array(z.object({ a: z.number().int().min(0).max(0xffff), b: z.number().int().min(0).max(0xffff), rho: z.number().finite().min(-1).max(1) }))
      .default([]),
  })
  .superRefine((manifest, ctx) => {
    const eids = manifest.chains.map((c) => c.eid);
    if (new Set(eids).size !== eids.length) ctx.addIssue({ code: 'custom', message: 'duplicate eid', path: ['chains'] });
    const trading = manifest.chains.filter((c) => c.role === 'trading');
    if (trading.length !== 1)
      ctx.addIssue({ code: 'custom', message: `exactly one trading chain expected, found ${trading.length}`, path: ['chains'] });
    const known = new Set(manifest.assets.map((a) => a.assetId));
    manifest.correlations.forEach((c, i) => {
      for (const key of ['a', 'b'] as const)
        if (!known.has(c[key])) ctx.addIssue({ code: 'custom', message: `unknown assetId ${c[key]}`, path: ['correlations', i, key] });
    });
    manifest.chains.forEach((chain, i) =>
      chain.assets.forEach((asset, j) => {
        if (!known.has(asset.assetId))
          ctx.addIssue({ code: 'custom', message: `unknown assetId ${asset.assetId}`, path: ['chains', i, 'assets', j] });
      }),
    );
  });

export type Manifest = z.output<typeof manifestSchema>;
export type ManifestChain = z.output<typeof chainSchema>;
export type ManifestAsset = z.output<typeof manifestAssetSchema>;
export type ManifestInput = z.input<typeof manifestSchema>;

export function parseManifest(json: unknown): Manifest {
  const result = manifestSchema.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`invalid deployment manifest:\n  - ${problems.join('\n  - ')}`);
}

export function loadManifest(path: string): Manifest {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read deployment manifest ${path}: ${(error as Error).message}`);
  }
  return parseManifest(JSON.parse(raw));
}

export const tradingChain = (manifest: Manifest): ManifestChain => manifest.chains.find((c) => c.role === 'trading')!;
export const collateralChains = (manifest: Manifest): ManifestChain[] => manifest.chains.filter((c) => c.role === 'collateral');

/** A chain name as it appears in environment variable names: `arbitrum-sepolia` → `ARBITRUM_SEPOLIA`. */
export function chainEnvName(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase() || 'CHAIN'
  );
}
