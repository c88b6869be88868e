import { MSG_ATTEST, MSG_SEIZE, MSG_WITHDRAW_DECISION, MSG_WITHDRAW_REQUEST, DEFAULT_RECEIVE_GAS, lzReceiveOptions } from '@tributary/contracts';

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

/** The subset of contracts/gas-snapshot.json the enforced options are derived from. */
export interface GasSnapshot {
  hubReceiveAttest?: { firstAttestation?: { lzReceive?: number } };
  /** The hub's WITHDRAW_REQUEST receive when it reserves (no reply) and the vault's release. */
  withdrawalRoundTrip?: { hubRequest?: { lzReceive?: number }; vaultRelease?: { lzReceive?: number } };
  /** The hub's WITHDRAW_REQUEST receive when it rejects at once (sends the reply from inside lzReceive). */
  withdrawalRejectedOnArrival?: { hubReceive?: { lzReceive?: number } };
  seize?: { lzReceive?: number };
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
    [MSG_SEIZE]: [snapshot.seize?.lzReceive, 'seize.lzReceive'],
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
    vaultToHub: { [MSG_ATTEST]: gas[MSG_ATTEST]!, [MSG_WITHDRAW_REQUEST]: gas[MSG_WITHDRAW_REQUEST]! },
    hubToVault: { [MSG_WITHDRAW_DECISION]: gas[MSG_WITHDRAW_DECISION]!, [MSG_SEIZE]: gas[MSG_SEIZE]! },
    sources,
  };
}

export const enforcedOptionsHex = (gasByType: Record<number, number>): Record<number, string> =>
  Object.fromEntries(Object.entries(gasByType).map(([type, gas]) => [Number(type), lzReceiveOptions(gas).toLowerCase()]));

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
