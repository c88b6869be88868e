import { expect } from 'chai';
import { ethers } from 'hardhat';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGE_LENGTHS, MESSAGE_OFFSETS, MESSAGE_VERSION, MessageType, RejectReason } from '@tributary/protocol';
import { MessageCodecHarness__factory, type MessageCodecHarness } from '../../typechain-types';
import { enumMembers, numberConstants, upperSnakeCase } from '../helpers/solidity-ast';

interface Vector {
  name: string;
  message: Record<string, string | number | boolean>;
  encoded: string;
}
const vectors = JSON.parse(readFileSync(join(__dirname, '../../../protocol/test/vectors/messages.json'), 'utf8')) as {
  valid: Vector[];
  invalid: { name: string; encoded: string; error: string }[];
};

const big = (v: unknown) => BigInt(v as string);

async function encode(codec: MessageCodecHarness, m: Vector['message']): Promise<string> {
  switch (m.type) {
    case MessageType.Attest:
      return codec.encodeAttest({
        account: m.account as string,
        assetId: m.assetId as number,
        balance: big(m.balance),
        sequence: big(m.sequence),
        requestId: big(m.requestId),
      });
    case MessageType.WithdrawRequest:
      return codec.encodeWithdrawRequest({
        account: m.account as string,
        assetId: m.assetId as number,
        amount: big(m.amount),
        requestId: big(m.requestId),
      });
    case MessageType.WithdrawDecision:
      return codec.encodeWithdrawDecision({ requestId: big(m.requestId), approved: m.approved as boolean, reason: m.reason as number });
    case MessageType.AuctionResult:
      return codec.encodeAuctionResult({
        liquidationId: big(m.liquidationId),
        seizureId: big(m.seizureId),
        account: m.account as string,
        assetId: m.assetId as number,
        seized: big(m.seized),
        proceedsUsd: big(m.proceedsUsd),
        returned: big(m.returned),
        balance: big(m.balance),
        sequence: big(m.sequence),
      });
    case MessageType.Heartbeat:
      return codec.encodeHeartbeat({ sequence: big(m.sequence), timestamp: big(m.timestamp) });
    default:
      return codec.encodeSeize({
        account: m.account as string,
        assetId: m.assetId as number,
        amount: big(m.amount),
        recipient: m.recipient as string,
        liquidationId: big(m.liquidationId),
        seizureId: big(m.seizureId),
        debtUsd: big(m.debtUsd),
      });
  }
}

async function decode(codec: MessageCodecHarness, type: number, encoded: string): Promise<Record<string, unknown>> {
  const r =
    type === MessageType.Attest
      ? await codec.decodeAttest(encoded)
      : type === MessageType.WithdrawRequest
        ? await codec.decodeWithdrawRequest(encoded)
        : type === MessageType.WithdrawDecision
          ? await codec.decodeWithdrawDecision(encoded)
          : type === MessageType.AuctionResult
            ? await codec.decodeAuctionResult(encoded)
            : type === MessageType.Heartbeat
              ? await codec.decodeHeartbeat(encoded)
              : await codec.decodeSeize(encoded);
  return (r as unknown as { toObject(): Record<string, unknown> }).toObject();
}

function normalized(m: Vector['message']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === 'type') continue;
    out[k] = typeof v === 'boolean' ? v : typeof v === 'string' && v.startsWith('0x') ? v : BigInt(v);
  }
  return out;
}

describe('MessageCodec (shared vectors with protocol/src/messages.ts)', () => {
  let codec: MessageCodecHarness;
  before(async () => {
    codec = await new MessageCodecHarness__factory((await ethers.getSigners())[0]).deploy();
  });

  for (const vector of vectors.valid) {
    it(`encodes and decodes ${vector.name}`, async () => {
      expect(await encode(codec, vector.message)).to.equal(vector.encoded);
      expect(await codec.messageType(vector.encoded)).to.equal(BigInt(vector.message.type));
      const decoded = await decode(codec, vector.message.type as number, vector.encoded);
      const expected = normalized(vector.message);
      for (const [k, v] of Object.entries(expected)) {
        const actual = decoded[k];
        expect(typeof v === 'string' ? String(actual).toLowerCase() : actual, k).to.equal(typeof v === 'string' ? v.toLowerCase() : v);
      }
    });
  }

  for (const vector of vectors.invalid) {
    it(`rejects ${vector.name} with ${vector.error}`, async () => {
      await expect(codec.messageType(vector.encoded)).to.be.revertedWithCustomError(codec, vector.error);
    });
  }
});

/** [name, value] of a numeric TypeScript enum (whose object also maps values back to names). */
function enumEntries(e: Record<string, string | number>): [string, number][] {
  return Object.entries(e).filter((entry): entry is [string, number] => typeof entry[1] === 'number');
}

/** A message of `kind` with a correct head and `length` bytes. */
function messageOf(kind: number, length: number): string {
  return '0x' + MESSAGE_VERSION.toString(16).padStart(2, '0') + kind.toString(16).padStart(2, '0') + '00'.repeat(length - 2);
}

describe('MessageCodec constants against the message table of @tributary/protocol', () => {
  it('are exactly the table: version, type ids, lengths and offsets, named after its keys', async () => {
    const expected: Record<string, bigint> = { VERSION: BigInt(MESSAGE_VERSION) };
    for (const [name, id] of enumEntries(MessageType)) {
      expected[upperSnakeCase(name)] = BigInt(id);
      expected[`${upperSnakeCase(name)}_LENGTH`] = BigInt(MESSAGE_LENGTHS[id as MessageType]);
    }
    for (const [field, offset] of Object.entries(MESSAGE_OFFSETS)) expected[`${upperSnakeCase(field)}_OFFSET`] = BigInt(offset);
    const solidity = Object.fromEntries(await numberConstants('src/libraries/MessageCodec.sol', 'MessageCodec'));
    expect(solidity).to.deep.equal(expected);
  });

  it("IMarginHub.RejectReason has the table's reasons in the same order", async () => {
    const names = enumEntries(RejectReason)
      .sort((a, b) => a[1] - b[1])
      .map(([name]) => name);
    expect(await enumMembers('src/interfaces/IMarginHub.sol', 'IMarginHub', 'RejectReason')).to.deep.equal(names);
  });

  it('messageType and messageLength accept every type id of the table at its length and no other id', async () => {
    const codec = await new MessageCodecHarness__factory((await ethers.getSigners())[0]).deploy();
    for (let kind = 0; kind < 256; kind++) {
      const length: number | undefined = MESSAGE_LENGTHS[kind as MessageType];
      if (length === undefined) {
        await expect(codec.messageType(messageOf(kind, 2)), `type ${kind}`).to.be.revertedWithCustomError(codec, 'UnknownMessageType');
        await expect(codec.messageLength(kind), `length of type ${kind}`).to.be.revertedWithCustomError(codec, 'UnknownMessageType');
        continue;
      }
      expect(await codec.messageLength(kind)).to.equal(BigInt(length));
      expect(await codec.messageType(messageOf(kind, length))).to.equal(BigInt(kind));
      for (const wrong of [length - 1, length + 1]) {
        await expect(codec.messageType(messageOf(kind, wrong)), `type ${kind}, ${wrong} bytes`).to.be.revertedWithCustomError(
          codec,
          'InvalidMessageLength',
        );
      }
    }
  });
});
