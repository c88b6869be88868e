import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MessageCodecError,
  MessageType,
  RejectReason,
  decodeAttest,
  decodeMessage,
  decodeSeize,
  decodeHeartbeat,
  encodeHeartbeat,
  encodeAttest,
  encodeMessage,
  encodeSeize,
  rejectReasonName,
  type TributaryMessage,
} from '../src/messages';

interface Vector {
  name: string;
  message: Record<string, unknown>;
  encoded: string;
}
const vectors = JSON.parse(readFileSync(join(__dirname, 'vectors', 'messages.json'), 'utf8')) as {
  valid: Vector[];
  invalid: { name: string; encoded: string; error: string }[];
};

const BIGINT_FIELDS = [
  'balance',
  'sequence',
  'requestId',
  'amount',
  'liquidationId',
  'seizureId',
  'debtUsd',
  'seized',
  'proceedsUsd',
  'returned',
  'timestamp',
];
function toMessage(raw: Record<string, unknown>): TributaryMessage {
  const m: Record<string, unknown> = { ...raw };
  for (const k of BIGINT_FIELDS) if (k in m) m[k] = BigInt(m[k] as string);
  return m as unknown as TributaryMessage;
}

describe('message codec (shared vectors with MessageCodec.sol)', () => {
  it.each(vectors.valid.map((v) => [v.name, v] as const))('encodes and decodes %s', (_name, vector) => {
    const message = toMessage(vector.message);
    expect(encodeMessage(message)).toBe(vector.encoded);
    expect(decodeMessage(vector.encoded)).toEqual(message);
  });

  it.each(vectors.invalid.map((v) => [v.name, v.encoded] as const))('rejects %s', (_name, encoded) => {
    expect(() => decodeMessage(encoded)).toThrow(MessageCodecError);
  });

  it('puts version and type first and is compact', () => {
    const encoded = encodeMessage({ type: MessageType.WithdrawDecision, requestId: 1n, approved: true, reason: 0 });
    expect(encoded).toBe('0x010300000000000000010100');
  });

  it('refuses values that do not fit their field', () => {
    const base = { type: MessageType.Attest, account: '0x' + '11'.repeat(20), assetId: 1, balance: 1n, sequence: 1n, requestId: 0n } as const;
    expect(() => encodeMessage({ ...base, balance: 1n << 128n })).toThrow(MessageCodecError);
    expect(() => encodeMessage({ ...base, assetId: 65536 })).toThrow(MessageCodecError);
    expect(() => encodeMessage({ ...base, sequence: -1n })).toThrow(MessageCodecError);
  });

  it('returns checksummed addresses', () => {
    const decoded = decodeMessage(vectors.valid[0].encoded);
    expect(decoded.type === MessageType.Attest && decoded.account).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
  });

  it('has typed per-message helpers that refuse another type', () => {
    const attest = { account: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', assetId: 1, balance: 1000000000n, sequence: 1n, requestId: 0n };
    expect(encodeAttest(attest)).toBe(vectors.valid[0].encoded);
    expect(decodeAttest(vectors.valid[0].encoded)).toEqual({ type: MessageType.Attest, ...attest });
    expect(() => decodeSeize(vectors.valid[0].encoded)).toThrow(/expected message type 4/);
    const seize = decodeSeize(vectors.valid[5].encoded);
    expect(encodeSeize(seize)).toBe(vectors.valid[5].encoded);
    const heartbeat = vectors.valid.find((v: { name: string }) => v.name === 'heartbeat')!;
    expect(decodeHeartbeat(heartbeat.encoded)).toEqual({ type: MessageType.Heartbeat, sequence: 17n, timestamp: 1764633600n });
    expect(encodeHeartbeat({ sequence: 17n, timestamp: 1764633600n })).toBe(heartbeat.encoded);
    expect(() => decodeHeartbeat(vectors.valid[0].encoded)).toThrow(/expected message type 6/);
  });
});

describe('reject reasons', () => {
  it('names every IMarginHub.RejectReason in enum order, and unknown numbers without throwing', () => {
    const names = Array.from({ length: 12 }, (_, i) => rejectReasonName(i));
    expect(names).toEqual([
      'None',
      'UnlistedAsset',
      'InsufficientAttestedBalance',
      'StaleCredit',
      'InsufficientCredit',
      'PriceUnavailable',
      'Liquidatable',
      'DuplicateRequest',
      'SeizureInFlight',
      'DecisionTimeout',
      'PostWithdrawalCreditBelowFloor',
      'PostWithdrawalHealthBelowOne',
    ]);
    expect(rejectReasonName(RejectReason.DecisionTimeout)).toBe('DecisionTimeout');
    expect(rejectReasonName(200)).toBe('Unknown(200)');
  });
});
