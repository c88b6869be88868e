import { describeRiskRequestIssues, riskRequestSchema, type RiskRequestInput } from '../src';
import { ETH, USDC, params } from './fixtures';

const valid: RiskRequestInput = {
  assets: [USDC, ETH],
  correlations: [{ a: 'ETH', b: 'USDC', rho: 0.1 }],
  chains: [{ eid: 30101, weight: 1 }],
  balances: [{ eid: 30101, assetId: 'ETH', amount: 1 }],
  positions: [{ assetId: 'ETH', size: -1, entryPrice: 2000, imr: 0.1, mmr: 0.05 }],
  params,
};

function issuesOf(body: unknown): string[] {
  const parsed = riskRequestSchema.safeParse(body);
  expect(parsed.success).toBe(false);
  return parsed.success ? [] : describeRiskRequestIssues(parsed.error);
}

describe('riskRequestSchema', () => {
  it('accepts a valid request and fills stress and the optional arrays', () => {
    const { params: p, ...rest } = valid;
    const parsed = riskRequestSchema.parse({ ...rest, correlations: undefined, positions: undefined, params: { ...p, stress: undefined } });
    expect(parsed.params.stress).toBe(1.25);
    expect(parsed.correlations).toEqual([]);
    expect(parsed.positions).toEqual([]);
  });

  const cases: [string, (r: RiskRequestInput) => unknown, RegExp][] = [
    [
      'non-finite price',
      (r) => ({ ...r, assets: [{ ...USDC, price: Number.POSITIVE_INFINITY }, ETH] }),
      /assets\.0\.price: price must be a finite number/,
    ],
    [
      'NaN volatility',
      (r) => ({ ...r, assets: [{ ...USDC, volatility: Number.NaN }, ETH] }),
      /assets\.0\.volatility: volatility must be a finite number/,
    ],
    ['negative price', (r) => ({ ...r, assets: [{ ...USDC, price: -1 }, ETH] }), /assets\.0\.price: price must be ≥ 0/],
    ['weightInit above 1', (r) => ({ ...r, assets: [{ ...USDC, weightInit: 1.5 }, ETH] }), /assets\.0\.weightInit: weightInit must be in \[0, 1\]/],
    [
      'negative weightMaint',
      (r) => ({ ...r, assets: [USDC, { ...ETH, weightMaint: -0.1 }] }),
      /assets\.1\.weightMaint: weightMaint must be in \[0, 1\]/,
    ],
    ['negative imf', (r) => ({ ...r, assets: [{ ...USDC, imf: -1 }, ETH] }), /assets\.0\.imf: imf must be ≥ 0/],
    ['duplicate asset id', (r) => ({ ...r, assets: [USDC, ETH, { ...ETH }] }), /assets\.2\.id: asset id 'ETH' is listed twice/],
    ['|rho| above 1', (r) => ({ ...r, correlations: [{ a: 'ETH', b: 'USDC', rho: 1.01 }] }), /correlations\.0\.rho: rho must be in \[-1, 1\]/],
    [
      'correlation with unknown asset',
      (r) => ({ ...r, correlations: [{ a: 'ETH', b: 'DOGE', rho: 0.1 }] }),
      /correlations\.0\.b: correlation b 'DOGE' is not a listed asset/,
    ],
    ['self correlation', (r) => ({ ...r, correlations: [{ a: 'ETH', b: 'ETH', rho: 1 }] }), /correlations\.0\.b: correlation of 'ETH' with itself/],
    [
      'duplicate correlation pair',
      (r) => ({
        ...r,
        correlations: [
          { a: 'ETH', b: 'USDC', rho: 0.1 },
          { a: 'USDC', b: 'ETH', rho: 0.2 },
        ],
      }),
      /correlations\.1: correlation USDC\/ETH is listed twice/,
    ],
    ['chain weight above 1', (r) => ({ ...r, chains: [{ eid: 30101, weight: 2 }] }), /chains\.0\.weight: chain weight must be in \[0, 1\]/],
    [
      'duplicate chain eid',
      (r) => ({
        ...r,
        chains: [
          { eid: 30101, weight: 1 },
          { eid: 30101, weight: 0.5 },
        ],
      }),
      /chains\.1\.eid: chain eid 30101 is listed twice/,
    ],
    [
      'negative balance',
      (r) => ({ ...r, balances: [{ eid: 30101, assetId: 'ETH', amount: -1 }] }),
      /balances\.0\.amount: balance amount must be ≥ 0/,
    ],
    [
      'balance of unknown asset',
      (r) => ({ ...r, balances: [{ eid: 30101, assetId: 'DOGE', amount: 1 }] }),
      /balances\.0\.assetId: balance assetId 'DOGE' is not a listed asset/,
    ],
    [
      'balance on unknown chain',
      (r) => ({ ...r, balances: [{ eid: 1, assetId: 'ETH', amount: 1 }] }),
      /balances\.0\.eid: balance eid 1 is not a listed chain/,
    ],
    [
      'duplicate balance',
      (r) => ({
        ...r,
        balances: [
          { eid: 30101, assetId: 'ETH', amount: 1 },
          { eid: 30101, assetId: 'ETH', amount: 2 },
        ],
      }),
      /balances\.1: balance of 'ETH' on eid 30101 is listed twice/,
    ],
    [
      'position on unknown asset',
      (r) => ({ ...r, positions: [{ assetId: 'DOGE', size: 1, entryPrice: 1, imr: 0.1, mmr: 0.05 }] }),
      /positions\.0\.assetId: position assetId 'DOGE' is not a listed asset/,
    ],
    [
      'imr above 1',
      (r) => ({ ...r, positions: [{ assetId: 'ETH', size: 1, entryPrice: 1, imr: 1.1, mmr: 0.05 }] }),
      /positions\.0\.imr: imr must be in \[0, 1\]/,
    ],
    [
      'non-finite position size',
      (r) => ({ ...r, positions: [{ assetId: 'ETH', size: Number.NEGATIVE_INFINITY, entryPrice: 1, imr: 0.1, mmr: 0.05 }] }),
      /positions\.0\.size: position size must be a finite number/,
    ],
    ['zero horizon', (r) => ({ ...r, params: { ...params, horizonDays: 0 } }), /params\.horizonDays: horizonDays must be > 0/],
    ['non-positive stress', (r) => ({ ...r, params: { ...params, stress: 0 } }), /params\.stress: stress must be > 0/],
    ['pnlWeight above 1', (r) => ({ ...r, params: { ...params, pnlWeight: 2 } }), /params\.pnlWeight: pnlWeight must be in \[0, 1\]/],
    ['string where a number belongs', (r) => ({ ...r, params: { ...params, zInit: '2' } }), /params\.zInit: zInit must be a finite number/],
    ['missing assets', (r) => ({ ...r, assets: undefined }), /assets: assets must be an array/],
    ['empty asset id', (r) => ({ ...r, assets: [{ ...USDC, id: '' }, ETH] }), /assets\.0\.id: asset id must not be empty/],
  ];

  it.each(cases)('rejects %s with a message naming the field', (_name, mutate, message) => {
    const issues = issuesOf(mutate(valid));
    expect(issues.join('\n')).toMatch(message);
  });
});
