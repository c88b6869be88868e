import { getAddress, type Interface, type LogDescription } from 'ethers';
import { ICollateralVault__factory, ICreditManager__factory, IMarginHub__factory, IPerpMarket__factory } from '@tributary/contracts';
import type { ContractRole, EventOrigin, LedgerEnvelope, LedgerEvent } from '../ledger/ledger-events';

/** A raw log as JSON-RPC returns it (and as the event log stores it). */
export interface RawLog {
  address: string;
  topics: readonly string[];
  data: string;
  blockNumber: number;
  blockHash: string;
  logIndex: number;
  transactionHash: string;
}

export const CONTRACT_INTERFACES: Record<ContractRole, Interface> = {
  vault: ICollateralVault__factory.createInterface(),
  hub: IMarginHub__factory.createInterface(),
  creditManager: ICreditManager__factory.createInterface(),
  perpMarket: IPerpMarket__factory.createInterface(),
};

/** Decodes one log of a known contract into a ledger event; null if it is not one of that contract's events. */
export function decodeLog(role: ContractRole, chain: { chainId: number; eid: number }, log: RawLog): LedgerEnvelope | null {
  let parsed: LogDescription | null;
  try {
    parsed = CONTRACT_INTERFACES[role].parseLog({ topics: [...log.topics], data: log.data });
  } catch {
    return null;
  }
  if (!parsed) return null;
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
  return { origin, event: toLedgerEvent(role, chain.eid, parsed) };
}

function toLedgerEvent(role: ContractRole, eid: number, { name, args: a }: LogDescription): LedgerEvent {
  const account = (value: unknown): string => getAddress(String(value));
  const n = (value: unknown): number => Number(value);
  const big = (value: unknown): bigint => BigInt(value as bigint);
  const key = `${role}.${name}`;
  switch (key) {
    case 'hub.AttestationApplied':
      return { kind: 'HubAttestation', account: account(a.account), eid: n(a.eid), assetId: n(a.assetId), balance: big(a.balance), sequence: big(a.sequence) };
    case 'vault.BalanceAttested':
      return { kind: 'VaultAttestation', account: account(a.account), eid, assetId: n(a.assetId), balance: big(a.balance), sequence: big(a.sequence), requestId: big(a.requestId) };
    case 'vault.WithdrawalRequested':
      return { kind: 'VaultWithdrawalRequested', eid, requestId: big(a.requestId), account: account(a.account), assetId: n(a.assetId), amount: big(a.amount) };
    case 'vault.WithdrawalReleased':
      return { kind: 'VaultWithdrawalReleased', eid, requestId: big(a.requestId), account: account(a.account), assetId: n(a.assetId), amount: big(a.amount) };
    case 'vault.WithdrawalRejected':
      return { kind: 'VaultWithdrawalRejected', eid, requestId: big(a.requestId), account: account(a.account), assetId: n(a.assetId), amount: big(a.amount), reason: n(a.reason) };
    case 'hub.WithdrawalRequested':
      return { kind: 'HubWithdrawalRequested', eid: n(a.eid), requestId: big(a.requestId), account: account(a.account), assetId: n(a.assetId), amount: big(a.amount) };
    case 'hub.WithdrawalDecided':
      return {
        kind: 'HubWithdrawalDecided', eid: n(a.eid), requestId: big(a.requestId), account: account(a.account),
        approved: Boolean(a.approved), reason: n(a.reason), reservedValue: big(a.reservedValue),
      };
    case 'hub.WithdrawalSettled':
      return { kind: 'HubWithdrawalSettled', eid: n(a.eid), requestId: big(a.requestId), account: account(a.account), reservedValue: big(a.reservedValue) };
    case 'creditManager.CreditLimitSet':
      return { kind: 'CreditLimitSet', account: account(a.account), epoch: big(a.epoch), limit: big(a.limit), liquidatable: Boolean(a.liquidatable) };
    case 'creditManager.CreditBatchPushed':
      return { kind: 'CreditBatchPushed', epoch: big(a.epoch), accounts: big(a.accounts), totalIncrease: big(a.totalIncrease) };
    case 'creditManager.CreditConsumed':
    case 'creditManager.CreditReleased':
      return { kind: 'CreditUsed', account: account(a.account), used: big(a.used) };
    case 'creditManager.CreditReserved':
    case 'creditManager.ReservationReleased':
      return { kind: 'CreditReservedTotal', account: account(a.account), reserved: big(a.reserved) };
    case 'perpMarket.PositionOpened':
    case 'perpMarket.PositionModified':
    case 'perpMarket.PositionClosed':
      return {
        kind: 'PositionChanged', account: account(a.account), marketId: n(a.marketId), size: big(a.size), entryPrice: big(a.entryPrice),
        price: big(a.price), realizedPnl: big(a.realizedPnl), margin: big(a.margin),
      };
    default:
      return { kind: 'Informational', account: 'account' in a.toObject() ? account(a.account) : null };
  }
}
