import { parseEther } from 'ethers';
import type { Manifest } from '@tributary/protocol';
import { evaluateRisk, type RiskResult } from '@tributary/risk';
import { Clock } from '@tributary/service-kit';
import { ChainRegistry } from '../../src/chain/chain-registry';
import type { RiskParamsRepository } from '../../src/chain/risk-params.repository';
import type { TradingRpcRepository } from '../../src/chain/trading-rpc.repository';
import { loadAppConfig } from '../../src/config/app-config';
import { LedgerChanges } from '../../src/ledger/ledger-changes';
import type { LedgerQueryRepository } from '../../src/ledger/ledger-query.repository';
import type { CollateralRow, PositionRow } from '../../src/ledger/ledger-state';
import type { OraclePrice, OracleService } from '../../src/oracle/oracle.service';
import { OracleStress } from '../../src/oracle/oracle-stress';
import type { PriceSample, PriceSampleRepository } from '../../src/oracle/price-sample.repository';
import { RiskBookSync } from '../../src/risk/book-sync';
import { ChainWeights } from '../../src/risk/chain-weights';
import { LiveRiskParams } from '../../src/risk/live-params';
import { RiskEstimator } from '../../src/risk/risk-estimator';
import type { RiskHistoryRepository, RiskSnapshot } from '../../src/risk/risk-history.repository';
import type { AccountRisk } from '../../src/risk/risk-reader';
import { RiskService } from '../../src/risk/risk.service';
import { RiskSnapshotRecorder } from '../../src/risk/snapshot-recorder';
import { FakeParamsChain } from './fake-params-chain';

export const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
export const ID = ALICE.toLowerCase();
export const T0 = 1_800_000_000;

export const manifest = {
  version: 1,
  chains: [
    {
      name: 'trading',
      chainId: 1,
      eid: 1,
      rpcUrl: 'http://127.0.0.1:1',
      role: 'trading',
      confirmations: 0,
      startBlock: 0,
      weight: 1,
      heartbeatSeconds: 100,
      decayWindowSeconds: 200,
      layerZero: {} as never,
      contracts: {},
      assets: [],
    },
    {
      name: 'collateral',
      chainId: 2,
      eid: 2,
      rpcUrl: 'http://127.0.0.1:2',
      role: 'collateral',
      confirmations: 0,
      startBlock: 0,
      weight: 0.8,
      heartbeatSeconds: 100,
      decayWindowSeconds: 200,
      layerZero: {} as never,
      contracts: {},
      assets: [{ assetId: 1, token: '0x0000000000000000000000000000000000000001', decimals: 6, depositCap: '0' }],
    },
  ],
  assets: [
    { assetId: 1, symbol: 'AAA', weightInit: 0.9, weightMaint: 0.9, imf: 0, volatility: 0.01, heartbeatSeconds: 60, maxDeviation: 0.2 },
    { assetId: 2, symbol: 'BBB', weightInit: 0.8, weightMaint: 0.85, imf: 0, volatility: 0.02, heartbeatSeconds: 60, maxDeviation: 0.2 },
  ],
  correlations: [{ a: 1, b: 2, rho: 0.3 }],
} as Manifest;

export class FakeClock extends Clock {
  seconds = T0;
  override now(): number {
    return this.seconds * 1000;
  }
}

/** The RiskService over a fake ledger, oracle, trading chain and clock: Alice holds 1000 AAA on chain 2, long 10 BBB at 100. */
export function setup(env: Record<string, string> = {}, paramsChain?: FakeParamsChain) {
  const clock = new FakeClock();
  const collateral: CollateralRow[] = [
    { account: ALICE, eid: 2, assetId: 1, balance: 1000n * 10n ** 6n, sequence: 1n, attestedBlock: 0, vaultBalance: 0n, vaultSequence: 0n },
  ];
  const positions: PositionRow[] = [
    { account: ALICE, marketId: 0, size: parseEther('10'), entryPrice: parseEther('100'), margin: 0n, lastPrice: 0n, realizedPnl: 0n, version: 1n },
  ];
  const attestations = new Map<number, number>();
  const cash = { value: 0n };
  const ledger = {
    accountCount: async () => 1,
    // The start-up load's page: the rows as the database returns them (amounts as decimal strings).
    riskRowsPage: async (after: string | null) =>
      after !== null
        ? { accounts: [], collateral: [], positions: [], cash: [] }
        : {
            accounts: [ALICE],
            collateral: collateral
              .filter((r) => r.balance !== 0n)
              .map((r) => ({ account: r.account, eid: r.eid, assetId: r.assetId, balance: String(r.balance) })),
            positions: positions.map((r) => ({ account: r.account, marketId: r.marketId, size: String(r.size), entryPrice: String(r.entryPrice) })),
            cash: cash.value === 0n ? [] : [{ account: ALICE, cash: String(cash.value) }],
          },
    collateralOf: async () => collateral,
    positionsOf: async () => positions,
    cashOf: async () => cash.value,
    lastMessageBlocks: async () => attestations,
  } as unknown as LedgerQueryRepository;
  const prices = new Map<number, OraclePrice>();
  const setPrice = (assetId: number, price: number, status: OraclePrice['status'] = 'ok', stablePrice?: number | null) =>
    prices.set(assetId, {
      stablePrice,
      assetId,
      symbol: assetId === 1 ? 'AAA' : 'BBB',
      price,
      updatedAt: clock.seconds,
      observedAt: clock.seconds,
      status,
      detail: status === 'ok' ? '' : `${status} for test`,
    });
  setPrice(1, 1);
  setPrice(2, 100);
  const oracleListeners = new Set<(changed: OraclePrice[]) => void>();
  const samples = new Map<number, PriceSample[]>();
  // The real stable-price tracker, fed by `observe` as OracleService feeds it (δ/τ follow the chain's params).
  const stress = new OracleStress({
    stable: { maxStep: 0.02, intervalSeconds: 3600 },
    breaker: { maxDrop: 0.3, windowSeconds: 3600 },
    bookEpsilon: 0.0001,
  });
  const oracle = {
    sampleVersion: 0,
    stress,
    /** An accepted price at chain time `at`: the tracker steps and the book gets its stable price, like OracleService. */
    observe(assetId: number, price: number, at: number) {
      stress.observe(assetId, price, at);
      this.tick(assetId, price, 'ok', stress.bookStablePrice(assetId));
    },
    prices: () => [...prices.values()],
    price: (id: number) => prices.get(id),
    subscribe: (l: (changed: OraclePrice[]) => void) => (oracleListeners.add(l), () => oracleListeners.delete(l)),
    tick(assetId: number, price: number, status: OraclePrice['status'] = 'ok', stablePrice?: number | null) {
      setPrice(assetId, price, status, stablePrice);
      for (const l of oracleListeners) l([prices.get(assetId)!]);
    },
  };
  const sampleRepo = { recent: async (assetId: number) => samples.get(assetId) ?? [] } as unknown as PriceSampleRepository;
  const rpc = {
    market: async () => ({ assetId: 2, imr: 0.1, mmr: 0.05, listed: true }),
    blockTimestamp: async (block: number) => T0 + block,
  } as unknown as TradingRpcRepository;
  const rows: RiskSnapshot[] = [];
  const history = { insert: async (r: RiskSnapshot[]) => void rows.push(...r) } as unknown as RiskHistoryRepository;
  const config = loadAppConfig({ RISK_TICK_MS: '0', ...env });
  const changes = new LedgerChanges();
  const registry = new ChainRegistry(manifest);
  const paramsRepo = (paramsChain ?? { available: false }) as unknown as RiskParamsRepository;
  const params = new LiveRiskParams(config, registry, paramsRepo, clock);
  const book = new RiskBookSync(config, registry, ledger, rpc, params);
  const weights = new ChainWeights(registry, ledger, rpc, clock, params);
  const estimator = new RiskEstimator(config, registry, sampleRepo, params);
  const recorder = new RiskSnapshotRecorder(config, history, clock);
  const service = new RiskService(config, book, weights, estimator, recorder, changes, oracle as unknown as OracleService, clock, params);
  const announced: AccountRisk[][] = [];
  service.subscribe((changed) => announced.push(changed));
  service.onApplicationBootstrap();
  return { service, params, paramsRepo, book, weights, ledger, clock, oracle, samples, attestations, changes, rows, announced, collateral, cash };
}

/** evaluateRisk on Alice's inputs: 1000 AAA on chain 2, long 10 BBB at 100. */
export function reference(opts: {
  priceB: number;
  chainWeight: number;
  volA?: number;
  volB?: number;
  wA?: number;
  wAInit?: number;
  imr?: number;
  mmr?: number;
  wBInit?: number;
  wBMaint?: number;
  rho?: number;
  stableB?: number;
}) {
  return evaluateRisk({
    assets: [
      { id: '1', price: 1, weightInit: opts.wAInit ?? opts.wA ?? 0.9, weightMaint: opts.wA ?? 0.9, imf: 0, volatility: opts.volA ?? 0.01 },
      {
        id: '2',
        price: opts.priceB,
        stablePrice: opts.stableB,
        weightInit: opts.wBInit ?? 0.8,
        weightMaint: opts.wBMaint ?? 0.85,
        imf: 0,
        volatility: opts.volB ?? 0.02,
      },
    ],
    correlations: [{ a: '1', b: '2', rho: opts.rho ?? 0.3 }],
    chains: [{ eid: 2, weight: opts.chainWeight }],
    balances: [{ eid: 2, assetId: '1', amount: 1000 }],
    positions: [{ assetId: '2', size: 10, entryPrice: 100, imr: opts.imr ?? 0.1, mmr: opts.mmr ?? 0.05 }],
    params: { zInit: 2.33, zMaint: 1.65, horizonDays: 1, stress: 1.25, pnlWeight: 0.5 },
  });
}

/** Same terms up to float rounding (the book sums in another order than evaluateRisk). */
export function expectClose(actual: RiskResult | undefined, expected: RiskResult): void {
  expect(actual).toBeDefined();
  for (const [key, value] of Object.entries(expected) as [keyof RiskResult, unknown][]) {
    if (typeof value === 'number') expect([key, actual![key]]).toEqual([key, expect.closeTo(value, 9)]);
    else if (key !== 'exposure') expect([key, actual![key]]).toEqual([key, value]);
  }
  for (const [asset, usd] of Object.entries(expected.exposure)) expect(actual!.exposure[asset]).toBeCloseTo(usd, 9);
}
