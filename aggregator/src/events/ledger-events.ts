/**
 * Typed domain events of the ledger, decoded from the contracts' logs (see event-decoder.ts).
 * Every event names the ledger rows it touches; applying is a merge keyed by a version
 * (attestation sequence, credit epoch, or the trading chain's (block, logIndex) order), so the
 * result does not depend on how events are batched, and replaying the chain gives the live state.
 */
export type LedgerEvent =
  | { kind: 'HubAttestation'; account: string; eid: number; assetId: number; balance: bigint; sequence: bigint }
  | { kind: 'VaultAttestation'; account: string; eid: number; assetId: number; balance: bigint; sequence: bigint; requestId: bigint }
  | { kind: 'VaultWithdrawalRequested'; eid: number; requestId: bigint; account: string; assetId: number; amount: bigint }
  | { kind: 'VaultWithdrawalReleased'; eid: number; requestId: bigint; account: string; assetId: number; amount: bigint }
  | { kind: 'VaultWithdrawalRejected'; eid: number; requestId: bigint; account: string; assetId: number; amount: bigint; reason: number }
  | { kind: 'HubWithdrawalRequested'; eid: number; requestId: bigint; account: string; assetId: number; amount: bigint }
  /** The hub's checks passed: `reservedValue` is reserved and the request awaits the aggregator's decision until `deadline` (unix s). */
  | {
      kind: 'HubWithdrawalPending';
      eid: number;
      requestId: bigint;
      account: string;
      assetId: number;
      amount: bigint;
      reservedValue: bigint;
      deadline: number;
    }
  | { kind: 'HubWithdrawalDecided'; eid: number; requestId: bigint; account: string; approved: boolean; reason: number; reservedValue: bigint }
  | { kind: 'HubWithdrawalSettled'; eid: number; requestId: bigint; account: string; reservedValue: bigint }
  /** `base` = limit − cashAtPush (1e18 USD, signed): the chain counts `base + cash − used − reserved` as available. */
  | { kind: 'CreditLimitSet'; account: string; epoch: bigint; base: bigint; liquidatable: boolean }
  | { kind: 'CreditBatchPushed'; epoch: bigint; accounts: bigint; totalIncrease: bigint }
  | { kind: 'CreditUsed'; account: string; used: bigint }
  | { kind: 'CreditReservedTotal'; account: string; reserved: bigint }
  /** SettlementPool: the account's signed cash (1e18 USD) changed by `delta` to `cashAfter`; `reason` is a `CashReason`. */
  | { kind: 'CashChanged'; account: string; reason: number; delta: bigint; cashAfter: bigint }
  | {
      kind: 'PositionChanged';
      account: string;
      marketId: number;
      size: bigint;
      entryPrice: bigint;
      price: bigint;
      realizedPnl: bigint;
      margin: bigint;
    }
  /** Logged for the record, no ledger row of its own (configuration, seizures, payouts, …). */
  | { kind: 'Informational'; account: string | null };

/** Where and when an event happened on chain; (chainId, blockHash, logIndex) is its identity. */
export interface EventOrigin {
  chainId: number;
  eid: number;
  blockNumber: number;
  blockHash: string;
  logIndex: number;
  txHash: string;
  /** Which deployed contract emitted it (manifest name). */
  contract: ContractRole;
  /** Solidity event name. */
  name: string;
}

/** Contracts the indexer follows, by their manifest name (`chains[].contracts.<role>`). */
export const CONTRACT_ROLES = [
  'vault',
  'hub',
  'creditManager',
  'perpMarket',
  'settlementPool',
  'liquidationRegistry',
  'insuranceFund',
  'auction',
] as const;
export type ContractRole = (typeof CONTRACT_ROLES)[number];

/** ISettlementPool.CashReason, by number (append-only on chain; the ledger stores the number). */
export const CASH_REASONS = [
  'RealizedPnl',
  'TradingFee',
  'Repayment',
  'Withdrawal',
  'LiquidationPenalty',
  'LiquidationReward',
  'InsuranceShare',
  'AuctionProceeds',
  'InsuranceCover',
  'BadDebtWriteOff',
] as const;
export type CashReasonName = (typeof CASH_REASONS)[number];

/** The name of a cash reason as users see it (`Unknown(n)` for a number this build does not know). */
export function cashReasonName(reason: number): string {
  return CASH_REASONS[reason] ?? `Unknown(${reason})`;
}

export interface LedgerEnvelope {
  origin: EventOrigin;
  event: LedgerEvent;
  /**
   * The collateral chain (eid) whose vault message this hub event reports delivered (AttestationApplied,
   * AttestationIgnored, WithdrawalRequested, HeartbeatReceived): the chain liveness that weight decay reads.
   */
  heardFrom?: number;
}

/** Hub events emitted on the delivery of a vault message: one of them for every message type. */
export const DELIVERY_EVENTS: ReadonlySet<string> = new Set(['AttestationApplied', 'AttestationIgnored', 'WithdrawalRequested', 'HeartbeatReceived']);

/** The account an event belongs to (null for protocol-wide events). */
export function accountOf(event: LedgerEvent): string | null {
  return 'account' in event ? event.account : null;
}

/** Total order of events on one chain: block, then log index (fits in a signed 64-bit integer). */
export function orderKey(origin: Pick<EventOrigin, 'blockNumber' | 'logIndex'>): bigint {
  return (BigInt(origin.blockNumber) << 20n) | BigInt(origin.logIndex);
}
