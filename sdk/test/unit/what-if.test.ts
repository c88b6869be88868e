import { applyChange, DEFAULT_MODEL_PARAMS, type RiskRequestBody } from '../../src';
import { fakeContext } from './fixtures';

const base = (): RiskRequestBody => ({
  assets: [
    { id: '1', price: 1, weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001 },
    { id: '2', price: 3000, weightInit: 0.8, weightMaint: 0.85, imf: 0.0001, volatility: 0.04 },
  ],
  correlations: [],
  chains: [{ eid: 40102, weight: 1 }],
  balances: [{ eid: 40102, assetId: '1', amount: 10_000 }],
  positions: [{ assetId: '2', size: 2, entryPrice: 2500, imr: 0.1, mmr: 0.05 }],
  cash: 0,
  params: DEFAULT_MODEL_PARAMS,
});

describe('what-if changes on an evaluate request', () => {
  const ctx = fakeContext();

  it('a deposit adds to the balance of its chain (and lists a chain the request lacks); a withdrawal takes from it', async () => {
    const deposited = await applyChange(ctx, base(), { deposit: { chain: 'collateral-b', asset: 'WETH', amount: '1.5' } });
    expect(deposited.balances).toContainEqual({ eid: 40103, assetId: '2', amount: 1.5 });
    expect(deposited.chains).toContainEqual({ eid: 40103, weight: 1 });
    const withdrawn = await applyChange(ctx, base(), { withdraw: { chain: 'collateral-a', asset: 'USDC', amount: '4000' } });
    expect(withdrawn.balances).toEqual([{ eid: 40102, assetId: '1', amount: 6000 }]);
    await expect(applyChange(ctx, base(), { withdraw: { chain: 'collateral-a', asset: 'USDC', amount: '10001' } })).rejects.toMatchObject({
      code: 'insufficient-balance',
    });
  });

  it('a trade adds at the price with a weighted entry, pays the fee; a reduction realizes PnL into cash; a close removes it', async () => {
    const added = await applyChange(ctx, base(), { trade: { asset: 'WETH', size: '2' } });
    expect(added.positions).toEqual([{ assetId: '2', size: 4, entryPrice: 2750, imr: 0.1, mmr: 0.05 }]);
    expect(added.cash).toBeCloseTo(-2 * 3000 * 0.0005, 9);
    const reduced = await applyChange(ctx, base(), { trade: { asset: 'WETH', size: '-1' } });
    expect(reduced.positions).toEqual([{ assetId: '2', size: 1, entryPrice: 2500, imr: 0.1, mmr: 0.05 }]);
    expect(reduced.cash).toBeCloseTo(500 - 1.5, 9);
    const closed = await applyChange(ctx, base(), { trade: { asset: 'WETH', size: '-2' } });
    expect(closed.positions).toEqual([]);
    const flipped = await applyChange(ctx, base(), { trade: { asset: 'WETH', size: '-3' } });
    expect(flipped.positions).toEqual([{ assetId: '2', size: -1, entryPrice: 3000, imr: 0.1, mmr: 0.05 }]);
    expect(flipped.cash).toBeCloseTo(2 * 500 - 3 * 3000 * 0.0005, 9);
  });

  it('a cash change adds to cash; the input is never modified', async () => {
    const request = base();
    expect((await applyChange(ctx, request, { cash: '-250' })).cash).toBe(-250);
    expect(request).toEqual(base());
  });
});
