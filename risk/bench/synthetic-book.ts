import type { AccountHoldings, HoldingsWriter, MarketConfig } from '../src';

/** Deterministic PRNG (mulberry32) so every run builds the same book. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BookShape {
  accounts: number;
  assets: number;
  chains: number;
  positionsPerAccount: number;
}

export function syntheticMarket(shape: BookShape, random: () => number): MarketConfig {
  const assets = Array.from({ length: shape.assets }, (_, k) => ({
    id: `ASSET${k}`,
    price: k === 0 ? 1 : 10 + random() * 5000,
    weightInit: 0.6 + random() * 0.3,
    weightMaint: 0.7 + random() * 0.25,
    imf: random() * 0.01,
    volatility: k === 0 ? 0.001 : 0.02 + random() * 0.06,
  }));
  const correlations = [];
  for (let a = 1; a < shape.assets; a++) {
    for (let b = a + 1; b < shape.assets; b++) correlations.push({ a: `ASSET${a}`, b: `ASSET${b}`, rho: -0.2 + random() * 1.0 });
  }
  const chains = Array.from({ length: shape.chains }, (_, c) => ({ eid: 30100 + c, weight: 0.5 + random() * 0.5 }));
  return { assets, correlations, chains, params: { zInit: 2.33, zMaint: 1.65, horizonDays: 1, stress: 1.25, pnlWeight: 0.5 } };
}

/**
 * Every account holds every asset on every chain and `positionsPerAccount` perps, written straight into a book's
 * writer (no holdings object); the caller `begin`s and `commit`s. Draws the same numbers as `syntheticAccount`.
 */
export function writeSyntheticAccount(writer: HoldingsWriter, shape: BookShape, market: MarketConfig, random: () => number): void {
  const { assets, chains } = market;
  for (let c = 0; c < chains.length; c++) {
    for (let k = 0; k < assets.length; k++) writer.balanceAt(c, k, (random() * 10_000) / assets[k].price);
  }
  for (let m = 0; m < shape.positionsPerAccount; m++) {
    const k = 1 + Math.floor(random() * (assets.length - 1));
    const price = assets[k].price;
    const size = ((random() - 0.5) * 20_000) / price;
    writer.positionAt(k, size, price * (0.9 + random() * 0.2), 0.1, 0.05);
  }
}

/** `writeSyntheticAccount` as a holdings object (what `setAccount` takes). */
export function syntheticAccount(shape: BookShape, market: MarketConfig, random: () => number): AccountHoldings {
  const balances = [];
  for (const chain of market.chains) {
    for (const asset of market.assets) balances.push({ eid: chain.eid, assetId: asset.id, amount: (random() * 10_000) / asset.price });
  }
  const positions = Array.from({ length: shape.positionsPerAccount }, () => {
    const asset = market.assets[1 + Math.floor(random() * (market.assets.length - 1))];
    return {
      assetId: asset.id,
      size: ((random() - 0.5) * 20_000) / asset.price,
      entryPrice: asset.price * (0.9 + random() * 0.2),
      imr: 0.1,
      mmr: 0.05,
    };
  });
  return { balances, positions };
}
