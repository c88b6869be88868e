import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import fc from 'fast-check';
import { parseEther } from 'ethers';
import { packCreditEntry, pushCredit } from '../../lib';
import { marketFixture } from '../helpers/market-fixture';

const abs = (x: bigint) => (x < 0n ? -x : x);
const units = (tenths: number) => (BigInt(tenths) * 10n ** 18n) / 10n;

async function threeTraders() {
  const f = await marketFixture();
  const [, , , , , , bob, carol] = await ethers.getSigners();
  for (const who of [bob, carol]) await f.collateral.set(who.address, parseEther('1000000'));
  await pushCredit(
    f.cm.connect(f.pusher),
    2,
    [f.alice, bob, carol].map((w) => packCreditEntry(w.address, parseEther('300000'))),
  );
  return { ...f, traders: [f.alice, bob, carol] };
}

const action = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('trade' as const),
      who: fc.integer({ min: 0, max: 2 }),
      tenths: fc.integer({ min: -80, max: 80 }).filter((t) => t !== 0),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('caps' as const), market: fc.integer({ min: 0, max: 150 }), account: fc.integer({ min: 0, max: 60 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('price' as const), usd: fc.integer({ min: 1500, max: 2500 }) }) },
);

describe('invariants: caps', () => {
  it('open interest = Σ |size|, never rises above its cap, and a trade is refused exactly when it would pass a cap (handler-based)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 6, maxLength: 18 }), async (actions) => {
        const { market, traders, setPrice } = await loadFixture(threeTraders);
        const sizes = [0n, 0n, 0n];
        let caps = { market: 0n, account: 0n };
        for (const a of actions) {
          const before = (await market.openInterest(0)).total;
          if (a.kind === 'caps') {
            // 0 tenths = no cap.
            caps = { market: units(a.market), account: units(a.account) };
            await market.setOpenInterestCaps(0, caps.market, caps.account);
          } else if (a.kind === 'price') {
            await setPrice(a.usd);
          } else {
            const delta = units(a.tenths);
            const next = sizes[a.who] + delta;
            const raises = abs(next) > abs(sizes[a.who]);
            const total = before + abs(next) - abs(sizes[a.who]);
            const tx = market.connect(traders[a.who]).modifyPosition(0, delta);
            if (raises && caps.market !== 0n && total > caps.market) {
              await expect(tx).to.be.revertedWithCustomError(market, 'MarketOpenInterestCap').withArgs(0, total, caps.market);
            } else if (raises && caps.account !== 0n && abs(next) > caps.account) {
              await expect(tx).to.be.revertedWithCustomError(market, 'AccountOpenInterestCap');
            } else {
              await (await tx).wait();
              sizes[a.who] = next;
            }
          }
          const after = (await market.openInterest(0)).total;
          for (let i = 0; i < 3; i++) expect((await market.position(traders[i].address, 0)).size).to.equal(sizes[i]);
          expect(after).to.equal(sizes.reduce((sum, s) => sum + abs(s), 0n));
          if (after > before && caps.market !== 0n) expect(after).to.be.lte(caps.market);
          if (caps.account !== 0n && a.kind === 'trade' && abs(sizes[a.who]) > caps.account) {
            expect(after).to.be.lte(before); // only a reduction can leave an account above its cap
          }
        }
      }),
      { numRuns: 8 },
    );
  });
});
