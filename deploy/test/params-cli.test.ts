import { RiskParameters__factory, paramKey } from '@tributary/contracts';
import {
  PARAMS_USAGE,
  ParamsUsageError,
  explainRevert,
  formatPreview,
  fromChainValue,
  parseParamsArgs,
  previewRequest,
  resolveId,
  toChainValue,
} from '../src/params/params-cli';
import { parseManifest } from '@tributary/protocol';

const address = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
const layerZero = { endpoint: address(1), sendUln302: address(2), receiveUln302: address(3), worker: address(4), dvnSigner: address(5) };
const chain = (name: string, eid: number, role: 'trading' | 'collateral') => ({
  name,
  chainId: eid,
  eid,
  rpcUrl: 'http://127.0.0.1:1',
  role,
  confirmations: 1,
  startBlock: 0,
  layerZero,
  contracts: {},
});
const devnetManifestFixture = () => ({
  version: 1,
  chains: [chain('trading', 40101, 'trading'), chain('collateral-a', 40102, 'collateral')],
  assets: [
    { assetId: 1, symbol: 'USDC', weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001 },
    { assetId: 2, symbol: 'WETH', weightInit: 0.8, weightMaint: 0.85, imf: 0, volatility: 0.04 },
  ],
});

describe('tributary params (argument parsing, ids, preview request)', () => {
  it('parses show / preview / propose / execute and refuses what is missing', () => {
    expect(parseParamsArgs(['show', '--manifest', 'm.json'])).toMatchObject({ command: 'show', yes: false });
    expect(parseParamsArgs(['propose', '--kind', 'initWeight', '--id', 'WETH', '--value', '0.75', '--yes'])).toMatchObject({
      command: 'propose',
      kind: 'initWeight',
      id: 'WETH',
      value: '0.75',
      yes: true,
    });
    expect(parseParamsArgs(['execute', '--kind', 'markOverrideHealth'])).toMatchObject({ command: 'execute', kind: 'markOverrideHealth' });
    expect(() => parseParamsArgs(['propose', '--kind', 'initWeight', '--value', '0.7'])).toThrow(/needs --id/);
    expect(() => parseParamsArgs(['preview', '--kind', 'imr', '--id', 'WETH'])).toThrow(/needs --value/);
    expect(() => parseParamsArgs(['propose', '--kind', 'nope', '--id', '1', '--value', '1'])).toThrow(ParamsUsageError);
    expect(() => parseParamsArgs(['frobnicate'])).toThrow(/unknown params command/);
    expect(PARAMS_USAGE).toContain('params propose');
  });

  it('maps ids (asset symbol, chain name, market asset) and builds the preview request of the change', () => {
    const manifest = parseManifest(devnetManifestFixture());
    const markets = [{ marketId: 0, assetId: manifest.assets[1]!.assetId }];
    const weth = manifest.assets[1]!;
    expect(resolveId(manifest, 'initWeight', weth.symbol, markets)).toBe(weth.assetId);
    const chain = manifest.chains.find((c) => c.role === 'collateral')!;
    expect(resolveId(manifest, 'chainWeight', chain.name, markets)).toBe(chain.eid);
    expect(resolveId(manifest, 'imr', weth.symbol, markets)).toBe(0);
    expect(resolveId(manifest, 'guardCapacity', undefined, markets)).toBe(0);
    expect(previewRequest('initWeight', weth.assetId, 0.7, markets)).toEqual({ assets: [{ assetId: weth.assetId, weightInit: 0.7 }] });
    expect(previewRequest('imr', 0, 0.15, markets)).toEqual({ markets: [{ assetId: weth.assetId, imr: 0.15 }] });
    expect(previewRequest('chainWeight', chain.eid, 0.95, markets)).toEqual({ chains: [{ eid: chain.eid, weight: 0.95 }] });
    expect(previewRequest('takerFee', 0, 0.001, markets)).toBeNull();
    expect(toChainValue('0.75')).toBe(750000000000000000n);
    expect(resolveId(manifest, 'marketOpenInterestCap', 'WETH', markets)).toBe(0);
    expect(resolveId(manifest, 'accountExposureCap', 'WETH', markets)).toBe(weth.assetId);
    expect(previewRequest('marketOpenInterestCap', 0, 5000, markets)).toEqual({ markets: [{ assetId: weth.assetId, openInterestCap: 5000 }] });
    expect(previewRequest('accountOpenInterestCap', 0, 50, markets)).toEqual({ markets: [{ assetId: weth.assetId, accountOpenInterestCap: 50 }] });
    expect(previewRequest('accountExposureCap', weth.assetId, 1e6, markets)).toEqual({
      assets: [{ assetId: weth.assetId, accountExposureCap: 1e6 }],
    });
    expect(toChainValue('50000')).toBe(50_000n * 10n ** 18n);
    // The dampener: δ a fraction (1e18), τ whole seconds.
    expect(previewRequest('stableMaxStep', weth.assetId, 0.04, markets)).toEqual({ assets: [{ assetId: weth.assetId, stableMaxStep: 0.04 }] });
    expect(previewRequest('stableInterval', weth.assetId, 1800, markets)).toEqual({
      assets: [{ assetId: weth.assetId, stableIntervalSeconds: 1800 }],
    });
    expect(resolveId(manifest, 'stableInterval', 'WETH', markets)).toBe(weth.assetId);
    expect(toChainValue('0.04', 'stableMaxStep')).toBe(4n * 10n ** 16n);
    expect(toChainValue('1800', 'stableInterval')).toBe(1800n);
    expect(() => toChainValue('0.5', 'stableInterval')).toThrow(ParamsUsageError);
    expect(fromChainValue(1800n, 'stableInterval')).toBe('1800 s');
  });

  it('prints what a proposed δ/τ does: s at the horizon, credit under each, the one-block jump', () => {
    const outcome = (maxStep: number, s: number, jump: number) => ({
      maxStep,
      intervalSeconds: 3600,
      stablePriceAtHorizon: s,
      blockJumpPerUnit: jump,
      blockJumpUsd: jump * 100,
    });
    const text = formatPreview({
      accounts: 2,
      newlyLiquidatable: [],
      noLongerLiquidatable: 0,
      creditBefore: 1000,
      creditAfter: 1000,
      creditAdded: 0,
      creditRemoved: 0,
      hardestHit: [],
      stable: {
        horizonSeconds: null,
        blockSeconds: 12,
        assets: [
          {
            assetId: 2,
            oraclePrice: 2800,
            stablePrice: 2000,
            units: 100,
            current: outcome(0.02, 2040, 0.1333),
            proposed: outcome(0.04, 2080, 0.2667),
          },
        ],
        now: { creditLimit: 1000, liquidatable: 1 },
        current: { creditLimit: 1100, liquidatable: 1 },
        proposed: { creditLimit: 1200, liquidatable: 1 },
        creditAdded: 100,
        creditRemoved: 0,
      },
    });
    expect(text).toContain('stable price, the oracle standing still for one current τ:');
    expect(text).toContain('current  δ 2 % per τ 3600 s: s → 2,040; one 12 s block of a spike adds ≤ 0.1333 USD/unit, 13.33 USD book-wide');
    expect(text).toContain('proposed δ 4 % per τ 3600 s: s → 2,080');
    expect(text).toContain('at the horizon: current 1,100 USD (1), proposed 1,200 USD (1)');
    expect(text).toContain('credit added 100 USD, removed 0 USD');
  });

  it('prints what a proposed cap finds: open interest over it, accounts above it (largest first)', () => {
    const text = formatPreview({
      accounts: 2,
      newlyLiquidatable: [],
      noLongerLiquidatable: 0,
      creditBefore: 1000,
      creditAfter: 1000,
      creditAdded: 0,
      creditRemoved: 0,
      hardestHit: [],
      caps: {
        markets: [
          {
            assetId: 2,
            openInterest: 120,
            openInterestCap: 100,
            openInterestOver: 20,
            accountOpenInterestCap: 50,
            accountsOver: 1,
            largestOver: [{ account: '0xabc', value: 70 }],
          },
        ],
        exposure: [{ assetId: 2, accountExposureCap: 100_000, accountsOver: 1, largestOver: [{ account: '0xdef', value: 150_000 }] }],
      },
    });
    expect(text).toContain('open interest of asset 2: 120 against a cap of 100 (over by 20: only reductions until it is back under)');
    expect(text).toContain('accounts above a per-account cap of 50 (asset 2): 1 (they may only reduce)');
    expect(text).toContain('0xabc  70');
    expect(text).toContain('accounts above an exposure cap of 100,000 USD (asset 2): 1 (only hedges and cuts pass)');
    expect(text).toContain('0xdef  150,000 USD');
  });

  it('prints the preview: liquidations, credit moved, hardest hit', () => {
    const text = formatPreview({
      accounts: 3,
      newlyLiquidatable: [{ account: '0xabc' }],
      noLongerLiquidatable: 0,
      creditBefore: 1000,
      creditAfter: 900,
      creditAdded: 0,
      creditRemoved: 100,
      hardestHit: [{ account: '0xabc', creditBefore: 500, creditAfter: 400 }],
    });
    expect(text).toContain('newly liquidatable: 1 (0xabc)');
    expect(text).toContain('credit: 1,000 USD → 900 USD (added 0 USD, removed 100 USD)');
  });

  it('names a RiskParameters revert (StepTooLarge with its numbers) instead of "unknown custom error"', () => {
    const key = paramKey('initWeight', 2);
    const data = RiskParameters__factory.createInterface().encodeErrorResult('StepTooLarge', [
      key,
      8n * 10n ** 17n,
      5n * 10n ** 17n,
      5n * 10n ** 16n,
    ]);
    const error = explainRevert(Object.assign(new Error('execution reverted (unknown custom error)'), { data }));
    expect(error.message).toBe(
      `RiskParameters refused: StepTooLarge(${key}, 800000000000000000 (0.8), 500000000000000000 (0.5), 50000000000000000 (0.05))`,
    );
    const other = new Error('boom');
    expect(explainRevert(other)).toBe(other);
  });
});
