import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { chainDvnsSchema, dvnsFilePath, dvnsFileSchema } from './dvns';

/**
 * The declarative deployment config: which chains, which role each plays, which assets with which caps and
 * risk parameters. `tributary deploy` turns it into contracts, wiring and a deployment manifest.
 */
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address');
const units = z.string().regex(/^\d+$/, 'must be a non-negative integer in base units, as a decimal string');
const positiveUnits = units.refine((v) => BigInt(v) > 0n, 'must be above 0 (an outflow limit is always on)');
const fraction = z.number().finite().min(0).max(1);
/** A cap in human units (of an asset, or USD): RiskParameters.MAX_CAP is 1e12. */
const cap = z.number().finite().positive().max(1e12);

export const chainAssetConfigSchema = z.object({
  /** Symbol of a global asset (`assets[].symbol`). */
  symbol: z.string().min(1).max(16),
  /** ERC-20 on this chain; omitted on a local chain = a mintable test token is deployed. */
  token: address.optional(),
  /** Overrides the asset's default decimals on this chain. */
  decimals: z.number().int().min(0).max(36).optional(),
  /** Deposit cap of the vault, token base units. */
  depositCap: units,
  /**
   * Outflow token bucket of the vault, token base units (capacity, and refill per second). Omitted = sized from
   * `guards.vaultOutflowPerHour` of the deposit cap. The limit is always on: 0 is refused.
   */
  rateCapacity: positiveUnits.optional(),
  refillPerSecond: positiveUnits.optional(),
});

export const existingLayerZeroSchema = z.object({
  endpoint: address,
  sendUln302: address,
  receiveUln302: address,
  /** Our RelayerWorker if already deployed; omitted = deployed by `tributary deploy`. */
  worker: address.optional(),
  /**
   * Further required DVNs on this chain (e.g. LayerZero Labs' DVN), beside ours: added to the send ULN config
   * (with our worker) and to the receive ULN config (with the relayer's key) of every pathway on this chain.
   */
  additionalRequiredDvns: z.array(address).max(8).default([]),
});

export const chainConfigSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and - only (it names env overrides)'),
    chainId: z.number().int().positive(),
    eid: z.number().int().positive().max(0xffffffff),
    rpcUrl: z.string().url(),
    /** Source-chain confirmations before a packet is verified. 0 is refused: ULN302 reads 0 as "use the default". */
    confirmations: z.number().int().min(1, 'must be at least 1 (0 means "endpoint default" to ULN302)').max(10_000),
    role: z.enum(['trading', 'collateral']),
    /** A local development chain: LayerZero V2 is deployed from its artifacts and Hardhat's dev keys may sign. */
    local: z.boolean().default(false),
    /** Existing LayerZero V2 deployment (required unless `local`). */
    layerZero: existingLayerZeroSchema.optional(),
    weight: fraction.default(1),
    /** Gas price (wei) the workers charge for work on this chain: prices delivery toward it (never 0). */
    gasPriceWei: units.refine((v) => BigInt(v) > 0n, 'must be above 0').default('1000000000'),
    /** USD price of this chain's native token, to convert fees between chains (equal everywhere by default). */
    nativeUsd: z.number().finite().positive().default(1),
    heartbeatSeconds: z.number().int().positive().default(3600),
    decayWindowSeconds: z.number().int().positive().default(3600),
    assets: z.array(chainAssetConfigSchema).default([]),
  })
  .superRefine((chain, ctx) => {
    if (!chain.local && !chain.layerZero) {
      ctx.addIssue({ code: 'custom', path: ['layerZero'], message: 'required on a non-local chain (endpoint, sendUln302, receiveUln302 addresses)' });
    }
    if (chain.role === 'trading' && chain.assets.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['assets'], message: 'the trading chain holds no vault; list assets on collateral chains' });
    }
    chain.assets.forEach((asset, i) => {
      if (!asset.token && !chain.local) ctx.addIssue({ code: 'custom', path: ['assets', i, 'token'], message: 'required on a non-local chain' });
    });
  });

export const assetConfigSchema = z.object({
  assetId: z.number().int().min(0).max(0xffff),
  symbol: z.string().min(1).max(16),
  decimals: z.number().int().min(0).max(36),
  weightInit: fraction,
  weightMaint: fraction,
  imf: z.number().finite().min(0),
  volatility: z.number().finite().positive(),
  /** Chainlink-compatible USD feed on the trading chain; omitted on a local trading chain = a settable feed is deployed. */
  priceFeed: address.optional(),
  /** Initial USD price of a deployed settable feed. */
  initialPrice: z.number().finite().positive().optional(),
  heartbeatSeconds: z.number().int().positive().default(3600),
  maxDeviation: z.number().positive().default(0.2),
  /**
   * A perp market on this asset (margin ratios and the taker fee rate as fractions of notional), and its caps (the
   * governed risk appetite, docs/breakers-and-dampeners.md#caps): the market's open interest Σ |size| and one
   * account's |size|, in units of the asset; one account's |exposure| to the asset (collateral + perps), in USD.
   * A cap omitted is not set (no cap); the deploy gives each its first value once, later changes go through
   * `tributary params`.
   */
  market: z
    .object({
      imr: fraction,
      mmr: fraction,
      feeRate: z.number().finite().min(0).max(0.01).default(0.0005),
      openInterestCap: cap.optional(),
      accountOpenInterestCap: cap.optional(),
      accountExposureCapUsd: cap.optional(),
    })
    .optional(),
});

export const deployConfigSchema = z
  .object({
    chains: z.array(chainConfigSchema).min(1),
    assets: z.array(assetConfigSchema).min(1),
    /** Correlations between assets (risk model input; kept in the manifest sidecar). */
    correlations: z.array(z.object({ a: z.string(), b: z.string(), rho: z.number().min(-1).max(1) })).default([]),
    /** Operator addresses; on local chains each defaults to a Hardhat dev account. */
    operators: z
      .object({
        /** The relayer's EOA: receive-side DVN on every chain. */
        relayer: address.optional(),
        /**
         * The independent verifier's EOA (second required DVN, receive side; its RelayerWorker is the send-side DVN).
         * Local chains only, where it defaults to dev account 20; public networks use `dvns` (LayerZero Labs' DVN).
         */
        verifier: address.optional(),
        /** The aggregator's credit pusher (CreditManager PUSHER_ROLE). */
        pusher: address.optional(),
        /** The aggregator's withdrawal decider (MarginHub DECIDER_ROLE); defaults to the pusher. */
        decider: address.optional(),
        /** The vaults' guardian: pauses them and cancels queued payouts while paused (never the deployer/owner). */
        guardian: address.optional(),
        /** Owner of deployed settable price feeds (the devnet price simulator). */
        oracle: address.optional(),
        liquidator: address.optional(),
      })
      .default({}),
    trading: z
      .object({
        creditStaleAfterSeconds: z.number().int().positive().default(3600),
        /** Token bucket on total credit increases, 1e18 USD units; omitted = sized from `guards.creditIncreasePerHour`. */
        creditIncreaseCapacity: units.optional(),
        creditIncreaseRefillPerSecond: units.optional(),
        maxPriceAgeSeconds: z.number().int().positive().default(3600),
        /** Seconds a withdrawal waits for the aggregator's decision before anyone may expire it to a rejection. */
        decisionTimeoutSeconds: z.number().int().positive().default(600),
        /** Delay between proposing and executing a governed risk parameter (RiskParameters): 24 h unless set. */
        paramDelaySeconds: z
          .number()
          .int()
          .min(10)
          .max(30 * 86400)
          .default(86_400),
        /** The SettlementPool's quote token (USDC) on the trading chain; omitted on a local chain = a test USDC is deployed. */
        quoteToken: address.optional(),
        /** Pool equity the deployer keeps in the SettlementPool, quote-token base units (minted first when it is our test token). */
        poolSeed: units.default('0'),
        /**
         * The hub's init-side price per asset: a StablePriceFeed over the oracle answering min(p, s), s moving ≤ maxStep
         * per intervalSeconds; one poke credits at most maxGapSeconds (docs/breakers-and-dampeners.md). Fixed per feed.
         */
        stablePrice: z
          .object({
            maxStep: z.number().gt(0).lt(1).default(0.02),
            intervalSeconds: z.number().int().positive().default(3600),
            maxGapSeconds: z.number().int().positive().default(300),
          })
          .refine((s) => s.maxGapSeconds <= s.intervalSeconds, 'maxGapSeconds must be ≤ intervalSeconds')
          .default({ maxStep: 0.02, intervalSeconds: 3600, maxGapSeconds: 300 }),
      })
      .default({
        creditStaleAfterSeconds: 3600,
        maxPriceAgeSeconds: 3600,
        decisionTimeoutSeconds: 600,
        paramDelaySeconds: 86_400,
        poolSeed: '0',
        stablePrice: { maxStep: 0.02, intervalSeconds: 3600, maxGapSeconds: 300 },
      }),
    /**
     * Guards sized from the vaults' value (deposit caps × price × init weight, summed over every chain and asset):
     * the pusher may raise credit book-wide by at most `creditIncreasePerHour` of it per hour, and each vault
     * lets at most `vaultOutflowPerHour` of an asset's deposit cap out per hour (twice that in the worst hour:
     * a full bucket, then its refill).
     */
    guards: z
      .object({ creditIncreasePerHour: fraction.default(0.05), vaultOutflowPerHour: fraction.default(0.05) })
      .default({ creditIncreasePerHour: 0.05, vaultOutflowPerHour: 0.05 }),
    /**
     * Flat fees our RelayerWorker charges per message, wei; omitted = priced per destination from the gas snapshot
     * (verify; commit + the endpoint's lzReceive) at the destination's `gasPriceWei`.
     */
    workerFees: z.object({ dvnFee: units.optional(), executorFee: units.optional() }).default({}),
    /**
     * Auction breaker of every collateral chain's auction (docs/breakers-and-dampeners.md#auction-breaker): a fall of
     * more than `drop` within `windowSeconds` pauses an asset's lots and takes. First values only: once deployed they
     * are the auction's governed parameters (same delay as `trading.paramDelaySeconds`).
     */
    auctionBreaker: z
      .object({ drop: z.number().min(0.05).max(0.9).default(0.3), windowSeconds: z.number().int().min(300).max(86_400).default(3600) })
      .default({ drop: 0.3, windowSeconds: 3600 }),
    /** Multiplier on the reply fees a request forwards (raise it where other DVNs charge fees deploy cannot quote ahead). */
    replyFeeHeadroom: z.number().min(1).max(10).default(1),
    /** Multiplier on the measured lzReceive gas (contracts/gas-snapshot.json) for enforced options. */
    gasHeadroom: z.number().min(1).max(10).default(1.5),
    /** Native balance (wei) kept on the hub and each vault: a float for fee rises (replies are prepaid by users). */
    oappNativeFloat: units.default('1000000000000000000'),
    maxMessageSize: z.number().int().positive().default(10_000),
    /** Further DVNs per chain name (required and optional), e.g. LayerZero Labs' DVN; merged with `dvnsFile`. */
    dvns: z.record(z.string(), chainDvnsSchema).default({}),
    /** A DVN address file the operator fills (shape: deploy/config/dvns.example.json), relative to this config. */
    dvnsFile: z.string().min(1).optional(),
  })
  .superRefine((config, ctx) => {
    const unique = <T>(values: T[], what: string, path: string) => {
      const seen = new Set<T>();
      for (const value of values) {
        if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [path], message: `duplicate ${what} ${String(value)}` });
        seen.add(value);
      }
    };
    unique(
      config.chains.map((c) => c.name),
      'chain name',
      'chains',
    );
    unique(
      config.chains.map((c) => c.eid),
      'eid',
      'chains',
    );
    unique(
      config.assets.map((a) => a.assetId),
      'assetId',
      'assets',
    );
    unique(
      config.assets.map((a) => a.symbol),
      'asset symbol',
      'assets',
    );
    const trading = config.chains.filter((c) => c.role === 'trading');
    if (trading.length !== 1)
      ctx.addIssue({ code: 'custom', path: ['chains'], message: `exactly one trading chain expected, found ${trading.length}` });
    const symbols = new Set(config.assets.map((a) => a.symbol));
    config.chains.forEach((chain, i) =>
      chain.assets.forEach((asset, j) => {
        if (!symbols.has(asset.symbol))
          ctx.addIssue({ code: 'custom', path: ['chains', i, 'assets', j, 'symbol'], message: `unknown asset "${asset.symbol}" (not in assets[])` });
      }),
    );
    const tradingLocal = trading[0]?.local ?? false;
    if (!config.trading.quoteToken && !tradingLocal) {
      ctx.addIssue({
        code: 'custom',
        path: ['trading', 'quoteToken'],
        message: 'required when the trading chain is not local (the SettlementPool pays out in it)',
      });
    }
    config.assets.forEach((asset, i) => {
      if (asset.weightMaint < asset.weightInit) ctx.addIssue({ code: 'custom', path: ['assets', i, 'weightMaint'], message: 'must be ≥ weightInit' });
      if (!asset.priceFeed && !tradingLocal)
        ctx.addIssue({ code: 'custom', path: ['assets', i, 'priceFeed'], message: 'required when the trading chain is not local' });
      if (!asset.priceFeed && asset.initialPrice === undefined)
        ctx.addIssue({ code: 'custom', path: ['assets', i, 'initialPrice'], message: 'required when no priceFeed is given' });
      if (asset.market && asset.market.mmr > asset.market.imr)
        ctx.addIssue({ code: 'custom', path: ['assets', i, 'market'], message: 'mmr must be ≤ imr' });
    });
    config.correlations.forEach((c, i) => {
      for (const key of ['a', 'b'] as const) {
        if (!symbols.has(c[key])) ctx.addIssue({ code: 'custom', path: ['correlations', i, key], message: `unknown asset "${c[key]}"` });
      }
    });
    const hasLocal = config.chains.some((c) => c.local);
    const hasPublic = config.chains.some((c) => !c.local);
    if (hasPublic) {
      for (const role of ['relayer', 'pusher', 'guardian'] as const) {
        if (!config.operators[role]) ctx.addIssue({ code: 'custom', path: ['operators', role], message: 'required when any chain is not local' });
      }
    }
    for (const name of Object.keys(config.dvns)) {
      if (!config.chains.some((c) => c.name === name)) ctx.addIssue({ code: 'custom', path: ['dvns', name], message: `unknown chain "${name}"` });
    }
    if (config.operators.verifier && hasPublic)
      ctx.addIssue({ code: 'custom', path: ['operators', 'verifier'], message: 'the verifier runs on local chains only; list public DVNs in dvns' });
    config.chains.forEach((chain, i) => {
      if (chain.local) return;
      const extra = new Set([...(chain.layerZero?.additionalRequiredDvns ?? []), ...(config.dvns[chain.name]?.required ?? []).map((d) => d.address)]);
      if (extra.size === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['chains', i, 'name'],
          message: `chain "${chain.name}": no second required DVN (list LayerZero Labs' DVN on it in dvns or dvnsFile); one key must never verify alone`,
        });
    });
    if (hasLocal && hasPublic)
      ctx.addIssue({ code: 'custom', path: ['chains'], message: 'local and public chains cannot be mixed in one deployment' });
  });

export type DeployConfig = z.output<typeof deployConfigSchema>;
export type DeployConfigInput = z.input<typeof deployConfigSchema>;
export type ChainConfig = z.output<typeof chainConfigSchema>;
export type ChainConfigInput = z.input<typeof chainConfigSchema>;
export type AssetConfig = z.output<typeof assetConfigSchema>;

export class ConfigFileError extends Error {}

function formatIssues(what: string, issues: z.core.$ZodIssue[]): string {
  const lines = issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return `${what}:\n${lines.join('\n')}`;
}

export function parseDeployConfig(json: unknown, source = 'deploy config'): DeployConfig {
  const result = deployConfigSchema.safeParse(json);
  if (!result.success) throw new ConfigFileError(formatIssues(`invalid ${source}`, result.error.issues));
  return result.data;
}

export function parseChainConfig(json: unknown, source = 'chain config'): ChainConfig {
  const result = chainConfigSchema.safeParse(json);
  if (!result.success) throw new ConfigFileError(formatIssues(`invalid ${source}`, result.error.issues));
  return result.data;
}

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads a deploy config; its `dvnsFile` (if any) is read too and merged into `dvns` (a chain listed in both is refused). */
export function loadDeployConfig(path: string): DeployConfig {
  const json = readJsonFile(path, 'deploy config');
  const file = typeof json === 'object' && json !== null ? (json as { dvnsFile?: unknown }).dvnsFile : undefined;
  if (typeof file !== 'string') return parseDeployConfig(json, `deploy config ${path}`);
  const dvnsPath = dvnsFilePath(path, file);
  const parsed = dvnsFileSchema.safeParse(readJsonFile(dvnsPath, 'DVN file'));
  if (!parsed.success) throw new ConfigFileError(formatIssues(`invalid DVN file ${dvnsPath}`, parsed.error.issues));
  const inline = ((json as { dvns?: Record<string, unknown> }).dvns ?? {}) as Record<string, unknown>;
  const both = Object.keys(parsed.data.chains).filter((name) => name in inline);
  if (both.length) throw new ConfigFileError(`chain(s) ${both.join(', ')} listed both in dvns and in ${dvnsPath}: keep one`);
  return parseDeployConfig({ ...(json as object), dvns: { ...inline, ...parsed.data.chains } }, `deploy config ${path}`);
}
