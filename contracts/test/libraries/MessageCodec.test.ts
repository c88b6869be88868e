import { expect } from 'chai';
import { ethers } from 'hardhat';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageCodecHarness__factory, type MessageCodecHarness } from '../../typechain-types';

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
    case 1:
      return codec.encodeAttest({ account: m.account as string, assetId: m.assetId as number, balance: big(m.balance), sequence: big(m.sequence), requestId: big(m.requestId) });
    case 2:
      return codec.encodeWithdrawRequest({ account: m.account as string, assetId: m.assetId as number, amount: big(m.amount), requestId: big(m.requestId) });
    case 3:
      return codec.encodeWithdrawDecision({ requestId: big(m.requestId), approved: m.approved as boolean, reason: m.reason as number });
    default:
      return codec.encodeSeize({
        account: m.account as string,
        assetId: m.assetId as number,
        amount: big(m.amount),
        recipient: m.recipient as string,
        liquidationId: big(m.liquidationId),
      });
  }
}

async function decode(codec: MessageCodecHarness, type: number, encoded: string): Promise<Record<string, unknown>> {
  const r =
    type === 1
      ? await codec.decodeAttest(encoded)
      : type === 2
        ? await codec.decodeWithdrawRequest(encoded)
        : type === 3
          ? await codec.decodeWithdrawDecision(encoded)
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
