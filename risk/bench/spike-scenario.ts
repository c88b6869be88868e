import { evaluateRisk, updateStablePrice, type RiskRequestInput, type RiskResult } from '../src';

/** Holdings of the spike figure's two accounts (balances on one chain; a long ETH perp entered at 1,900). */
export const SPIKE_ACCOUNTS = {
  /** 100 ETH and 50,000 USDC, long 20 ETH with imr 0.2: the ETH collateral carries a VaR charge that grows with the oracle. */
  realistic: { eth: 100, usdc: 50_000, long: 20 },
  /** 200,000 USDC, long 100 ETH with imr 0.2 ≥ z·σ·√h: no VaR charge beyond the floor, so only the init prices move credit. */
  chargeFree: { eth: 0, usdc: 200_000, long: 100 },
};

/**
 * ETH starts settled at 2,000 (s = p); one block of `blockSeconds` later the oracle is at `2,000 × factor` and s
 * has taken one step. Returns credit before, after with the dampener, and after without it.
 */
export function spikeScenario(factor: number, blockSeconds: number, account = SPIKE_ACCOUNTS.realistic) {
  const request = (price: number, stablePrice: number): RiskRequestInput => ({
    assets: [
      { id: 'USDC', price: 1, weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001 },
      { id: 'ETH', price, stablePrice, weightInit: 0.8, weightMaint: 0.85, imf: 0, volatility: 0.05 },
    ],
    correlations: [],
    chains: [{ eid: 30101, weight: 1 }],
    balances: [
      { eid: 30101, assetId: 'ETH', amount: account.eth },
      { eid: 30101, assetId: 'USDC', amount: account.usdc },
    ],
    positions: [{ assetId: 'ETH', size: account.long, entryPrice: 1_900, imr: 0.2, mmr: 0.1 }],
    params: { zInit: 2.33, zMaint: 1.65, horizonDays: 1, stress: 1.25, pnlWeight: 0.5 },
  });
  const spiked = 2_000 * factor;
  const stable = updateStablePrice({ price: 2_000, lastUpdate: 0 }, spiked, blockSeconds).price;
  const before: RiskResult = evaluateRisk(request(2_000, 2_000));
  const damped: RiskResult = evaluateRisk(request(spiked, stable));
  const undamped: RiskResult = evaluateRisk(request(spiked, spiked));
  return { before, damped, undamped, stable, ethInitUnits: account.eth * 0.8, longSize: account.long };
}
