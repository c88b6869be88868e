import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { devWallet } from '@tributary/contracts';
import { startDevnet, type Devnet } from '@tributary/deploy';
import { TributaryClient, type AccountEvent, type Stage } from '@tributary/sdk';

// A trader's tools against the whole system as processes (3 hardhat nodes, relayer, aggregator, deployed as
// `npm start` does): the SDK (dev account 11), then the `tributary` CLI binary (dev account 12), each only through
// the manifest and the aggregator's URL.
const cli = resolve(__dirname, '..', '..', 'deploy', 'dist', 'cli.js');
const PORTS = { chain: 19860, aggregator: 19870, relayer: 19871 };
const SDK_TRADER = 11;
const CLI_TRADER = 12;

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, TRADER_PRIVATE_KEY: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

const names = (stages: Stage[]) => stages.map((s) => s.name);
const latencies = (stages: Stage[]) => Object.fromEntries(stages.map((s) => [s.name, s.latencyMs]));

describe('trader SDK and CLI against the devnet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-trader-'));
  let devnet: Devnet;
  let client: TributaryClient;
  /** Stage latencies of every operation, printed at the end (the figures the README quotes). */
  const measured: Record<string, Record<string, number>> = {};

  beforeAll(async () => {
    devnet = await startDevnet({
      dir,
      chainPort: PORTS.chain,
      aggregatorPort: PORTS.aggregator,
      relayerPort: PORTS.relayer,
      blockTimeMs: 1000,
      simulatePrices: false,
      log: () => undefined,
    });
    client = new TributaryClient({
      manifest: devnet.manifestPath,
      aggregatorUrl: devnet.urls.aggregator,
      privateKey: devWallet(SDK_TRADER).privateKey,
    });
  }, 240_000);

  afterAll(async () => {
    client?.close();
    await devnet?.stop();
    console.log(`measured stage latencies (ms):\n${JSON.stringify(measured, null, 1)}`);
  });

  describe('SDK', () => {
    it('deposit → credit: every stage observed in order with its latency; the account stream sees the ledger and risk change', async () => {
      const subscription = client.subscribe();
      try {
        const events: AccountEvent[] = [];
        subscription.on((e) => events.push(e));
        await subscription.next((e) => e.type === 'snapshot', 10_000);
        const credited = subscription.next((e) => e.type === 'collateral' && (e.data as { balance: string }).balance === '10000000000', 120_000);

        const seen: string[] = [];
        const op = client.deposit({ chain: 'collateral-a', asset: 'USDC', amount: '10000' }, (s) => seen.push(s.name));
        const result = await op;
        measured['sdk deposit 10000 USDC'] = latencies(op.stages);
        expect(names(op.stages)).toEqual(['sent', 'confirmed', 'delivered', 'indexed', 'credited']);
        expect(seen).toEqual(names(op.stages));
        expect(result).toMatchObject({ chain: 'collateral-a', asset: 'USDC', amount: '10000', hubBalance: '10000', pushed: true });
        expect(result.creditLimit).toBeGreaterThan(9000);
        for (const stage of op.stages) expect(stage.latencyMs).toBeGreaterThanOrEqual(0);

        await credited;
        // The credit push reaches the ledger (its entries decoded from the calldata) a moment after the chain shows it.
        const seenOrNext = (type: string) => events.find((e) => e.type === type) ?? subscription.next((e) => e.type === type, 30_000);
        await seenOrNext('credit');
        expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['snapshot', 'ledger', 'collateral', 'cash', 'credit', 'risk']));

        const account = await client.account();
        expect(account.collateral).toEqual([{ chain: 'collateral-a', eid: 40102, asset: 'USDC', assetId: 1, balance: '10000', inFlight: null }]);
        expect(account.credit.limit).toBeCloseTo(result.creditLimit, 6);
      } finally {
        subscription.close();
      }
    });

    it('what-if: opening a position raises the requirement by its margin floor; a WETH deposit raises the credit', async () => {
      const whatIf = await client.whatIf([{ trade: { asset: 'WETH', size: '2' } }]);
      expect(whatIf.after.floorInit).toBeCloseTo(2 * 3000 * 0.1, 0);
      expect(whatIf.after.requirementInit).toBeGreaterThan(whatIf.before.requirementInit);
      expect(whatIf.live?.creditLimit).toBeGreaterThan(0);
      const more = await client.whatIf({ deposit: { chain: 'collateral-b', asset: 'WETH', amount: '1' } });
      expect(more.after.creditLimit).toBeGreaterThan(more.before.creditLimit + 2000);
    });

    it('trade open and close: fill, ledger and risk stages; the fee goes to cash; an oversized trade is refused with insufficient-credit, one past a cap with the cap’s name', async () => {
      const open = client.trade({ asset: 'WETH', size: '2' });
      const opened = await open;
      measured['sdk trade open 2 WETH'] = latencies(open.stages);
      expect(names(open.stages)).toEqual(['sent', 'confirmed', 'indexed', 'risk']);
      expect(opened).toMatchObject({ market: 'WETH', size: '2' });
      expect(opened.fee).toBeCloseTo(2 * opened.price * 0.0005, 6);
      expect((await client.account()).positions).toMatchObject([{ market: 'WETH', size: '2' }]);

      await expect(client.trade({ asset: 'WETH', size: '1000' })).rejects.toMatchObject({ code: 'insufficient-credit' });
      // Past the devnet's per-account open-interest cap (5,000 WETH): refused by the cap, named, before any credit check.
      await expect(client.trade({ asset: 'WETH', size: '4998.5' })).rejects.toMatchObject({
        code: 'position-cap',
        message: expect.stringMatching(/AccountOpenInterestCap\(0x[0-9a-fA-F]{40}, 0, 5000500000000000000000, 5000000000000000000000\)/),
      });

      const close = client.closePosition({ asset: 'WETH' });
      const closed = await close;
      measured['sdk close 2 WETH'] = latencies(close.stages);
      expect(closed.size).toBe('0');
      const after = await client.account();
      expect(after.positions).toEqual([]);
      expect(after.credit.cash).toBeLessThan(0); // two taker fees, no price move
      await expect(client.closePosition({ asset: 'WETH' })).rejects.toMatchObject({ code: 'no-position' });
    });

    it('withdraw (two keys): followed to the payout; then one too large is rejected with its reason name', async () => {
      const max = await client.maxWithdrawable({ chain: 'collateral-a', asset: 'USDC' });
      expect(Number(max.amount)).toBeGreaterThan(100);
      const op = client.withdraw({ chain: 'collateral-a', asset: 'USDC', amount: '100' });
      const paid = await op;
      measured['sdk withdraw 100 USDC'] = latencies(op.stages);
      expect(names(op.stages)).toEqual(['sent', 'confirmed', 'delivered', 'indexed', 'decided', 'paid']);
      expect(paid.queued).toBe(false);

      // Open a position so that taking all of the collateral would break margin.
      await client.trade({ asset: 'WETH', size: '2' });
      const rejected = client.withdraw({ chain: 'collateral-a', asset: 'USDC', amount: '9900' });
      const error = await rejected.result.then(
        () => ({ code: 'approved', reasonName: '' }),
        (e: unknown) => e as { code: string; reasonName: string },
      );
      expect(error).toMatchObject({ code: 'withdrawal-rejected', reasonName: expect.stringMatching(/^(PostWithdrawal|InsufficientCredit)/) });
      measured['sdk withdraw 9900 USDC (rejected)'] = { ...latencies(rejected.stages), [error.reasonName]: 0 };
      expect(names(rejected.stages)).toEqual(['sent', 'confirmed', 'delivered', 'indexed', 'decided', 'unlocked']);
      await client.closePosition({ asset: 'WETH' });
    });
  });

  describe('CLI binary', () => {
    const common = () => ['--manifest', devnet.manifestPath, '--dev-account', String(CLI_TRADER)];

    it('deposit prints each stage with its latency; --json gives the stages to scripts', async () => {
      const human = await runCli(['deposit', '--chain', 'collateral-b', '--asset', 'WETH', '--amount', '3', ...common()]);
      expect(human.stderr).toBe('');
      expect(human.code).toBe(0);
      for (const stage of ['sent', 'confirmed', 'delivered', 'indexed', 'credited'])
        expect(human.stdout).toMatch(new RegExp(`✓ ${stage} +\\d+\\.\\d\\d s`));
      expect(human.stdout).toMatch(/done in \d+\.\d\d s/);

      const json = await runCli(['deposit', '--chain', 'collateral-a', '--asset', 'USDC', '--amount', '5000', '--json', ...common()]);
      expect(json.code).toBe(0);
      const body = JSON.parse(json.stdout);
      measured['cli deposit 5000 USDC'] = latencies(body.stages);
      expect(body).toMatchObject({ ok: true, command: 'deposit', result: { asset: 'USDC', hubBalance: '5000' } });
      expect(names(body.stages)).toEqual(['sent', 'confirmed', 'delivered', 'indexed', 'credited']);
    });

    it('trade, account and close', async () => {
      const trade = await runCli(['trade', '--asset', 'WETH', '--size', '1.5', '--json', ...common()]);
      expect(trade.code).toBe(0);
      const traded = JSON.parse(trade.stdout);
      measured['cli trade 1.5 WETH'] = latencies(traded.stages);
      expect(traded.result).toMatchObject({ market: 'WETH', size: '1.5' });

      const account = await runCli(['account', ...common()]);
      expect(account.code).toBe(0);
      expect(account.stdout).toContain('WETH on collateral-b');
      expect(account.stdout).toContain('USDC on collateral-a');
      expect(account.stdout).toMatch(/WETH\s+size 1\.5/);
      const accountJson = JSON.parse((await runCli(['account', '--json', ...common()])).stdout);
      expect(accountJson.account.positions).toMatchObject([{ market: 'WETH', size: '1.5' }]);
      expect(accountJson.withdrawable).toHaveLength(2);

      const close = await runCli(['close', '--asset', 'WETH', ...common()]);
      expect(close.code).toBe(0);
      expect(close.stdout).toMatch(/✓ confirmed .*PositionClosed size 0/);
    });

    it('clear errors with distinct exit codes: unlisted asset 11, insufficient balance 10, no position 11, too large a trade 14', async () => {
      const unlisted = await runCli(['deposit', '--chain', 'collateral-a', '--asset', 'WBTC', '--amount', '1', ...common()]);
      expect(unlisted.code).toBe(11);
      expect(unlisted.stderr).toContain('WBTC is not listed on collateral-a (listed there: USDC, WETH)');
      const poor = await runCli(['deposit', '--chain', 'collateral-a', '--asset', 'USDC', '--amount', '99000000', ...common()]);
      expect(poor.code).toBe(10);
      expect(poor.stderr).toMatch(/error \[insufficient-balance\]: 0x[0-9a-fA-F]{40} holds [\d.]+ USDC on collateral-a; the deposit needs 99000000/);
      expect((await runCli(['close', '--asset', 'WETH', ...common()])).code).toBe(11);
      const big = await runCli(['trade', '--asset', 'WETH', '--size', '5000', ...common()]);
      expect(big.code).toBe(14);
      expect(big.stderr).toContain('InsufficientCredit');
    });

    it('withdraw: followed to the payout', async () => {
      const withdraw = await runCli(['withdraw', '--chain', 'collateral-a', '--asset', 'USDC', '--amount', '250', '--json', ...common()]);
      const body = JSON.parse(withdraw.stdout);
      measured['cli withdraw 250 USDC'] = latencies(body.stages);
      expect(body).toMatchObject({ ok: true, result: { amount: '250', queued: false } });
      expect(withdraw.code).toBe(0);
    });
  });
});
