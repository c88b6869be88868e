import { resolve } from 'node:path';
import { JsonRpcProvider, Wallet, formatUnits, parseUnits, type Signer } from 'ethers';
import {
  PARAM_ID_OF,
  PARAM_KINDS,
  PerpMarket__factory,
  RiskParameters__factory,
  STABLE_KINDS,
  devWallet,
  paramKey,
  parseParamKey,
  type ParamKind,
  type RiskParameters,
} from '@tributary/contracts';
import { collateralChains, loadManifest, tradingChain, type Manifest } from '@tributary/protocol';
import { KeyError } from '../deploy/chain-session';
import { defaultAggregatorUrl } from '../trader/args';
import { formatStable, type StablePreview } from './stable-format';

export const PARAMS_USAGE = `governed risk parameters (RiskParameters on the trading chain: propose → delay → execute):
  params show     [--manifest m.json]                          every governed value, its bound and pending proposals
  params preview  --kind <kind> --id <asset|chain|market> --value <v> [--aggregator <url>]
                                                               what the change does to the live book (nothing sent)
  params propose  --kind <kind> --id <…> --value <v> [--yes]   prints the preview, then proposes (owner key)
  params execute  --kind <kind> --id <…>                       applies a proposal whose delay has passed (any key)
  kinds: initWeight, maintWeight (--id asset symbol or id), chainWeight (--id chain name or eid),
         imr, mmr, takerFee (--id market asset symbol), markOverrideHealth, guardCapacity, guardRefill, liquidationPenalty (no --id)
         caps: marketOpenInterestCap, accountOpenInterestCap (--id market asset symbol; units of the asset),
               accountExposureCap (--id asset; USD); a cap at most doubles per change, any cut is one change
         dampener: stableMaxStep (δ, a fraction), stableInterval (τ, whole seconds) (--id asset; at most ×2 or ÷2 per change)
  values: fractions for weights/ratios/fees (0.85), health as a number (1.5), guard in USD and USD/s
  keys: DEPLOYER_PRIVATE_KEY (the RiskParameters owner), or Hardhat's dev account 0 on a local devnet`;

export const PARAMS_COMMANDS = ['show', 'preview', 'propose', 'execute'] as const;
type ParamsCommand = (typeof PARAMS_COMMANDS)[number];

export class ParamsUsageError extends Error {}

interface ParamsArgs {
  command: ParamsCommand;
  manifest: string;
  aggregator?: string;
  kind?: ParamKind;
  id?: string;
  value?: string;
  yes: boolean;
}

export function parseParamsArgs(argv: string[]): ParamsArgs {
  const [command, ...rest] = argv;
  if (!PARAMS_COMMANDS.includes(command as ParamsCommand)) throw new ParamsUsageError(`unknown params command "${command ?? ''}"\n\n${PARAMS_USAGE}`);
  const values: Record<string, string> = {};
  let yes = false;
  for (let i = 0; i < rest.length; i++) {
    const option = rest[i]!;
    if (option === '--yes') {
      yes = true;
      continue;
    }
    const name = option.replace(/^--/, '');
    if (!option.startsWith('--') || !['manifest', 'aggregator', 'kind', 'id', 'value'].includes(name)) {
      throw new ParamsUsageError(`unknown option "${option}"\n\n${PARAMS_USAGE}`);
    }
    const value = rest[++i];
    if (value === undefined) throw new ParamsUsageError(`option ${option} needs a value`);
    values[name] = value;
  }
  const kind = values.kind as ParamKind | undefined;
  if (kind !== undefined && !(kind in PARAM_KINDS)) throw new ParamsUsageError(`unknown kind "${kind}" (${Object.keys(PARAM_KINDS).join(', ')})`);
  if (command !== 'show' && !kind) throw new ParamsUsageError(`params ${command} needs --kind`);
  if ((command === 'preview' || command === 'propose') && values.value === undefined) throw new ParamsUsageError(`params ${command} needs --value`);
  if (kind && PARAM_ID_OF[kind] !== 'none' && values.id === undefined) throw new ParamsUsageError(`--kind ${kind} needs --id`);
  return {
    command: command as ParamsCommand,
    manifest: resolve(values.manifest ?? '.devnet/manifest.json'),
    aggregator: values.aggregator,
    kind,
    id: values.id,
    value: values.value,
    yes,
  };
}

/** The numeric id of `--id` for a kind: an asset symbol or id, a chain name or eid, a market's asset symbol. */
export function resolveId(manifest: Manifest, kind: ParamKind, id: string | undefined, markets: { assetId: number; marketId: number }[]): number {
  const of = PARAM_ID_OF[kind];
  if (of === 'none') return 0;
  const asset = manifest.assets.find((a) => a.symbol.toLowerCase() === id!.toLowerCase() || String(a.assetId) === id);
  if (of === 'asset') {
    if (!asset) throw new ParamsUsageError(`unknown asset "${id}"`);
    return asset.assetId;
  }
  if (of === 'eid') {
    const chain = collateralChains(manifest).find((c) => c.name === id || String(c.eid) === id);
    if (!chain) throw new ParamsUsageError(`unknown collateral chain "${id}"`);
    return chain.eid;
  }
  const market = markets.find((m) => m.assetId === asset?.assetId) ?? markets.find((m) => String(m.marketId) === id);
  if (!market) throw new ParamsUsageError(`no market for "${id}"`);
  return market.marketId;
}

/** On chain units: 1e18 fixed point (the guard: 1e18 USD, the same scale), except τ: whole seconds. */
export function toChainValue(value: string, kind?: ParamKind): bigint {
  if (kind !== 'stableInterval') return parseUnits(value, 18);
  if (!/^\d+$/.test(value)) throw new ParamsUsageError(`stableInterval takes whole seconds, got "${value}"`);
  return BigInt(value);
}
export const fromChainValue = (value: bigint, kind?: ParamKind): string => (kind === 'stableInterval' ? `${value} s` : formatUnits(value, 18));

/** The preview request of one change (the aggregator's POST /v1/risk/preview-params); null when it has no term for it. */
export function previewRequest(
  kind: ParamKind,
  id: number,
  value: number,
  markets: { assetId: number; marketId: number }[],
): Record<string, unknown> | null {
  const assetOfMarket = markets.find((m) => m.marketId === id)?.assetId;
  switch (kind) {
    case 'initWeight':
      return { assets: [{ assetId: id, weightInit: value }] };
    case 'maintWeight':
      return { assets: [{ assetId: id, weightMaint: value }] };
    case 'chainWeight':
      return { chains: [{ eid: id, weight: value }] };
    case 'imr':
      return { markets: [{ assetId: assetOfMarket, imr: value }] };
    case 'mmr':
      return { markets: [{ assetId: assetOfMarket, mmr: value }] };
    case 'marketOpenInterestCap':
      return { markets: [{ assetId: assetOfMarket, openInterestCap: value }] };
    case 'accountOpenInterestCap':
      return { markets: [{ assetId: assetOfMarket, accountOpenInterestCap: value }] };
    case 'accountExposureCap':
      return { assets: [{ assetId: id, accountExposureCap: value }] };
    case 'stableMaxStep':
      return { assets: [{ assetId: id, stableMaxStep: value }] };
    case 'stableInterval':
      return { assets: [{ assetId: id, stableIntervalSeconds: value }] };
    default:
      return null;
  }
}

interface Preview {
  accounts: number;
  newlyLiquidatable: { account: string }[];
  noLongerLiquidatable: number;
  creditBefore: number;
  creditAfter: number;
  creditAdded: number;
  creditRemoved: number;
  hardestHit: { account: string; creditBefore?: number; creditAfter?: number }[];
  caps?: {
    markets: {
      assetId: number;
      openInterest: number;
      openInterestCap: number | null;
      openInterestOver: number;
      accountOpenInterestCap: number | null;
      accountsOver: number;
      largestOver: { account: string; value: number }[];
    }[];
    exposure: { assetId: number; accountExposureCap: number; accountsOver: number; largestOver: { account: string; value: number }[] }[];
  } | null;
  stable?: StablePreview | null;
}

/** The caps part of a preview: a cap closes nothing, it only refuses trades that would raise |size| past it. */
function formatCaps(caps: NonNullable<Preview['caps']>, lines: string[]): void {
  const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 6 });
  const over = (list: { account: string; value: number }[], unit: string) => list.map((a) => `      ${a.account}  ${n(a.value)}${unit}`);
  for (const m of caps.markets) {
    if (m.openInterestCap !== null)
      lines.push(
        `  open interest of asset ${m.assetId}: ${n(m.openInterest)} against a cap of ${n(m.openInterestCap)}${m.openInterestOver > 0 ? ` (over by ${n(m.openInterestOver)}: only reductions until it is back under)` : ''}`,
      );
    if (m.accountOpenInterestCap !== null) {
      lines.push(
        `  accounts above a per-account cap of ${n(m.accountOpenInterestCap)} (asset ${m.assetId}): ${m.accountsOver} (they may only reduce)`,
      );
      lines.push(...over(m.largestOver, ''));
    }
  }
  for (const e of caps.exposure) {
    lines.push(
      `  accounts above an exposure cap of ${n(e.accountExposureCap)} USD (asset ${e.assetId}): ${e.accountsOver} (only hedges and cuts pass)`,
    );
    lines.push(...over(e.largestOver, ' USD'));
  }
}

export function formatPreview(p: Preview): string {
  const usd = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })} USD`;
  const lines = [
    `preview on the live book (${p.accounts} accounts):`,
    `  newly liquidatable: ${p.newlyLiquidatable.length}${p.newlyLiquidatable.length ? ` (${p.newlyLiquidatable.map((a) => a.account).join(', ')})` : ''}`,
    `  no longer liquidatable: ${p.noLongerLiquidatable}`,
    `  credit: ${usd(p.creditBefore)} → ${usd(p.creditAfter)} (added ${usd(p.creditAdded)}, removed ${usd(p.creditRemoved)})`,
  ];
  if (p.hardestHit.length) {
    lines.push('  hardest hit:');
    for (const a of p.hardestHit)
      lines.push(`    ${a.account}  ${a.creditBefore !== undefined ? `${usd(a.creditBefore)} → ${usd(a.creditAfter ?? 0)}` : ''}`);
  }
  if (p.caps) formatCaps(p.caps, lines);
  if (p.stable) formatStable(p.stable, lines);
  return lines.join('\n');
}

function signerFor(rpcUrl: string, provider: JsonRpcProvider, env: NodeJS.ProcessEnv): Signer {
  if (env.DEPLOYER_PRIVATE_KEY) {
    try {
      return new Wallet(env.DEPLOYER_PRIVATE_KEY, provider);
    } catch {
      throw new KeyError('DEPLOYER_PRIVATE_KEY is not a valid private key');
    }
  }
  if (/\/\/(127\.0\.0\.1|localhost)[:/]/.test(rpcUrl)) return devWallet(0, provider);
  throw new KeyError('set DEPLOYER_PRIVATE_KEY (the RiskParameters owner); the dev key is only used on a local devnet');
}

async function marketsOf(params: RiskParameters, provider: JsonRpcProvider): Promise<{ assetId: number; marketId: number }[]> {
  const perp = PerpMarket__factory.connect(await params.market(), provider);
  const count = Number(await perp.marketCount());
  const out: { assetId: number; marketId: number }[] = [];
  for (let marketId = 0; marketId < count; marketId++) out.push({ marketId, assetId: Number((await perp.market(marketId)).assetId) });
  return out;
}

/** A RiskParameters revert by name (`StepTooLarge(…)`), not "unknown custom error". */
export function explainRevert(error: unknown): Error {
  const data =
    (error as { data?: string; info?: { error?: { data?: string } } }).data ?? (error as { info?: { error?: { data?: string } } }).info?.error?.data;
  if (typeof data === 'string' && data.length >= 10) {
    const parsed = RiskParameters__factory.createInterface().parseError(data);
    if (parsed) {
      const args = parsed.args.map((a) => (typeof a === 'bigint' && a > 10n ** 15n ? `${a} (${fromChainValue(a)})` : String(a)));
      return new Error(`RiskParameters refused: ${parsed.name}(${args.join(', ')})`);
    }
  }
  return error as Error;
}

async function sent<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw explainRevert(error);
  }
}

export async function runParams(argv: string[], io: { log: (line: string) => void; env: NodeJS.ProcessEnv }): Promise<number> {
  const args = parseParamsArgs(argv);
  const manifest = loadManifest(args.manifest);
  const trading = tradingChain(manifest);
  const address = trading.contracts.riskParameters;
  if (!address) throw new ParamsUsageError(`the manifest ${args.manifest} names no RiskParameters (deploy again with this version)`);
  const provider = new JsonRpcProvider(trading.rpcUrl, trading.chainId, { staticNetwork: true });
  try {
    const readOnly = RiskParameters__factory.connect(address, provider);
    const markets = await marketsOf(readOnly, provider);
    if (args.command === 'show') {
      io.log(await showAll(readOnly, manifest, markets));
      return 0;
    }
    const id = resolveId(manifest, args.kind!, args.id, markets);
    const key = paramKey(args.kind!, id);
    const label = `${args.kind}${PARAM_ID_OF[args.kind!] === 'none' ? '' : `(${args.id})`}`;
    if (args.command === 'execute') {
      const signer = signerFor(trading.rpcUrl, provider, io.env);
      const [pendingValue, eta] = await readOnly.pendingParam(key);
      const receipt = await sent(async () => (await RiskParameters__factory.connect(address, signer).executeParam(key)).wait());
      io.log(
        `executed ${label} = ${fromChainValue(pendingValue, args.kind)} (eta ${new Date(Number(eta) * 1000).toISOString()}), tx ${receipt!.hash}`,
      );
      return 0;
    }
    const value = toChainValue(args.value!, args.kind);
    const current = await sent(() => readOnly.paramValue(key));
    const [min, max, maxStep] = await readOnly.paramBound(key);
    const show = (v: bigint) => fromChainValue(v, args.kind);
    io.log(`${label}: ${show(current)} → ${show(value)}  (range [${show(min)}, ${show(max)}], step ≤ ${show(maxStep)})`);
    const request = previewRequest(args.kind!, id, Number(args.value), markets);
    if (request) {
      const url = `${(args.aggregator ?? defaultAggregatorUrl(args.manifest)).replace(/\/$/, '')}/v1/risk/preview-params`;
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
      if (!response.ok) throw new Error(`preview failed: ${response.status} ${await response.text()}`);
      io.log(formatPreview((await response.json()) as Preview));
    } else {
      io.log(`preview: the risk model has no term for ${args.kind} (it acts on chain only)`);
    }
    if (args.command === 'preview') return 0;
    const signer = signerFor(trading.rpcUrl, provider, io.env);
    const receipt = await sent(async () => (await RiskParameters__factory.connect(address, signer).proposeParam(key, value)).wait());
    const [, eta] = await readOnly.pendingParam(key);
    io.log(
      `proposed, tx ${receipt!.hash}; executable from ${new Date(Number(eta) * 1000).toISOString()} (tributary params execute --kind ${args.kind}${args.id ? ` --id ${args.id}` : ''})`,
    );
    return 0;
  } finally {
    provider.destroy();
  }
}

async function showAll(params: RiskParameters, manifest: Manifest, markets: { assetId: number; marketId: number }[]): Promise<string> {
  const rows: [string, bigint][] = [];
  for (const asset of manifest.assets)
    for (const kind of ['initWeight', 'maintWeight'] as const) rows.push([`${kind}(${asset.symbol})`, BigInt(paramKey(kind, asset.assetId))]);
  for (const chain of collateralChains(manifest)) rows.push([`chainWeight(${chain.name})`, BigInt(paramKey('chainWeight', chain.eid))]);
  for (const m of markets) {
    const symbol = manifest.assets.find((a) => a.assetId === m.assetId)?.symbol ?? String(m.assetId);
    for (const kind of ['imr', 'mmr', 'takerFee', 'marketOpenInterestCap', 'accountOpenInterestCap'] as const)
      rows.push([`${kind}(${symbol})`, BigInt(paramKey(kind, m.marketId))]);
    rows.push([`accountExposureCap(${symbol})`, BigInt(paramKey('accountExposureCap', m.assetId))]);
  }
  for (const asset of manifest.assets)
    for (const kind of STABLE_KINDS) rows.push([`${kind}(${asset.symbol})`, BigInt(paramKey(kind, asset.assetId))]);
  for (const kind of ['markOverrideHealth', 'guardCapacity', 'guardRefill', 'liquidationPenalty'] as const) rows.push([kind, BigInt(paramKey(kind))]);
  const lines = [`RiskParameters ${await params.getAddress()}  delay ${await params.paramDelay()} s`];
  for (const [label, word] of rows) {
    const key = '0x' + word.toString(16).padStart(64, '0');
    const kind = parseParamKey(key).kind;
    const value = await params.paramValue(key).catch(() => null);
    const [pendingValue, eta] = await params.pendingParam(key);
    const pending = eta > 0n ? `  pending → ${fromChainValue(pendingValue, kind)} at ${new Date(Number(eta) * 1000).toISOString()}` : '';
    lines.push(`  ${label.padEnd(34)} ${value === null ? '(not set)' : fromChainValue(value, kind)}${pending}`);
  }
  const perp = PerpMarket__factory.connect(await params.market(), params.runner);
  for (const m of markets) {
    const symbol = manifest.assets.find((a) => a.assetId === m.assetId)?.symbol ?? String(m.assetId);
    lines.push(`  ${`openInterest(${symbol})`.padEnd(34)} ${fromChainValue((await perp.openInterest(m.marketId)).total)} (Σ |size|, not governed)`);
  }
  return lines.join('\n');
}
