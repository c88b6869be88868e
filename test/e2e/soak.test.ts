import { printReport, runSoak } from '../support/soak';

// The two-minute soak (docs/soak.md): two aggregator replicas and two relayer workers on a private PostgreSQL,
// deposits mixed with trades, withdrawals and price moves, SIGKILLs every ~30 s, 15 % RPC faults, a PostgreSQL
// restart and a reorg inside the confirmation window; every end check must pass. Ports: SOAK_PORTS (19940–19960).
// In the second e2e group (scripts/run-tests.js); about 7 minutes on the shared 2-core machine.
describe('soak (two minutes)', () => {
  it('loses and doubles nothing; ledger = hub = vaults; reconciled; nothing parked; credit as the engine says; tokens conserved', async () => {
    const report = await runSoak({
      seconds: Number(process.env.SOAK_SECONDS ?? 120),
      rate: Number(process.env.SOAK_RATE ?? 10),
      faultRate: 0.15,
      killEverySeconds: 30,
      drainTimeoutMs: 300_000,
      log: (line) => console.log(line),
    });
    const printed: string[] = [];
    const passed = printReport(report, (line) => printed.push(line));
    console.log(`soak report:\n${printed.join('\n')}`);
    expect(report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.figure}`)).toEqual([]);
    expect(passed).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['attestations lost', 'ledger = hub = vaults', 'reconciliation ok', 'parked packets', 'tokens conserved']),
    );
  }, 1_500_000);
});
