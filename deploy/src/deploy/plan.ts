import {
  MSG_ATTEST,
  MSG_AUCTION_RESULT,
  MSG_HEARTBEAT,
  MSG_SEIZE,
  MSG_WITHDRAW_DECISION,
  MSG_WITHDRAW_REQUEST,
  DEFAULT_RECEIVE_GAS,
  lzReceiveOptions,
} from '@tributary/contracts';

/**
 * Pure planning: given what is on chain and what the config wants, which writes are needed. Every deploy
 * step reads current state first and sends only the writes planned here, so a second run sends nothing.
 */

export type ContractAction = 'reuse' | 'deploy';

/** A recorded address is reused only if code is there (a reset local chain loses it). */
export function planContract(recorded: string | undefined, hasCode: boolean): ContractAction {
  return recorded && hasCode ? 'reuse' : 'deploy';
}

export interface UlnConfigValue {
  confirmations: bigint;
  requiredDVNCount: number;
  optionalDVNCount: number;
  optionalDVNThreshold: number;
  requiredDVNs: string[];
  optionalDVNs: string[];
}

export interface ExecutorConfigValue {
  maxMessageSize: number;
  executor: string;
}

/** One OApp's settings toward one remote eid, as read from chain or as desired. */
export interface OAppPathwayState {
  /** Remote OApp as bytes32 (zero = unset). */
  peer: string;
  sendLibrary: { lib: string; isDefault: boolean };
  receiveLibrary: { lib: string; isDefault: boolean };
  /** App-level (not default) ULN/executor configs. */
  sendUln: UlnConfigValue;
  executor: ExecutorConfigValue;
  receiveUln: UlnConfigValue;
  /** Enforced options by message type (hex, '0x' = none). */
  enforcedOptions: Record<number, string>;
}

export type DesiredPathway = Omit<OAppPathwayState, 'sendLibrary' | 'receiveLibrary'> & { sendLibrary: string; receiveLibrary: string };

export type PathwayWrite =
  | { kind: 'setPeer' }
  | { kind: 'setSendLibrary' }
  | { kind: 'setReceiveLibrary' }
  | { kind: 'setSendConfig'; executor: boolean; uln: boolean }
  | { kind: 'setReceiveConfig' }
  | { kind: 'setEnforcedOptions'; messageTypes: number[] };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => same(x, b[i]!));

/**
 * What differs between an OApp's ULN config on chain and the desired one, in words (status output). An
 * `optionalDVNCount` of 0 is named: it makes ULN302 use the endpoint's default optional DVNs.
 */
export function describeUlnDrift(current: UlnConfigValue, desired: UlnConfigValue): string[] {
  const out: string[] = [];
  const field = (name: keyof UlnConfigValue, note = '') => {
    if (String(current[name]) !== String(desired[name])) out.push(`${name} ${String(current[name])} → ${String(desired[name])}${note}`);
  };
  field('confirmations');
  field('requiredDVNCount');
  field('optionalDVNCount', Number(current.optionalDVNCount) === 0 ? " (0 = the endpoint's default optional DVNs)" : '');
  field('optionalDVNThreshold');
  const list = (v: string[]) => `[${v.map((a) => a.toLowerCase()).join(', ')}]`;
  if (!sameList(current.requiredDVNs, desired.requiredDVNs)) out.push(`requiredDVNs ${list(current.requiredDVNs)} → ${list(desired.requiredDVNs)}`);
  if (!sameList(current.optionalDVNs, desired.optionalDVNs)) out.push(`optionalDVNs ${list(current.optionalDVNs)} → ${list(desired.optionalDVNs)}`);
  return out;
}

export function ulnConfigEquals(a: UlnConfigValue, b: UlnConfigValue): boolean {
  return (
    BigInt(a.confirmations) === BigInt(b.confirmations) &&
    Number(a.requiredDVNCount) === Number(b.requiredDVNCount) &&
    Number(a.optionalDVNCount) === Number(b.optionalDVNCount) &&
    Number(a.optionalDVNThreshold) === Number(b.optionalDVNThreshold) &&
    sameList(a.requiredDVNs, b.requiredDVNs) &&
    sameList(a.optionalDVNs, b.optionalDVNs)
  );
}

/** The writes that bring `current` to `desired`, in a valid order (libraries before their configs). */
export function planPathway(current: OAppPathwayState, desired: DesiredPathway): PathwayWrite[] {
  const writes: PathwayWrite[] = [];
  if (!same(current.peer, desired.peer)) writes.push({ kind: 'setPeer' });
  if (current.sendLibrary.isDefault || !same(current.sendLibrary.lib, desired.sendLibrary)) writes.push({ kind: 'setSendLibrary' });
  if (current.receiveLibrary.isDefault || !same(current.receiveLibrary.lib, desired.receiveLibrary)) writes.push({ kind: 'setReceiveLibrary' });
  const executor =
    Number(current.executor.maxMessageSize) !== desired.executor.maxMessageSize || !same(current.executor.executor, desired.executor.executor);
  const uln = !ulnConfigEquals(current.sendUln, desired.sendUln);
  if (executor || uln) writes.push({ kind: 'setSendConfig', executor, uln });
  if (!ulnConfigEquals(current.receiveUln, desired.receiveUln)) writes.push({ kind: 'setReceiveConfig' });
  const messageTypes = Object.entries(desired.enforcedOptions)
    .filter(([type, options]) => !same(current.enforcedOptions[Number(type)] ?? '0x', options))
    .map(([type]) => Number(type));
  if (messageTypes.length) writes.push({ kind: 'setEnforcedOptions', messageTypes });
  return writes;
}

export interface WorkerDstConfig {
  enabled: boolean;
  dvnFee: bigint;
  executorFee: bigint;
}

export const workerConfigEquals = (a: WorkerDstConfig, b: WorkerDstConfig): boolean =>
  a.enabled === b.enabled && BigInt(a.dvnFee) === BigInt(b.dvnFee) && BigInt(a.executorFee) === BigInt(b.executorFee);

/** The subset of contracts/gas-snapshot.json the enforced options and the worker fees are derived from. */
export interface GasSnapshot {
  hubReceiveAttest?: {
    firstAttestation?: { lzReceive?: number };
    update?: { verify?: number; commitVerification?: number };
  };
  attestVsOft?: { noopBaseline?: { attestSized56?: { later?: number } } };
  /** The hub's WITHDRAW_REQUEST receive when it reserves (no reply) and the vault's release. */
  withdrawalRoundTrip?: { hubRequest?: { lzReceive?: number }; vaultRelease?: { lzReceive?: number } };
  /** The hub's WITHDRAW_REQUEST receive when it rejects at once (sends the reply from inside lzReceive). */
  withdrawalRejectedOnArrival?: { hubReceive?: { lzReceive?: number } };
  seize?: { lzReceive?: number };
  liquidation?: { seizeRoundTrip?: { seizeAtVault?: { lzReceive?: number }; auctionResultAtHub?: { lzReceive?: number } } };
  /** The hub's HEARTBEAT receive (first one of a chain: a fresh slot). */
  heartbeat?: { lzReceive?: number };
}

export interface EnforcedGas {
  /** Gas by message type, and where each figure came from. */
  vaultToHub: Record<number, number>;
  hubToVault: Record<number, number>;
  sources: Record<number, string>;
}

const roundUp = (gas: number, step = 10_000) => Math.ceil(gas / step) * step;

/** The larger of two measured figures, with the snapshot path it came from. */
function worstOf(...figures: [number | undefined, string][]): [number | undefined, string] {
  return figures.reduce((worst, figure) => ((figure[0] ?? 0) > (worst[0] ?? 0) ? figure : worst));
}

/**
 * lzReceive gas per message type = the measured lzReceive transaction gas (worst case: first attestation;
 * a request rejected on arrival and a release include the message they send) × headroom, rounded up to 10k.
 * A type the snapshot does not measure keeps the contracts' default (never less than it).
 */
export function enforcedGasFromSnapshot(snapshot: GasSnapshot, headroom: number): EnforcedGas {
  const measured: Record<number, [number | undefined, string]> = {
    [MSG_ATTEST]: [snapshot.hubReceiveAttest?.firstAttestation?.lzReceive, 'hubReceiveAttest.firstAttestation.lzReceive'],
    [MSG_WITHDRAW_REQUEST]: worstOf(
      [snapshot.withdrawalRoundTrip?.hubRequest?.lzReceive, 'withdrawalRoundTrip.hubRequest.lzReceive'],
      [snapshot.withdrawalRejectedOnArrival?.hubReceive?.lzReceive, 'withdrawalRejectedOnArrival.hubReceive.lzReceive'],
    ),
    [MSG_WITHDRAW_DECISION]: [snapshot.withdrawalRoundTrip?.vaultRelease?.lzReceive, 'withdrawalRoundTrip.vaultRelease.lzReceive'],
    [MSG_SEIZE]: worstOf(
      [snapshot.seize?.lzReceive, 'seize.lzReceive'],
      [snapshot.liquidation?.seizeRoundTrip?.seizeAtVault?.lzReceive, 'liquidation.seizeRoundTrip.seizeAtVault.lzReceive'],
    ),
    [MSG_AUCTION_RESULT]: [
      snapshot.liquidation?.seizeRoundTrip?.auctionResultAtHub?.lzReceive,
      'liquidation.seizeRoundTrip.auctionResultAtHub.lzReceive',
    ],
    [MSG_HEARTBEAT]: [snapshot.heartbeat?.lzReceive, 'heartbeat.lzReceive'],
  };
  const gas: Record<number, number> = {};
  const sources: Record<number, string> = {};
  for (const [type, [figure, path]] of Object.entries(measured)) {
    const fallback = DEFAULT_RECEIVE_GAS[Number(type) as keyof typeof DEFAULT_RECEIVE_GAS];
    if (figure && figure > 0) {
      gas[Number(type)] = roundUp(figure * headroom);
      sources[Number(type)] = `${path} ${figure} × ${headroom}`;
    } else {
      gas[Number(type)] = fallback;
      sources[Number(type)] = `not in gas snapshot: contracts default ${fallback}`;
    }
  }
  return {
    vaultToHub: {
      [MSG_ATTEST]: gas[MSG_ATTEST]!,
      [MSG_WITHDRAW_REQUEST]: gas[MSG_WITHDRAW_REQUEST]!,
      [MSG_AUCTION_RESULT]: gas[MSG_AUCTION_RESULT]!,
      [MSG_HEARTBEAT]: gas[MSG_HEARTBEAT]!,
    },
    hubToVault: { [MSG_WITHDRAW_DECISION]: gas[MSG_WITHDRAW_DECISION]!, [MSG_SEIZE]: gas[MSG_SEIZE]! },
    sources,
  };
}

/** Type-3 options per message type: the lzReceive gas, and the native value forwarded for the types in `valueByType`. */
export const enforcedOptionsHex = (gasByType: Record<number, number>, valueByType: Record<number, bigint> = {}): Record<number, string> =>
  Object.fromEntries(
    Object.entries(gasByType).map(([type, gas]) => [Number(type), lzReceiveOptions(gas, valueByType[Number(type)] ?? 0n).toLowerCase()]),
  );

/** Vault ⇄ hub pathways of a deployment: each collateral chain with the trading chain, both ways. */
export function appPathways<C extends { eid: number; role: 'trading' | 'collateral' }>(chains: C[]): { local: C; remote: C }[] {
  const trading = chains.find((c) => c.role === 'trading');
  if (!trading) return [];
  return chains
    .filter((c) => c.role === 'collateral')
    .flatMap((vaultChain) => [
      { local: vaultChain, remote: trading },
      { local: trading, remote: vaultChain },
    ]);
}

// ---- worker fees: priced per destination from the gas snapshot and the destination's gas price ----

export interface WorkerPricingValue {
  /** Wei here per unit of lzReceive gas there. */
  gasPrice: bigint;
  /** Wei here per wei there, 1e18 = 1. */
  nativePriceRatio: bigint;
}

export interface WorkerFees {
  dstConfig: WorkerDstConfig;
  pricing: WorkerPricingValue;
}

const WAD = 10n ** 18n;
/** Used when the snapshot lacks a figure: one DVN's verify, commitVerification, a no-op OApp's lzReceive transaction. */
export const FALLBACK_DELIVERY_GAS = { verify: 50_000, commitVerification: 80_000, lzReceiveBase: 45_000 } as const;

/**
 * What our worker on a chain with native price `src.nativeUsd` charges for a message to `dst`: the DVN its
 * verify, the executor commit + the endpoint's own lzReceive work (flat), and the message's lzReceive gas at the
 * destination's gas price plus its lzReceive value (RelayerWorker.executorFeeOf), all converted to source wei.
 * Explicit `overrides` replace the flat parts.
 */
export function workerFees(
  src: { nativeUsd: number },
  dst: { gasPriceWei: string; nativeUsd: number },
  snapshot: GasSnapshot,
  overrides: { dvnFee?: string; executorFee?: string } = {},
): WorkerFees {
  const nativePriceRatio = (BigInt(Math.round((dst.nativeUsd / src.nativeUsd) * 1e9)) * WAD) / 10n ** 9n;
  const gasPrice = (BigInt(dst.gasPriceWei) * nativePriceRatio) / WAD;
  const verify = snapshot.hubReceiveAttest?.update?.verify ?? FALLBACK_DELIVERY_GAS.verify;
  const commit = snapshot.hubReceiveAttest?.update?.commitVerification ?? FALLBACK_DELIVERY_GAS.commitVerification;
  const base = snapshot.attestVsOft?.noopBaseline?.attestSized56?.later ?? FALLBACK_DELIVERY_GAS.lzReceiveBase;
  return {
    dstConfig: {
      enabled: true,
      dvnFee: overrides.dvnFee !== undefined ? BigInt(overrides.dvnFee) : BigInt(verify) * gasPrice,
      executorFee: overrides.executorFee !== undefined ? BigInt(overrides.executorFee) : BigInt(commit + base) * gasPrice,
    },
    pricing: { gasPrice, nativePriceRatio },
  };
}

export const workerPricingEquals = (a: WorkerPricingValue, b: WorkerPricingValue): boolean =>
  BigInt(a.gasPrice) === BigInt(b.gasPrice) && BigInt(a.nativePriceRatio) === BigInt(b.nativePriceRatio);

// ---- guards: sized from the vaults' value ----

export interface Bucket {
  capacity: bigint;
  refillPerSecond: bigint;
}

/** A bucket letting `hourly` out at once and refilling it over an hour (never 0). */
export function hourlyBucket(hourly: bigint): Bucket {
  const capacity = hourly > 0n ? hourly : 1n;
  const refill = capacity / 3600n;
  return { capacity, refillPerSecond: refill > 0n ? refill : 1n };
}

/** `fraction` of `amount`, rounded down (to a millionth of the fraction). */
const share = (amount: bigint, fraction: number): bigint => (amount * BigInt(Math.round(fraction * 1e6))) / 1_000_000n;

type SizedConfig = {
  chains: { role: string; assets: { symbol: string; depositCap: string; decimals?: number }[] }[];
  assets: { symbol: string; assetId: number; decimals: number; weightInit: number }[];
};

/** USD value the vaults can hold: Σ over chains and assets of depositCap × price × init weight. */
export function vaultCapacityUsd(config: SizedConfig, pricesUsd: Record<number, number>): number {
  let total = 0;
  for (const chain of config.chains.filter((c) => c.role === 'collateral')) {
    for (const chainAsset of chain.assets) {
      const asset = config.assets.find((a) => a.symbol === chainAsset.symbol)!;
      const decimals = chainAsset.decimals ?? asset.decimals;
      const units = Number(BigInt(chainAsset.depositCap)) / 10 ** decimals;
      total += units * (pricesUsd[asset.assetId] ?? 0) * asset.weightInit;
    }
  }
  return total;
}

/**
 * The CreditManager's increase guard: `perHour` of the vaults' value (1e18 USD) at once, refilled over an hour;
 * explicit capacity / refill win.
 */
export function creditIncreaseGuard(
  config: SizedConfig & { trading: { creditIncreaseCapacity?: string; creditIncreaseRefillPerSecond?: string } },
  perHour: number,
  pricesUsd: Record<number, number>,
): Bucket {
  const hourly = BigInt(Math.floor(vaultCapacityUsd(config, pricesUsd) * perHour)) * WAD;
  const sized = hourlyBucket(hourly);
  const t = config.trading;
  return {
    capacity: t.creditIncreaseCapacity !== undefined ? BigInt(t.creditIncreaseCapacity) : sized.capacity,
    refillPerSecond: t.creditIncreaseRefillPerSecond !== undefined ? BigInt(t.creditIncreaseRefillPerSecond) : sized.refillPerSecond,
  };
}

/** A vault asset's outflow bucket: `perHour` of its deposit cap at once, refilled over an hour; explicit values win. */
export function outflowGuard(chainAsset: { depositCap: string; rateCapacity?: string; refillPerSecond?: string }, perHour: number): Bucket {
  const sized = hourlyBucket(share(BigInt(chainAsset.depositCap), perHour));
  return {
    capacity: chainAsset.rateCapacity !== undefined ? BigInt(chainAsset.rateCapacity) : sized.capacity,
    refillPerSecond: chainAsset.refillPerSecond !== undefined ? BigInt(chainAsset.refillPerSecond) : sized.refillPerSecond,
  };
}

/** Whether an on-chain bucket needs rewriting: exact, or within `tolerance` (relative) when sized from live prices. */
export function bucketNeedsUpdate(current: Bucket, desired: Bucket, tolerance = 0): boolean {
  const off = (a: bigint, b: bigint) => {
    if (tolerance === 0) return a !== b;
    const diff = a > b ? a - b : b - a;
    return diff * 1_000_000n > b * BigInt(Math.round(tolerance * 1e6));
  };
  return off(BigInt(current.capacity), desired.capacity) || off(BigInt(current.refillPerSecond), desired.refillPerSecond);
}
