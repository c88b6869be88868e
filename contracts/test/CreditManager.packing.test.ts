import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, toBeHex, zeroPadValue } from 'ethers';
import {
  MAX_CREDIT_BASE,
  MIN_CREDIT_BASE,
  deployCreditManager,
  grantCreditRoles,
  layoutCreditPush,
  packCreditSlot,
  pushCredit,
  unpackCreditSlot,
  type CreditEntry,
} from '../lib';

const STALE = 300;
const accounts = Array.from({ length: 24 }, (_, i) => ethers.getAddress('0x' + (i + 1).toString(16).padStart(40, 'b')));

async function packedFixture() {
  const [admin, pusher] = await ethers.getSigners();
  const cm = await deployCreditManager(admin, {
    staleAfterSeconds: STALE,
    guardCapacity: 4n * MAX_CREDIT_BASE,
    guardRefillPerSecond: parseEther('1'),
  });
  await grantCreditRoles(cm, { pusher: pusher.address, market: admin.address, hub: admin.address });
  return { cm: cm.connect(pusher), admin };
}

const entry = (account: string, base: bigint, liquidatable = false): CreditEntry => ({ account, base, liquidatable });

/** A small deterministic PRNG (mulberry32), so a failing sequence can be replayed from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('CreditManager packed limits', () => {
  it('slot words round-trip both halves, and refuse out-of-range bases (never truncated)', () => {
    const word = packCreditSlot(7, { base: MIN_CREDIT_BASE, liquidatable: true }, { base: MAX_CREDIT_BASE, liquidatable: false });
    expect(unpackCreditSlot(word)).to.deep.equal([
      { index: 14, base: MIN_CREDIT_BASE, liquidatable: true },
      { index: 15, base: MAX_CREDIT_BASE, liquidatable: false },
    ]);
    expect(unpackCreditSlot(packCreditSlot(3, undefined, { base: -1n, liquidatable: false }))).to.deep.equal([
      { index: 7, base: -1n, liquidatable: false },
    ]);
    expect(() => packCreditSlot(0, { base: MAX_CREDIT_BASE + 1n, liquidatable: false })).to.throw(RangeError);
    expect(() => packCreditSlot(0, undefined, { base: MIN_CREDIT_BASE - 1n, liquidatable: false })).to.throw(RangeError);
  });

  it('two accounts share a slot: both halves written by one word, each with its own base, mark and epoch', async () => {
    const { cm } = await loadFixture(packedFixture);
    const [a, b] = accounts;
    await pushCredit(cm, 1, [entry(a, parseEther('-7'), true), entry(b, MAX_CREDIT_BASE)]);
    expect(await cm.accountCount()).to.equal(2n);
    expect(await cm.accountIndex(b)).to.deep.equal([true, 1n]);
    expect(await cm.accountIndex(accounts[5])).to.deep.equal([false, 0n]);
    const slot = await cm.limitsSlot(0);
    expect(slot >> 224n).to.equal(1n); // b's epoch
    expect((slot >> 96n) & 0xffffffffn).to.equal(1n); // a's epoch
    expect((await cm.account(a)).limit).to.equal(parseEther('-7'));
    expect(await cm.isLiquidatable(a)).to.equal(true);
    expect((await cm.account(b)).limit).to.equal(MAX_CREDIT_BASE);
    expect(await cm.isLiquidatable(b)).to.equal(false);
  });

  it('slot s lives at keccak256("tributary.CreditManager.limits") + s (CreditSlots.REGION), not in a mapping', async () => {
    const { cm } = await loadFixture(packedFixture);
    await pushCredit(
      cm,
      1,
      accounts.slice(0, 5).map((a, i) => entry(a, BigInt(i + 1) * 10n)),
    );
    const region = BigInt(ethers.id('tributary.CreditManager.limits'));
    for (const slot of [0n, 1n, 2n]) {
      const raw = await ethers.provider.getStorage(await cm.getAddress(), region + slot);
      expect(BigInt(raw))
        .to.equal(await cm.limitsSlot(slot))
        .and.not.equal(0n);
    }
    expect(BigInt(await ethers.provider.getStorage(await cm.getAddress(), region + 3n))).to.equal(0n);
  });

  it('a one-half word leaves the partner untouched (base, mark, epoch and so its staleness)', async () => {
    const { cm } = await loadFixture(packedFixture);
    const [a, b] = accounts;
    await pushCredit(cm, 1, [entry(a, 100n, true), entry(b, 200n)]);
    const pushedAt = await time.latest();
    await time.increase(STALE - 10);
    await pushCredit(cm, 2, [entry(b, 50n)]);
    expect(await cm.pushedEpoch(a)).to.equal(1n);
    expect(await cm.pushedEpoch(b)).to.equal(2n);
    expect((await cm.account(a)).limit).to.equal(100n);
    expect((await cm.account(a)).updatedAt).to.equal(BigInt(pushedAt));
    expect(await cm.isLiquidatable(a)).to.equal(true);
    await time.increase(20);
    // Staleness is per epoch: a (epoch 1) is stale now, b (epoch 2) is not.
    expect(await cm.isStale(a)).to.equal(true);
    expect(await cm.isLiquidatable(a)).to.equal(false);
    expect(await cm.isStale(b)).to.equal(false);
    expect((await cm.account(b)).updatedAt).to.equal(await cm.epochTimestamp(2));
  });

  it('refuses bad words and reused accounts, changing nothing', async () => {
    const { cm } = await loadFixture(packedFixture);
    const [a, b, c] = accounts;
    await pushCredit(cm, 1, [entry(a, 10n), entry(b, 20n), entry(c, 30n)]);
    const before = [await cm.limitsSlot(0), await cm.limitsSlot(1)];
    const half = { base: 1n, liquidatable: false };
    const bad = [
      packCreditSlot(1, undefined, half), // index 3 has no account
      packCreditSlot(2, half), // index 4 has no account
      zeroPadValue(toBeHex(0n), 32), // no half
      zeroPadValue(toBeHex((4n << 192n) | 1n), 32), // stray bit above the mask
    ];
    for (const [i, word] of bad.entries()) {
      await expect(cm.pushCreditLimits(2, [], [packCreditSlot(0, half, half), word]))
        .to.be.revertedWithCustomError(cm, 'BadCreditSlot')
        .withArgs(1, word);
      expect(i).to.be.lessThan(bad.length);
    }
    await expect(cm.pushCreditLimits(2, [b], []))
      .to.be.revertedWithCustomError(cm, 'AccountAlreadyIndexed')
      .withArgs(b, 1);
    await expect(cm.pushCreditLimits(2, [ethers.ZeroAddress], [])).to.be.revertedWithCustomError(cm, 'ZeroAddress');
    expect([await cm.limitsSlot(0), await cm.limitsSlot(1)]).to.deep.equal(before);
    expect(await cm.lastEpoch()).to.equal(1n);
    expect(await cm.accountCount()).to.equal(3n);
  });

  it('an epoch above 2^32 − 1 reverts EpochOverflow (a half stores 32 bits of it)', async () => {
    const { cm } = await loadFixture(packedFixture);
    await pushCredit(cm, 1, [entry(accounts[0], 1n)]);
    // lastEpoch shares a slot with paramGovernor (low 160 bits) and accountCount: find it and set lastEpoch.
    const address = await cm.getAddress();
    let found = -1;
    for (let s = 0; s < 32 && found < 0; s++) {
      const v = BigInt(await ethers.provider.getStorage(address, s));
      if (((v >> 160n) & ((1n << 64n) - 1n)) === 1n && v >> 224n === 1n) found = s;
    }
    expect(found).to.be.greaterThanOrEqual(0);
    const word = ((2n ** 32n - 1n) << 160n) | (1n << 224n);
    await ethers.provider.send('hardhat_setStorageAt', [address, toBeHex(found), zeroPadValue(toBeHex(word), 32)]);
    expect(await cm.lastEpoch()).to.equal(2n ** 32n - 1n);
    await expect(pushCredit(cm, 2n ** 32n, [entry(accounts[0], 2n)]))
      .to.be.revertedWithCustomError(cm, 'EpochOverflow')
      .withArgs(2n ** 32n);
  });

  it('the increase guard counts both halves of a word, and only the written half of a one-half word', async () => {
    const [admin, pusher] = await ethers.getSigners();
    const deployed = await deployCreditManager(admin, { staleAfterSeconds: STALE, guardCapacity: 1000n, guardRefillPerSecond: 0n });
    await grantCreditRoles(deployed, { pusher: pusher.address, market: admin.address, hub: admin.address });
    const cm = deployed.connect(pusher);
    const [a, b] = accounts;
    await expect(pushCredit(cm, 1, [entry(a, 600n), entry(b, 300n)]))
      .to.emit(cm, 'CreditBatchPushed')
      .withArgs(1n, 2n, 900n);
    // b lowered, a raised by 200: 200 counts (> the 100 left) although the slot's sum fell.
    await expect(pushCredit(cm, 2, [entry(a, 800n), entry(b, 0n)]))
      .to.be.revertedWithCustomError(cm, 'CreditIncreaseRateLimited')
      .withArgs(200n, 100n);
    await expect(pushCredit(cm, 2, [entry(b, 400n)]))
      .to.emit(cm, 'CreditBatchPushed')
      .withArgs(2n, 1n, 100n);
    expect(await cm.increaseAllowance()).to.equal(0n);
  });

  it('property: after random pushes every account reads the last value pushed for it; partners are never clobbered', async function () {
    this.timeout(120_000);
    for (const seed of [1, 2, 3]) {
      const { cm } = await loadFixture(packedFixture);
      const random = rng(seed);
      const model = new Map<string, { base: bigint; liquidatable: boolean; epoch: bigint }>();
      for (let epoch = 1n; epoch <= 12n; epoch++) {
        const chosen = accounts.filter(() => random() < 0.35);
        const entries = chosen.map((a) => entry(a, BigInt(Math.floor(random() * 2001) - 1000) * 10n ** 15n, random() < 0.2));
        const known = new Map<string, number>();
        for (const a of accounts) {
          const [isKnown, index] = await cm.accountIndex(a);
          if (isKnown) known.set(a, Number(index));
        }
        const byIndex = new Map([...known].map(([a, i]) => [i, a]));
        // Sometimes fill an absent partner with its current value (the aggregator's pairing), sometimes not.
        const fillPartners = random() < 0.5;
        const args = layoutCreditPush(
          entries,
          (a) => known.get(a),
          Number(await cm.accountCount()),
          (index) => {
            const current = fillPartners ? model.get(byIndex.get(index)!) : undefined;
            return current ? { base: current.base, liquidatable: current.liquidatable } : null;
          },
        );
        await cm.pushCreditLimits(epoch, args.newAccounts, args.slots);
        for (const e of entries) model.set(e.account, { base: e.base, liquidatable: e.liquidatable, epoch });
        for (const word of args.slots) {
          for (const h of unpackCreditSlot(word)) {
            const account = [...args.indices].find(([, i]) => i === h.index)?.[0] ?? byIndex.get(h.index)!;
            const m = model.get(account)!;
            expect({ base: h.base, liquidatable: h.liquidatable }).to.deep.equal({ base: m.base, liquidatable: m.liquidatable });
            m.epoch = epoch; // a filled partner is re-pushed: its push time moves
          }
        }
        for (const a of accounts) {
          const m = model.get(a);
          const onChain = await cm.account(a);
          expect(onChain.limit, `seed ${seed} epoch ${epoch} ${a}`).to.equal(m?.base ?? 0n);
          expect(await cm.pushedEpoch(a)).to.equal(m?.epoch ?? 0n);
          expect((onChain.updatedAt === 0n) === (m === undefined)).to.equal(true);
          expect(await cm.isLiquidatable(a)).to.equal(m?.liquidatable ?? false);
        }
      }
    }
  });
});
