import { Logger } from '@nestjs/common';
import { formatUnits, getAddress, parseEther, parseUnits } from 'ethers';
import type { Manifest } from '@tributary/protocol';
import { evaluateRisk, type RiskRequestInput } from '@tributary/risk';
import { Clock } from '@tributary/service-kit';
import { ChainRegistry } from '../../src/chain/chain-registry';
import type { RiskParamsRepository } from '../../src/chain/risk-params.repository';
import type { TradingRpcRepository } from '../../src/chain/trading-rpc.repository';
import { loadAppConfig } from '../../src/config/app-config';
import type { LedgerQueryRepository, RiskRowsPage } from '../../src/ledger/ledger-query.repository';
import type { CollateralRow, PositionRow } from '../../src/ledger/ledger-state';
import { RiskBookSync } from '../../src/risk/book-sync';
import { unitsOf } from '../../src/risk/ledger-book-writer';
import { LiveRiskParams } from '../../src/risk/live-params';

const chain = (name: string, eid: number, role: 'trading' | 'collateral', weight: number, assets: { assetId: number; decimals: number }[]) => ({
  name,
  chainId: eid,
  eid,
  rpcUrl: `http://127.0.0.1:${eid}`,
  role,
  confirmations: 0,
  startBlock: 0,
  weight,
  heartbeatSeconds: 100,
  decayWindowSeconds: 200,
  layerZero: {} as never,
  contracts: {},
  assets: assets.map((a) => ({ ...a, token: `0x${String(a.assetId).padStart(40, '0')}`, depositCap: '0' })),
});
const manifest = {
  version: 1,
  chains: [
    chain('trading', 1, 'trading', 1, []),
    chain('a', 2, 'collateral', 0.8, [
      { assetId: 1, decimals: 6 },
      { assetId: 2, decimals: 18 },
    ]),
    chain('b', 3, 'collateral', 0.5, [{ assetId: 2, decimals: 18 }]),
  ],
  assets: [
    { assetId: 1, symbol: 'USD', weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001, heartbeatSeconds: 60, maxDeviation: 0.2 },
    { assetId: 2, symbol: 'ETH', weightInit: 0.8, weightMaint: 0.85, imf: 0.001, volatility: 0.05, heartbeatSeconds: 60, maxDeviation: 0.2 },
  ],
  correlations: [{ a: 1, b: 2, rho: 0.2 }],
} as Manifest;

/** Accounts in database order (ascending), each with collateral, positions and cash; a few rows the book must leave out. */
function ledgerRows(count: number) {
  const accounts = Array.from({ length: count }, (_, i) => getAddress(`0x${((i + 1) * 16).toString(16).padStart(40, '0')}`)).sort();
  const collateral: CollateralRow[] = [];
  const positions: PositionRow[] = [];
  const cash = new Map<string, bigint>();
  const row = (account: string, eid: number, assetId: number, balance: bigint): CollateralRow => ({
    account,
    eid,
    assetId,
    balance,
    sequence: 1n,
    attestedBlock: 0,
    vaultBalance: 0n,
    vaultSequence: 0n,
  });
  accounts.forEach((account, i) => {
    collateral.push(row(account, 2, 1, parseUnits(String(1000 + 37 * i), 6) + 1n));
    if (i % 2) collateral.push(row(account, 2, 2, parseEther('1.5') + BigInt(i)));
    if (i % 3) collateral.push(row(account, 3, 2, parseEther(String(i))));
    if (i === 4) collateral.push(row(account, 3, 9, 5n)); // asset 9: not a manifest asset
    if (i % 2 === 0)
      positions.push({
        account,
        marketId: 0,
        size: parseEther(String(i - 3)),
        entryPrice: parseEther('1990.5'),
        margin: 0n,
        lastPrice: 0n,
        realizedPnl: 0n,
        version: 1n,
      });
    if (i === 2)
      positions.push({
        account,
        marketId: 5,
        size: parseEther('1'),
        entryPrice: parseEther('1'),
        margin: 0n,
        lastPrice: 0n,
        realizedPnl: 0n,
        version: 1n,
      });
    if (i % 4 !== 3) cash.set(account, parseEther(String(i * 7 - 20)) + 3n);
  });
  return { accounts, collateral, positions, cash };
}

function setup(count: number, marketFailures = 0) {
  const rows = ledgerRows(count);
  const orphan = getAddress(`0x${'15'.padStart(40, '0')}`); // between the first two accounts, without a ledger_account row
  const pageOf = (after: string | null, limit: number): RiskRowsPage => {
    const accounts = rows.accounts.filter((a) => after === null || a > after).slice(0, limit);
    const inRange = (a: string) => accounts.length > 0 && a >= accounts[0] && a <= accounts[accounts.length - 1];
    const collateral = [...rows.collateral, { account: orphan, eid: 2, assetId: 1, balance: 1n }]
      .filter((r) => inRange(r.account) && r.balance !== 0n)
      .sort((x, y) => (x.account < y.account ? -1 : x.account > y.account ? 1 : x.eid - y.eid || x.assetId - y.assetId))
      .map((r) => ({ account: r.account, eid: r.eid, assetId: r.assetId, balance: String(r.balance) }));
    return {
      accounts,
      collateral,
      positions: rows.positions
        .filter((r) => inRange(r.account) && r.size !== 0n)
        .map((r) => ({ account: r.account, marketId: r.marketId, size: String(r.size), entryPrice: String(r.entryPrice) })),
      cash: [...rows.cash].filter(([a, c]) => inRange(a) && c !== 0n).map(([account, c]) => ({ account, cash: String(c) })),
    };
  };
  const pagesRead: number[] = [];
  const ledger = {
    accountCount: async () => rows.accounts.length,
    riskRowsPage: async (after: string | null, limit: number) => {
      const page = pageOf(after, limit);
      pagesRead.push(page.accounts.length);
      return page;
    },
    collateralOf: async (a: string) => rows.collateral.filter((r) => r.account === a),
    positionsOf: async (a: string) => rows.positions.filter((r) => r.account === a),
    cashOf: async (a: string) => rows.cash.get(a) ?? 0n,
  } as unknown as LedgerQueryRepository;
  const failures = { left: marketFailures };
  const rpc = {
    market: async (marketId: number) => {
      if (failures.left > 0) {
        failures.left--;
        throw new Error('rpc down');
      }
      return { assetId: 2, imr: 0.1, mmr: 0.05, listed: marketId === 0 };
    },
  } as unknown as TradingRpcRepository;
  const config = loadAppConfig({ RISK_TICK_MS: '0' });
  const registry = new ChainRegistry(manifest);
  const params = new LiveRiskParams(config, registry, { available: false } as unknown as RiskParamsRepository, new Clock());
  const sync = new RiskBookSync(config, registry, ledger, rpc, params);
  return { sync, rows, pagesRead };
}

/** evaluateRisk on an account's ledger rows, converted the way the aggregator always did (formatUnits). */
function reference(sync: RiskBookSync, rows: ReturnType<typeof ledgerRows>, account: string): { request: RiskRequestInput; cash: bigint } {
  const book = sync.book!;
  const decimals = (eid: number, assetId: number) => manifest.chains.find((c) => c.eid === eid)!.assets.find((a) => a.assetId === assetId)?.decimals;
  const cash = rows.cash.get(account) ?? 0n;
  return {
    cash,
    request: {
      ...book.market.config(),
      balances: rows.collateral
        .filter((r) => r.account === account && decimals(r.eid, r.assetId) !== undefined)
        .map((r) => ({ eid: r.eid, assetId: String(r.assetId), amount: Number(formatUnits(r.balance, decimals(r.eid, r.assetId))) })),
      positions: rows.positions
        .filter((r) => r.account === account && r.marketId === 0)
        .map((r) => ({
          assetId: '2',
          size: Number(formatUnits(r.size, 18)),
          entryPrice: Number(formatUnits(r.entryPrice, 18)),
          imr: 0.1,
          mmr: 0.05,
        })),
      cash: Number(formatUnits(cash, 18)),
    },
  };
}

describe('RiskBookSync start-up load (paged rows into the columnar book)', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('loads every account over several pages, leaves out what the manifest does not cover, and reads it back as inputs', async () => {
    const { sync, rows, pagesRead } = setup(11);
    sync.pageAccounts = 4;
    for (const [assetId, price] of [
      [1, 1],
      [2, 2000],
    ]) {
      sync.book!.onPriceTick(String(assetId), price);
    }
    const touched = new Set<string>();
    await sync.syncAccounts(touched);
    expect(pagesRead).toEqual([4, 4, 3, 0]);
    expect(touched).toEqual(new Set(rows.accounts.map((a) => a.toLowerCase())));
    expect(sync.book!.accountCount).toBe(11); // the orphan row's account is not one
    for (const account of rows.accounts) {
      const { request, cash } = reference(sync, rows, account);
      const expected = evaluateRisk(request);
      const actual = sync.result(account.toLowerCase())!; // the book's ids are lowercase addresses
      for (const key of ['collateralInit', 'collateralMaint', 'unrealizedPnl', 'varInit', 'floorInit', 'creditLimit'] as const)
        expect([key, actual[key]]).toEqual([key, expect.closeTo(expected[key], 6)]);
      const inputs = sync.inputsOf(account)!;
      // Amounts are the exact conversions (unitsOf = Number(formatUnits)), balances by chain then asset, cash exact.
      expect(inputs.balances.map((b) => [b.eid, b.assetId, b.amount])).toEqual(request.balances!.map((b) => [b.eid, Number(b.assetId), b.amount]));
      expect(inputs.positions.map((p) => [p.marketId, p.size, p.entryPrice])).toEqual(request.positions!.map((p) => [0, p.size, p.entryPrice]));
      expect(inputs.cashWad).toBe(cash);
      expect(inputs.cash).toBe(request.cash);
    }
    expect(sync.inputsOf(`0x${'15'.padStart(40, '0')}`)).toBeUndefined();
    const positions = rows.positions.filter((p) => p.marketId === 0);
    expect(sync.openInterest()).toBeCloseTo(
      positions.reduce((s, p) => s + Math.abs(Number(formatUnits(p.size, 18))) * 2000, 0),
      6,
    );
  });

  it('a reload of one account (entity rows, bigints) gives what the page load gave', async () => {
    const { sync, rows } = setup(6);
    sync.book!.onPriceTick('2', 2000);
    await sync.syncAccounts(new Set());
    const account = rows.accounts[4];
    const before = sync.result(account.toLowerCase());
    expect(before?.collateralInit).toBeGreaterThan(0);
    sync.markChanged([account]);
    const touched = new Set<string>();
    await sync.syncAccounts(touched);
    expect(touched).toEqual(new Set([account.toLowerCase()]));
    expect(sync.result(account.toLowerCase())).toEqual(before);
  });

  it('a reorg rollback: an account whose rows the ledger deleted holds nothing in the book; rebuilt rows bring its risk back', async () => {
    const { sync, rows } = setup(6);
    sync.book!.onPriceTick('2', 2000);
    await sync.syncAccounts(new Set());
    const account = rows.accounts[2];
    const id = account.toLowerCase();
    const before = sync.result(id);
    expect(before?.creditLimit).toBeGreaterThan(0);
    const kept = { collateral: [...rows.collateral], positions: [...rows.positions], cash: rows.cash.get(account) };

    // Rolled back to before the account's first event: the ledger has no row of it left.
    rows.collateral.splice(0, rows.collateral.length, ...kept.collateral.filter((r) => r.account !== account));
    rows.positions.splice(0, rows.positions.length, ...kept.positions.filter((r) => r.account !== account));
    rows.cash.delete(account);
    sync.markChanged([account]);
    const touched = new Set<string>();
    await sync.syncAccounts(touched);
    expect(touched).toEqual(new Set([id]));
    expect(sync.inputsOf(id)).toEqual({ balances: [], positions: [], cash: 0, cashWad: 0n });
    expect(sync.result(id)?.collateralInit).toBe(0);
    expect(sync.result(id)?.creditLimit).toBeLessThanOrEqual(0);

    // The canonical chain had them after all (delivered again): back to the same risk.
    rows.collateral.splice(0, rows.collateral.length, ...kept.collateral);
    rows.positions.splice(0, rows.positions.length, ...kept.positions);
    if (kept.cash !== undefined) rows.cash.set(account, kept.cash);
    sync.markChanged([account]);
    await sync.syncAccounts(new Set());
    expect(sync.result(id)).toEqual(before);
  });

  it('an account trading a market whose terms could not be read waits for the next sync; the others load', async () => {
    // Four failed reads: the page's, then the first read of each of the three trading accounts' reloads in the same sync.
    const { sync, rows } = setup(6, 4);
    const trading = new Set(rows.positions.map((p) => p.account.toLowerCase()));
    const first = new Set<string>();
    await sync.syncAccounts(first);
    expect(first).toEqual(new Set(rows.accounts.map((a) => a.toLowerCase()).filter((a) => !trading.has(a))));
    for (const account of trading) expect(sync.inputsOf(account)).toBeUndefined();
    const second = new Set<string>();
    await sync.syncAccounts(second);
    expect(second).toEqual(trading);
    for (const account of trading) expect(sync.inputsOf(account)!.positions.length).toBeGreaterThan(0);
  });

  it('unitsOf is formatUnits, exactly', () => {
    for (const [raw, decimals] of [
      [123456789012345678901234567890n, 18],
      [-(10n ** 18n) - 1n, 18],
      [999_999n, 6],
      [0n, 6],
      [2n ** 255n - 1n, 18],
      [7n, 0],
    ] as const) {
      expect(unitsOf(raw, decimals)).toBe(Number(formatUnits(raw, decimals)));
      expect(unitsOf(String(raw), decimals)).toBe(Number(formatUnits(raw, decimals)));
    }
  });
});
