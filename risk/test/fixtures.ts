import type { RiskAsset, RiskRequestInput } from '../src';

/** z_init = 2, z_maint = 1, h = 4 days (√h = 2): VaR^init = 4·√(eᵀΣe), VaR^maint = 2·√(eᵀΣe). */
export const params = { zInit: 2, zMaint: 1, horizonDays: 4, stress: 1.25, pnlWeight: 0.5 };

export const USDC: RiskAsset = { id: 'USDC', price: 1, weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001 };
export const ETH: RiskAsset = { id: 'ETH', price: 2000, weightInit: 0.8, weightMaint: 0.85, imf: 0, volatility: 0.05 };
export const BTC: RiskAsset = { id: 'BTC', price: 30000, weightInit: 0.8, weightMaint: 0.85, imf: 0, volatility: 0.04 };

export const CHAIN_A = 30101;
export const CHAIN_B = 30110;

export function request(partial: Partial<RiskRequestInput>): RiskRequestInput {
  return {
    assets: [USDC, ETH, BTC],
    correlations: [],
    chains: [
      { eid: CHAIN_A, weight: 1 },
      { eid: CHAIN_B, weight: 1 },
    ],
    balances: [],
    positions: [],
    params,
    ...partial,
  };
}

/** Relative closeness for float64 results worked out by hand. */
export function expectClose(actual: number | null, expected: number, relative = 1e-12): void {
  expect(actual).not.toBeNull();
  const tolerance = Math.max(Math.abs(expected) * relative, 1e-300);
  if (Math.abs((actual as number) - expected) > tolerance) {
    throw new Error(`expected ${actual} to be within ${tolerance} of ${expected}`);
  }
}
