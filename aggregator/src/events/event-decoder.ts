import { AbiCoder, Interface, getAddress, type EventFragment, type ParamType } from 'ethers';
import {
  ICollateralAuction__factory,
  ICollateralVault__factory,
  IInsuranceFund__factory,
  ILiquidationRegistry__factory,
  ICreditManager__factory,
  IMarginHub__factory,
  IPerpMarket__factory,
  ISettlementPool__factory,
} from '@tributary/contracts';
import { DELIVERY_EVENTS, type ContractRole, type EventOrigin, type LedgerEnvelope, type LedgerEvent } from './ledger-events';
import type { RawLog } from './raw-log';

export const CONTRACT_INTERFACES: Record<ContractRole, Interface> = {
  vault: ICollateralVault__factory.createInterface(),
  hub: IMarginHub__factory.createInterface(),
  // CreditLimitSet is no longer emitted: the indexer derives one per pushed account from the push's calldata
  // (credit-push-expander.ts), in the event's old shape (so rows indexed before keep decoding).
  creditManager: new Interface([
    ...ICreditManager__factory.createInterface().fragments,
    'event CreditLimitSet(address indexed account, uint64 indexed epoch, int256 base, bool liquidatable)',
  ]),
  perpMarket: IPerpMarket__factory.createInterface(),
  settlementPool: ISettlementPool__factory.createInterface(),
  liquidationRegistry: ILiquidationRegistry__factory.createInterface(),
  insuranceFund: IInsuranceFund__factory.createInterface(),
  auction: ICollateralAuction__factory.createInterface(),
};

type Args = Record<string, unknown>;

interface EventDecoder {
  name: string;
  indexed: ParamType[];
  body: ParamType[];
}

/**
 * topic0 → decoder, built once. ethers' `parseLog` re-hashes every fragment signature per call, which
 * dominated ingest time; this decodes with the ABI coder directly.
 */
const DECODERS: Record<ContractRole, Map<string, EventDecoder>> = Object.fromEntries(
  Object.entries(CONTRACT_INTERFACES).map(([role, iface]) => {
    const byTopic = new Map<string, EventDecoder>();
    iface.forEachEvent((fragment: EventFragment) => {
      byTopic.set(fragment.topicHash, {
        name: fragment.name,
        indexed: fragment.inputs.filter((p) => p.indexed),
        body: fragment.inputs.filter((p) => !p.indexed),
      });
    });
    return [role, byTopic];
  }),
) as Record<ContractRole, Map<string, EventDecoder>>;

const coder = AbiCoder.defaultAbiCoder();
const TWO_256 = 1n << 256n;

/** Decodes one 32-byte ABI word of a static type (every parameter of our events is static). */
function decodeWord(type: string, word: string): unknown {
  if (type === 'address') return checksum(`0x${word.slice(24)}`);
  if (type === 'bool') return BigInt(`0x${word}`) !== 0n;
  if (type.startsWith('uint')) return BigInt(`0x${word}`);
  if (type.startsWith('int')) {
    const value = BigInt(`0x${word}`);
    return word.charCodeAt(0) >= 56 /* '8': sign bit set */ ? value - TWO_256 : value;
  }
  return coder.decode([type], `0x${word}`)[0];
}

/** ethers' ABI coder builds Result proxies and re-checksums each address; static words are sliced directly. */
function decodeArgs(decoder: EventDecoder, log: RawLog): Args | null {
  if (log.topics.length !== decoder.indexed.length + 1) return null;
  const data = log.data.startsWith('0x') ? log.data.slice(2) : log.data;
  if (data.length !== decoder.body.length * 64) return null;
  const args: Args = {};
  decoder.indexed.forEach((param, i) => {
    args[param.name] = decodeWord(param.type, log.topics[i + 1].slice(2));
  });
  decoder.body.forEach((param, i) => {
    args[param.name] = decodeWord(param.type, data.slice(i * 64, i * 64 + 64));
  });
  return args;
}

/** Checksummed addresses, memoized (checksumming costs a keccak; accounts repeat). */
const checksums = new Map<string, string>();
function checksum(value: unknown): string {
  const raw = String(value);
  let out = checksums.get(raw);
  if (!out) {
    out = getAddress(raw);
    if (checksums.size > 100_000) checksums.clear();
    checksums.set(raw, out);
  }
  return out;
}

/** Decodes one log of a known contract into a ledger event; null if it is not one of that contract's events. */
export function decodeLog(role: ContractRole, chain: { chainId: number; eid: number }, log: RawLog): LedgerEnvelope | null {
  const decoder = log.topics.length ? DECODERS[role].get(log.topics[0]) : undefined;
  if (!decoder) return null;
  let args: Args | null;
  try {
    args = decodeArgs(decoder, log);
  } catch {
    return null;
  }
  if (!args) return null;
  const parsed = { name: decoder.name, args };
  const origin: EventOrigin = {
    chainId: chain.chainId,
    eid: chain.eid,
    blockNumber: log.blockNumber,
    blockHash: log.blockHash,
    logIndex: log.logIndex,
    txHash: log.transactionHash,
    contract: role,
    name: parsed.name,
  };
  const envelope: LedgerEnvelope = { origin, event: toLedgerEvent(role, chain.eid, parsed) };
  if (role === 'hub' && DELIVERY_EVENTS.has(parsed.name)) envelope.heardFrom = Number(args.eid);
  return envelope;
}

function toLedgerEvent(role: ContractRole, eid: number, { name, args: a }: { name: string; args: Args }): LedgerEvent {
  const account = checksum;
  const n = (value: unknown): number => Number(value);
  const big = (value: unknown): bigint => BigInt(value as bigint);
  const key = `${role}.${name}`;
  switch (key) {
    case 'hub.AttestationApplied':
      return {
        kind: 'HubAttestation',
        account: account(a.account),
        eid: n(a.eid),
        assetId: n(a.assetId),
        balance: big(a.balance),
        sequence: big(a.sequence),
      };
    case 'vault.BalanceAttested':
      return {
        kind: 'VaultAttestation',
        account: account(a.account),
        eid,
        assetId: n(a.assetId),
        balance: big(a.balance),
        sequence: big(a.sequence),
        requestId: big(a.requestId),
      };
    case 'vault.WithdrawalRequested':
      return {
        kind: 'VaultWithdrawalRequested',
        eid,
        requestId: big(a.requestId),
        account: account(a.account),
        assetId: n(a.assetId),
        amount: big(a.amount),
      };
    case 'vault.WithdrawalReleased':
      return {
        kind: 'VaultWithdrawalReleased',
        eid,
        requestId: big(a.requestId),
        account: account(a.account),
        assetId: n(a.assetId),
        amount: big(a.amount),
      };
    case 'vault.WithdrawalRejected':
      return {
        kind: 'VaultWithdrawalRejected',
        eid,
        requestId: big(a.requestId),
        account: account(a.account),
        assetId: n(a.assetId),
        amount: big(a.amount),
        reason: n(a.reason),
      };
    case 'hub.WithdrawalRequested':
      return {
        kind: 'HubWithdrawalRequested',
        eid: n(a.eid),
        requestId: big(a.requestId),
        account: account(a.account),
        assetId: n(a.assetId),
        amount: big(a.amount),
      };
    case 'hub.WithdrawalPending':
      return {
        kind: 'HubWithdrawalPending',
        eid: n(a.eid),
        requestId: big(a.requestId),
        account: account(a.account),
        assetId: n(a.assetId),
        amount: big(a.amount),
        reservedValue: big(a.reservedValue),
        deadline: n(a.deadline),
      };
    case 'hub.WithdrawalDecided':
      return {
        kind: 'HubWithdrawalDecided',
        eid: n(a.eid),
        requestId: big(a.requestId),
        account: account(a.account),
        approved: Boolean(a.approved),
        reason: n(a.reason),
        reservedValue: big(a.reservedValue),
      };
    case 'hub.WithdrawalSettled':
      return {
        kind: 'HubWithdrawalSettled',
        eid: n(a.eid),
        requestId: big(a.requestId),
        account: account(a.account),
        reservedValue: big(a.reservedValue),
      };
    case 'creditManager.CreditLimitSet':
      return { kind: 'CreditLimitSet', account: account(a.account), epoch: big(a.epoch), base: big(a.base), liquidatable: Boolean(a.liquidatable) };
    case 'creditManager.CreditBatchPushed':
      return { kind: 'CreditBatchPushed', epoch: big(a.epoch), accounts: big(a.accounts), totalIncrease: big(a.totalIncrease) };
    case 'creditManager.CreditConsumed':
    case 'creditManager.CreditReleased':
      return { kind: 'CreditUsed', account: account(a.account), used: big(a.used) };
    case 'creditManager.CreditReserved':
    case 'creditManager.ReservationReleased':
    case 'creditManager.ReservationCancelled':
      return { kind: 'CreditReservedTotal', account: account(a.account), reserved: big(a.reserved) };
    case 'settlementPool.CashChanged':
      return { kind: 'CashChanged', account: account(a.account), reason: n(a.reason), delta: big(a.delta), cashAfter: big(a.cashAfter) };
    case 'perpMarket.PositionOpened':
    case 'perpMarket.PositionModified':
    case 'perpMarket.PositionClosed':
      return {
        kind: 'PositionChanged',
        account: account(a.account),
        marketId: n(a.marketId),
        size: big(a.size),
        entryPrice: big(a.entryPrice),
        price: big(a.price),
        realizedPnl: big(a.realizedPnl),
        margin: big(a.margin),
      };
    default:
      return { kind: 'Informational', account: 'account' in a ? account(a.account) : null };
  }
}

/** The event name and its arguments by name (the liquidation ledger's input); null if not one of `role`'s events. */
export function decodeEventArgs(role: ContractRole, log: Pick<RawLog, 'topics' | 'data'>): { name: string; args: Args } | null {
  const decoder = log.topics.length ? DECODERS[role]?.get(log.topics[0]) : undefined;
  if (!decoder) return null;
  try {
    const args = decodeArgs(decoder, log as RawLog);
    return args ? { name: decoder.name, args } : null;
  } catch {
    return null;
  }
}
