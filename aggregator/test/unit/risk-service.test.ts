import { Logger } from '@nestjs/common';
import { parseEther } from 'ethers';
import { ewmaCorrelation, ewmaVolatility } from '@tributary/risk';
import { FakeParamsChain } from '../support/fake-params-chain';
import { ALICE, ID, T0, expectClose, reference, setup } from '../support/risk-service-fixture';

describe('RiskService (fake ledger, oracle, chain, clock)', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('feeds the oracle stable price into the init side: maintenance health follows the oracle, credit only s', async () => {
    const { service, oracle, announced } = setup();
    await service.refresh();
    oracle.tick(2, 100, 'ok', 100);
    const before = service.get(ALICE)!.result;
    announced.length = 0;
    oracle.tick(2, 140, 'ok', 100.02); // +40 % oracle, s one small step up
    const after = service.get(ALICE)!.result;
    expectClose(after, reference({ priceB: 140, stableB: 100.02, chainWeight: 0.8 }));
    expect(after.health).toBeCloseTo(reference({ priceB: 140, chainWeight: 0.8 }).health!, 9);
    // Long 10 BBB: U^init at p⁻ = s moves by 10 · 0.02 (counted at pnlWeight 0.5); the VaR charge is at the oracle.
    expect(after.creditLimit - before.creditLimit).toBeLessThanOrEqual(0.5 * 10 * 0.02 + 1e-9);
    expect(announced.flat().map((r) => r.account)).toEqual([ID]);
    oracle.tick(2, 140, 'ok', null); // no stable price: the oracle alone
    expectClose(service.get(ALICE)!.result, reference({ priceB: 140, chainWeight: 0.8 }));
  });

  it('takes weights and margin ratios from RiskParameters and follows a ParamExecuted without a restart', async () => {
    const chain = new FakeParamsChain();
    const w = (v: string) => parseEther(v);
    chain.reads = {
      assets: [
        { assetId: 1, initWeight: w('0.85'), maintWeight: w('0.9') },
        { assetId: 2, initWeight: w('0.8'), maintWeight: w('0.85') },
      ],
      chains: [{ eid: 2, weight: w('0.75') }],
      markets: [{ marketId: 0, assetId: 2, imr: w('0.1'), mmr: w('0.05'), takerFee: w('0.0005'), openInterestCap: 0n, accountOpenInterestCap: 0n }],
      exposureCaps: [],
      stable: [],
      globals: null,
    };
    const { service, params, clock } = setup({ RISK_PARAMS_POLL_MS: '1000' }, chain);
    await service.refresh();
    expect(params.current).toMatchObject({ source: 'chain', block: 10 });
    expectClose(service.get(ALICE)?.result, reference({ priceB: 100, chainWeight: 0.75, wAInit: 0.85 }));

    chain.block = 11; // no change log: same values, newer block
    clock.seconds += 2;
    await service.refresh();
    expect([params.current.block, params.version]).toEqual([11, 1]);

    chain.block = 13;
    chain.changes = [12];
    chain.reads = {
      ...chain.reads,
      chains: [{ eid: 2, weight: w('0.7') }],
      markets: [{ marketId: 0, assetId: 2, imr: w('0.15'), mmr: w('0.1'), takerFee: w('0.0005'), openInterestCap: 0n, accountOpenInterestCap: 0n }],
    };
    chain.reads.assets = [{ assetId: 1, initWeight: w('0.8'), maintWeight: w('0.9') }, chain.reads.assets[1]];
    await service.refresh(); // poll not due yet: the old values stay
    expect(params.current.block).toBe(11);
    clock.seconds += 2;
    await service.refresh();
    expect([params.current.block, params.version]).toEqual([13, 2]);
    expect(params.current.markets.get(0)).toEqual({ imr: 0.15, mmr: 0.1, takerFee: 0.0005 });
    expectClose(service.get(ALICE)?.result, reference({ priceB: 100, chainWeight: 0.7, wAInit: 0.8, imr: 0.15, mmr: 0.1 }));
  });

  it('falls back to the manifest when it names no RiskParameters', async () => {
    const { service, params } = setup();
    await service.refresh();
    expect(params.current).toMatchObject({ source: 'manifest', block: null });
    expect([...params.current.chains]).toEqual([[2, 0.8]]);
    expectClose(service.get(ALICE)?.result, reference({ priceB: 100, chainWeight: 0.8 }));
  });

  it('loads the ledger, prices it and matches evaluateRisk; the chain weight decays from service start until an attestation', async () => {
    const { service, book, weights, clock, attestations, changes } = setup();
    await service.refresh();
    expectClose(service.get(ALICE)?.result, reference({ priceB: 100, chainWeight: 0.8 }));
    expect(book.inputsOf(ALICE)).toMatchObject({
      balances: [{ eid: 2, assetId: 1, symbol: 'AAA', amount: 1000 }],
      positions: [{ marketId: 0, assetId: 2, size: 10, entryPrice: 100 }],
    });

    clock.seconds = T0 + 100 + 50; // heartbeat 100 s passed, a quarter of the 200 s window
    await service.refresh();
    expect(weights.all().map((c) => [c.chain.eid, c.weight, c.lastMessageAt])).toEqual([[2, expect.closeTo(0.6, 12), null]]);
    expect(service.get(ALICE)?.result.collateralInit).toBeCloseTo(reference({ priceB: 100, chainWeight: 0.6 }).collateralInit, 9);

    attestations.set(2, 140); // block 140: timestamp T0 + 140
    changes.announce(new Set([ALICE]));
    await service.refresh();
    expect(weights.all()[0]).toMatchObject({ weight: 0.8, lastMessageAt: T0 + 140, lastMessageBlock: 140 });
    clock.seconds = T0 + 140 + 100 + 200;
    await service.refresh();
    expect(weights.all()[0].weight).toBe(0);
    expect(service.get(ALICE)?.result.collateralInit).toBe(0);
  });

  it('re-reads the last message times on a ledger change that touches no account (a HEARTBEAT): a quiet chain keeps its weight', async () => {
    const { service, weights, clock, attestations, changes } = setup();
    attestations.set(2, 0); // last message at T0
    changes.announce(new Set([ALICE]));
    await service.refresh();
    for (const block of [60, 120, 180]) {
      clock.seconds = T0 + block + 5;
      attestations.set(2, block); // a heartbeat delivered in `block` (T0 + block): no account changed
      changes.announce(new Set(), true);
      clock.seconds = T0 + block + 99; // 99 s of silence since: within the 100 s heartbeat
      await service.refresh();
      expect(weights.all()[0]).toMatchObject({ weight: 0.8, lastMessageAt: T0 + block });
    }
  });

  it('reloads an account announced by the ledger and tells subscribers what changed', async () => {
    const { service, changes, announced, collateral } = setup();
    await service.refresh();
    announced.length = 0;
    collateral[0] = { ...collateral[0], balance: 2000n * 10n ** 6n };
    changes.announce(new Set([ALICE]));
    await service.refresh();
    expect(announced).toHaveLength(1);
    expect(announced[0][0].result.collateralInit).toBeCloseTo(2000 * 0.9 * 0.8, 9);
    await service.refresh();
    expect(announced).toHaveLength(1); // nothing changed: nothing announced
  });

  it('counts the ledger cash at weight 1 and tells the pusher the exact cash its limit was computed at', async () => {
    const { service, changes, cash } = setup();
    await service.refresh();
    const before = service.get(ALICE)!;
    expect(before.cash).toBe(0n);
    cash.value = -250n * 10n ** 18n - 1n;
    changes.announce(new Set([ALICE]));
    await service.refresh();
    const after = service.get(ALICE)!;
    expect(after.cash).toBe(cash.value);
    expect(after.result.collateralInit).toBeCloseTo(before.result.collateralInit - 250, 9);
    expect(after.result.collateralMaint).toBeCloseTo(before.result.collateralMaint - 250, 9);
  });

  it('applies price ticks at once, freezes on a bad guard status, flips liquidatable', async () => {
    const { service, oracle, announced } = setup();
    await service.refresh();
    oracle.tick(2, 80);
    expectClose(service.get(ALICE)?.result, reference({ priceB: 80, chainWeight: 0.8 }));
    oracle.tick(2, 80, 'stale');
    expect(service.get(ALICE)?.frozen).toEqual([{ assetId: 2, symbol: 'BBB', reason: 'stale', detail: 'stale for test' }]);
    expect(announced.at(-1)?.[0].frozen).toHaveLength(1);
    oracle.tick(2, 80);
    expect(service.get(ALICE)?.frozen).toEqual([]);
    oracle.tick(2, 30); // U = 10·(30 − 100) = −700 against C_maint = 720
    expect(service.get(ALICE)?.result.liquidatable).toBe(true);
    expectClose(service.get(ALICE)?.result, reference({ priceB: 30, chainWeight: 0.8 }));
  });

  it('uses EWMA σ and ρ once RISK_MIN_SAMPLES samples exist and scales the base weights down', async () => {
    const { service, oracle, samples } = setup({ RISK_MIN_SAMPLES: '30', ORACLE_SAMPLE_INTERVAL_S: '3600' });
    await service.refresh();
    const pricesA = Array.from({ length: 40 }, (_, i) => 1 + 0.02 * Math.sin(i));
    const pricesB = Array.from({ length: 40 }, (_, i) => 100 * (1 + 0.05 * Math.sin(i) * (i % 2 ? 1 : -1)));
    samples.set(
      1,
      pricesA.map((price, i) => ({ assetId: 1, price, updatedAt: T0 + i * 3600, observedAt: T0 + i * 3600 })),
    );
    samples.set(
      2,
      pricesB.map((price, i) => ({ assetId: 2, price, updatedAt: T0 + i * 3600, observedAt: T0 + i * 3600 + 5 })),
    );
    oracle.sampleVersion = 1;
    await service.refresh();
    // The scaled weights are reached by steps of at most 0.05 per update (one per new sample version).
    const afterOneStep = service.get(ALICE)!.result.collateralInit;
    for (let version = 2; version <= 40; version++) {
      oracle.sampleVersion = version;
      await service.refresh();
    }
    expect(afterOneStep).toBeGreaterThan(service.get(ALICE)!.result.collateralInit);
    const options = { sampleIntervalDays: 1 / 24 };
    const volA = ewmaVolatility(pricesA, options);
    const volB = ewmaVolatility(pricesB, options);
    const rho = ewmaCorrelation(pricesA, pricesB, options)!;
    expect(volA).toBeGreaterThan(0.01);
    expect(volB).toBeGreaterThan(0.02);
    const expected = reference({
      priceB: 100,
      chainWeight: 0.8,
      volA,
      volB,
      rho,
      wA: 0.9 * (0.01 / volA),
      wBInit: 0.8 * (0.02 / volB),
      wBMaint: 0.85 * (0.02 / volB),
    });
    const actual = service.get(ALICE)!.result;
    for (const key of ['collateralInit', 'varInit', 'varMaint', 'creditLimit', 'health'] as const)
      expect([key, actual[key]]).toEqual([key, expect.closeTo(expected[key] as number, 9)]);
  });

  it('throttles risk snapshots per account, except when liquidatable flips', async () => {
    const { service, oracle, clock, rows } = setup({ RISK_SNAPSHOT_INTERVAL_MS: '60000' });
    await service.refresh();
    expect(rows).toHaveLength(1);
    clock.seconds += 10;
    oracle.tick(2, 90);
    await service.refresh();
    expect(rows).toHaveLength(1); // within the interval
    oracle.tick(2, 30); // liquidatable
    await service.refresh();
    expect(rows.map((r) => r.liquidatable)).toEqual([false, true]);
    clock.seconds += 30;
    oracle.tick(2, 29); // still liquidatable: throttled
    await service.refresh();
    expect(rows).toHaveLength(2);
    clock.seconds += 31; // the deferred change is written once the interval passed
    await service.refresh();
    expect(rows).toHaveLength(3);
    expect(rows[2]).toMatchObject({
      account: ID,
      computedAt: clock.seconds * 1000,
      creditLimit: service.get(ALICE)!.result.creditLimit,
      liquidatable: true,
    });
  });
});
