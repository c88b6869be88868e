import { getAddress, getBytes, hexlify, solidityPacked, toBigInt } from 'ethers';

/**
 * The message table (version, type ids, lengths, field offsets, reject reasons) and its TypeScript codec:
 * packed, versioned vault ⇄ hub messages. Byte 0 = version, byte 1 = type, then fixed big-endian fields.
 * This file is the one definition of the table. contracts/src/libraries/MessageCodec.sol is its Solidity
 * twin: contracts/test/libraries/MessageCodec.test.ts fails if a constant there (named as the upper snake
 * case of the key here, e.g. `WITHDRAW_REQUEST`, `WITHDRAW_REQUEST_LENGTH`, `ASSET_ID_OFFSET`) or a
 * member of IMarginHub.RejectReason differs, and both codecs run the vectors in test/vectors/messages.json.
 */
export const MESSAGE_VERSION = 1;

export enum MessageType {
  Attest = 1,
  WithdrawRequest = 2,
  WithdrawDecision = 3,
  Seize = 4,
  AuctionResult = 5,
  /** Vault → hub liveness: sent by `CollateralVault.heartbeat()` so a quiet chain is not mistaken for a dead one. */
  Heartbeat = 6,
}

export const MESSAGE_LENGTHS: Record<MessageType, number> = {
  [MessageType.Attest]: 56,
  [MessageType.WithdrawRequest]: 48,
  [MessageType.WithdrawDecision]: 12,
  [MessageType.Seize]: 92,
  [MessageType.AuctionResult]: 112,
  [MessageType.Heartbeat]: 18,
};

/** Byte offsets shared with MessageCodec.sol. */
export const MESSAGE_OFFSETS = {
  version: 0,
  type: 1,
  account: 2,
  assetId: 22,
  amount: 24,
  attestSequence: 40,
  attestRequestId: 48,
  requestId: 40,
  decisionRequestId: 2,
  decisionApproved: 10,
  decisionReason: 11,
  seizeRecipient: 40,
  seizeLiquidationId: 60,
  seizeSeizureId: 68,
  seizeDebtUsd: 76,
  resultLiquidationId: 2,
  resultSeizureId: 10,
  resultAccount: 18,
  resultAssetId: 38,
  resultSeized: 40,
  resultProceedsUsd: 56,
  resultReturned: 72,
  resultBalance: 88,
  resultSequence: 104,
  heartbeatSequence: 2,
  heartbeatTimestamp: 10,
} as const;

/** Reasons carried by a rejected WITHDRAW_DECISION (IMarginHub.RejectReason; append-only). */
export enum RejectReason {
  None = 0,
  UnlistedAsset = 1,
  InsufficientAttestedBalance = 2,
  StaleCredit = 3,
  InsufficientCredit = 4,
  PriceUnavailable = 5,
  Liquidatable = 6,
  DuplicateRequest = 7,
  SeizureInFlight = 8,
  DecisionTimeout = 9,
  /** The aggregator's: post-withdrawal credit limit below the initial-margin floor. */
  PostWithdrawalCreditBelowFloor = 10,
  /** The aggregator's: post-withdrawal health below 1. */
  PostWithdrawalHealthBelowOne = 11,
}

/** The name of a reject reason as users see it (`Unknown(n)` for a number this build does not know). */
export function rejectReasonName(reason: number): string {
  return RejectReason[reason] ?? `Unknown(${reason})`;
}

export interface AttestMessage {
  type: MessageType.Attest;
  account: string;
  assetId: number;
  balance: bigint;
  sequence: bigint;
  /** The withdrawal this attestation settles; 0n when none. */
  requestId: bigint;
}

export interface WithdrawRequestMessage {
  type: MessageType.WithdrawRequest;
  account: string;
  assetId: number;
  amount: bigint;
  requestId: bigint;
}

export interface WithdrawDecisionMessage {
  type: MessageType.WithdrawDecision;
  requestId: bigint;
  approved: boolean;
  reason: number;
}

export interface SeizeMessage {
  type: MessageType.Seize;
  account: string;
  assetId: number;
  amount: bigint;
  recipient: string;
  liquidationId: bigint;
  /** The hub's id of this seizure: the auction's lot id and the AUCTION_RESULT's key. */
  seizureId: bigint;
  /** USD (1e18) the lot must raise. */
  debtUsd: bigint;
}

/** Vault → hub when a lot closes (or a SEIZE found nothing): carries the post-state balance like an ATTEST. */
export interface AuctionResultMessage {
  type: MessageType.AuctionResult;
  liquidationId: bigint;
  seizureId: bigint;
  account: string;
  assetId: number;
  /** Collateral the vault actually took (token units); requested − seized is the shortfall. */
  seized: bigint;
  /** USD (1e18) raised by the lot: the hub credits it to the account's cash. */
  proceedsUsd: bigint;
  /** Unsold collateral returned to the account's vault balance (token units). */
  returned: bigint;
  /** The account's vault balance of the asset after the return (an attestation at `sequence`). */
  balance: bigint;
  sequence: bigint;
}

export interface HeartbeatMessage {
  type: MessageType.Heartbeat;
  /** The vault's attestation sequence when it sent the heartbeat (the last ATTEST it numbered). */
  sequence: bigint;
  /** The vault chain's block timestamp (Unix s). */
  timestamp: bigint;
}

export type TributaryMessage =
  AttestMessage | WithdrawRequestMessage | WithdrawDecisionMessage | SeizeMessage | AuctionResultMessage | HeartbeatMessage;

export class MessageCodecError extends Error {}

const U16 = (1n << 16n) - 1n;
const U64 = (1n << 64n) - 1n;
const U128 = (1n << 128n) - 1n;

function checkRange(name: string, value: bigint | number, max: bigint): void {
  const v = BigInt(value);
  if (v < 0n || v > max) throw new MessageCodecError(`${name} out of range: ${v}`);
}

export function encodeMessage(message: TributaryMessage): string {
  const head: [string[], unknown[]] = [
    ['uint8', 'uint8'],
    [MESSAGE_VERSION, message.type],
  ];
  const pack = (types: string[], values: unknown[]) => solidityPacked([...head[0], ...types], [...head[1], ...values]);
  switch (message.type) {
    case MessageType.Attest:
      checkRange('assetId', message.assetId, U16);
      checkRange('balance', message.balance, U128);
      checkRange('sequence', message.sequence, U64);
      checkRange('requestId', message.requestId, U64);
      return pack(
        ['address', 'uint16', 'uint128', 'uint64', 'uint64'],
        [message.account, message.assetId, message.balance, message.sequence, message.requestId],
      );
    case MessageType.WithdrawRequest:
      checkRange('assetId', message.assetId, U16);
      checkRange('amount', message.amount, U128);
      checkRange('requestId', message.requestId, U64);
      return pack(['address', 'uint16', 'uint128', 'uint64'], [message.account, message.assetId, message.amount, message.requestId]);
    case MessageType.WithdrawDecision:
      checkRange('requestId', message.requestId, U64);
      checkRange('reason', message.reason, 255n);
      return pack(['uint64', 'uint8', 'uint8'], [message.requestId, message.approved ? 1 : 0, message.reason]);
    case MessageType.Seize:
      checkRange('assetId', message.assetId, U16);
      checkRange('amount', message.amount, U128);
      checkRange('liquidationId', message.liquidationId, U64);
      checkRange('seizureId', message.seizureId, U64);
      checkRange('debtUsd', message.debtUsd, U128);
      return pack(
        ['address', 'uint16', 'uint128', 'address', 'uint64', 'uint64', 'uint128'],
        [message.account, message.assetId, message.amount, message.recipient, message.liquidationId, message.seizureId, message.debtUsd],
      );
    case MessageType.AuctionResult:
      checkRange('liquidationId', message.liquidationId, U64);
      checkRange('seizureId', message.seizureId, U64);
      checkRange('assetId', message.assetId, U16);
      for (const key of ['seized', 'proceedsUsd', 'returned', 'balance'] as const) checkRange(key, message[key], U128);
      checkRange('sequence', message.sequence, U64);
      return pack(
        ['uint64', 'uint64', 'address', 'uint16', 'uint128', 'uint128', 'uint128', 'uint128', 'uint64'],
        [
          message.liquidationId,
          message.seizureId,
          message.account,
          message.assetId,
          message.seized,
          message.proceedsUsd,
          message.returned,
          message.balance,
          message.sequence,
        ],
      );
    case MessageType.Heartbeat:
      checkRange('sequence', message.sequence, U64);
      checkRange('timestamp', message.timestamp, U64);
      return pack(['uint64', 'uint64'], [message.sequence, message.timestamp]);
    default:
      throw new MessageCodecError(`unknown message type ${(message as { type: unknown }).type}`);
  }
}

/** Decodes any message; throws MessageCodecError on a wrong version, type or length (as the Solidity codec reverts). */
export function decodeMessage(data: string | Uint8Array): TributaryMessage {
  const bytes = getBytes(data);
  if (bytes.length < 2) throw new MessageCodecError(`message too short: ${bytes.length} bytes`);
  if (bytes[0] !== MESSAGE_VERSION) throw new MessageCodecError(`unsupported version ${bytes[0]}`);
  const type = bytes[1] as MessageType;
  const expected = MESSAGE_LENGTHS[type];
  if (expected === undefined) throw new MessageCodecError(`unknown message type ${type}`);
  if (bytes.length !== expected) throw new MessageCodecError(`type ${type} needs ${expected} bytes, got ${bytes.length}`);
  const o = MESSAGE_OFFSETS;
  const uint = (from: number, to: number) => toBigInt(bytes.slice(from, to));
  const address = (from: number) => getAddress(hexlify(bytes.slice(from, from + 20)));
  switch (type) {
    case MessageType.Attest:
      return {
        type,
        account: address(o.account),
        assetId: Number(uint(o.assetId, o.amount)),
        balance: uint(o.amount, o.attestSequence),
        sequence: uint(o.attestSequence, o.attestRequestId),
        requestId: uint(o.attestRequestId, expected),
      };
    case MessageType.WithdrawRequest:
      return {
        type,
        account: address(o.account),
        assetId: Number(uint(o.assetId, o.amount)),
        amount: uint(o.amount, o.requestId),
        requestId: uint(o.requestId, expected),
      };
    case MessageType.WithdrawDecision:
      return {
        type,
        requestId: uint(o.decisionRequestId, o.decisionApproved),
        approved: bytes[o.decisionApproved] !== 0,
        reason: bytes[o.decisionReason],
      };
    case MessageType.Seize:
      return {
        type,
        account: address(o.account),
        assetId: Number(uint(o.assetId, o.amount)),
        amount: uint(o.amount, o.seizeRecipient),
        recipient: address(o.seizeRecipient),
        liquidationId: uint(o.seizeLiquidationId, o.seizeSeizureId),
        seizureId: uint(o.seizeSeizureId, o.seizeDebtUsd),
        debtUsd: uint(o.seizeDebtUsd, expected),
      };
    case MessageType.AuctionResult:
      return {
        type,
        liquidationId: uint(o.resultLiquidationId, o.resultSeizureId),
        seizureId: uint(o.resultSeizureId, o.resultAccount),
        account: address(o.resultAccount),
        assetId: Number(uint(o.resultAssetId, o.resultSeized)),
        seized: uint(o.resultSeized, o.resultProceedsUsd),
        proceedsUsd: uint(o.resultProceedsUsd, o.resultReturned),
        returned: uint(o.resultReturned, o.resultBalance),
        balance: uint(o.resultBalance, o.resultSequence),
        sequence: uint(o.resultSequence, expected),
      };
    case MessageType.Heartbeat:
      return {
        type,
        sequence: uint(o.heartbeatSequence, o.heartbeatTimestamp),
        timestamp: uint(o.heartbeatTimestamp, expected),
      };
  }
}

type Body<T extends TributaryMessage> = Omit<T, 'type'>;

function decodeAs<T extends TributaryMessage>(data: string | Uint8Array, type: T['type']): T {
  const message = decodeMessage(data);
  if (message.type !== type) throw new MessageCodecError(`expected message type ${type}, got ${message.type}`);
  return message as T;
}

export const encodeAttest = (m: Body<AttestMessage>): string => encodeMessage({ ...m, type: MessageType.Attest });
export const encodeWithdrawRequest = (m: Body<WithdrawRequestMessage>): string => encodeMessage({ ...m, type: MessageType.WithdrawRequest });
export const encodeWithdrawDecision = (m: Body<WithdrawDecisionMessage>): string => encodeMessage({ ...m, type: MessageType.WithdrawDecision });
export const encodeSeize = (m: Body<SeizeMessage>): string => encodeMessage({ ...m, type: MessageType.Seize });
export const encodeAuctionResult = (m: Body<AuctionResultMessage>): string => encodeMessage({ ...m, type: MessageType.AuctionResult });
export const encodeHeartbeat = (m: Body<HeartbeatMessage>): string => encodeMessage({ ...m, type: MessageType.Heartbeat });

export const decodeAttest = (data: string | Uint8Array): AttestMessage => decodeAs<AttestMessage>(data, MessageType.Attest);
export const decodeWithdrawRequest = (data: string | Uint8Array): WithdrawRequestMessage =>
  decodeAs<WithdrawRequestMessage>(data, MessageType.WithdrawRequest);
export const decodeWithdrawDecision = (data: string | Uint8Array): WithdrawDecisionMessage =>
  decodeAs<WithdrawDecisionMessage>(data, MessageType.WithdrawDecision);
export const decodeSeize = (data: string | Uint8Array): SeizeMessage => decodeAs<SeizeMessage>(data, MessageType.Seize);
export const decodeAuctionResult = (data: string | Uint8Array): AuctionResultMessage =>
  decodeAs<AuctionResultMessage>(data, MessageType.AuctionResult);
export const decodeHeartbeat = (data: string | Uint8Array): HeartbeatMessage => decodeAs<HeartbeatMessage>(data, MessageType.Heartbeat);
