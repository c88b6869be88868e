import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MaxUint256, formatUnits, parseUnits } from 'ethers';
import { devWallet, startHardhatNode, type LocalChain } from '@tributary/contracts';
import { parseManifest } from '@tributary/protocol';
import { devnetExtraChain, startDevnet, type Devnet } from '@tributary/deploy';
import { TributaryClient } from '@tributary/sdk';
import { Deployment, getJson, waitFor, type AccountRiskView, type AccountView, type ChainWeightsView } from '../support/harness';

// The whole system as processes: 3 hardhat nodes, the relayer (our DVN + executor over real EndpointV2 +
// ULN302) and the aggregator (sql.js), deployed by the deploy package exactly as `npm start` does.
const cli = resolve(__dirname, '..', '..', 'deploy', 'dist', 'cli.js');
const PORTS = { chain: 19820, extraChain: 19823, aggregator: 19830, relayer: 19831 };
const TRADER = 10;
// heartbeat_c of every chain. The relayer sends a heartbeat after heartbeat_c / 2 of quiet; the hub must hear it
// within the other half: 30 s leaves room for the delivery latency measured on a loaded 2-core machine (two DVNs,
// up to ~18 s from send to the aggregator's view).
const HEARTBEAT_SECONDS = 60;
/** Chain C's decay window once it is halted. */
const DECAY_C_SECONDS = 15;
// The quiet-vs-stopped story's length: a short default for CI; `npm run soak:liveness` runs it for 10 minutes.
const STORY_SECONDS = storySeconds(process.env.LIVENESS_STORY_SECONDS);

function storySeconds(value: string | undefined): number {
  if (value === undefined || value === '') return 120;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < HEARTBEAT_SECONDS) {
    throw new Error(`LIVENESS_STORY_SECONDS must be a whole number of seconds ≥ ${HEARTBEAT_SECONDS} (one heartbeat), got '${value}'`);
  }
  return seconds;
}

function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, DEPLOYER_PRIVATE_KEY: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => done({ code, output }));
  });
}

describe('Tributary end to end: chains, relayer and aggregator as processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-e2e-'));
  let devnet: Devnet;
  let d: Deployment;
  let client: TributaryClient;
  let trader: string;
  const extraChains: LocalChain[] = [];

  beforeAll(async () => {
    devnet = await startDevnet({
      dir,
      chainPort: PORTS.chain,
      aggregatorPort: PORTS.aggregator,
      relayerPort: PORTS.relayer,
      blockTimeMs: 1000,
      // A short heartbeat so the quiet-chain story below spans several heartbeat periods; the relayer keeps every
      // live chain's weight with heartbeats (no long window to hide a quiet chain).
      heartbeatSeconds: HEARTBEAT_SECONDS,
      decayWindowSeconds: 40,
      simulatePrices: false,
      log: () => undefined,
    });
    d = new Deployment(devnet.manifest);
    client = new TributaryClient({ manifest: devnet.manifestPath, aggregatorUrl: devnet.urls.aggregator, privateKey: devWallet(TRADER).privateKey });
    trader = client.address;
  }, 180_000);

  afterAll(async () => {
    client?.close();
    d?.close();
    await devnet?.stop();
    await Promise.all(extraChains.map((c) => c.stop()));
  });

  const account = () => getJson<AccountView>(`${devnet.urls.aggregator}/v1/accounts/${trader}`);
  const marketOf = (symbol: string) => devnet.sidecar.markets.find((m) => m.symbol === symbol)!.marketId;
  /** Heartbeats sent so far per chain name by the relayer and by the verifier (which must send none: it cannot deliver). */
  const heartbeatsSent = async (): Promise<Map<string, { relayer: number; verifier: number }>> => {
    const sent = new Map<string, { relayer: number; verifier: number }>();
    for (const role of ['relayer', 'verifier'] as const) {
      const metrics = await (await fetch(`${devnet.urls[role]}/metrics`)).text();
      for (const line of metrics.split('\n')) {
        if (!line.startsWith(`tributary_${role}_heartbeats_total{`) || !line.includes('result="sent"')) continue;
        const chain = line
          .match(/chain="([^"]+)"/)![1]
          .toLowerCase()
          .replaceAll('_', '-');
        const counts = sent.get(chain) ?? { relayer: 0, verifier: 0 };
        counts[role] = Number(line.split(' ').pop());
        sent.set(chain, counts);
      }
    }
    return sent;
  };

  it('a deposit of USDC on chain A and of WETH on chain B reach the hub through the relayer, and the ledger API shows both', async () => {
    const a = d.chain('collateral-a');
    const b = d.chain('collateral-b');
    await Promise.all([
      client.deposit({ chain: 'collateral-a', asset: 'USDC', amount: '10000' }).result,
      client.deposit({ chain: 'collateral-b', asset: 'WETH', amount: '5' }).result,
    ]);

    const hub = d.hub();
    await waitFor('both attestations applied on the hub', async () => {
      const usdc = await hub.attestation(trader, a.eid, d.assetId('USDC'));
      const weth = await hub.attestation(trader, b.eid, d.assetId('WETH'));
      return usdc.balance === parseUnits('10000', 6) && weth.balance === parseUnits('5', 18) ? true : undefined;
    });
    const view = await waitFor('the ledger API to show both deposits', async () => {
      const v = await account();
      return v.collateral.filter((c) => c.balance !== '0').length === 2 ? v : undefined;
    });
    const bySymbol = Object.fromEntries(view.collateral.map((c) => [`${c.symbol}@${c.eid}`, c.balance]));
    expect(bySymbol).toEqual({ [`USDC@${a.eid}`]: parseUnits('10000', 6).toString(), [`WETH@${b.eid}`]: parseUnits('5', 18).toString() });
  });

  it('a withdrawal of an account without positions is approved by the hub and paid on its own chain', async () => {
    const a = d.chain('collateral-a');
    const signer = d.wallet(TRADER, a);
    const { contract: usdc } = d.token(a, 'USDC', signer);
    const before = await usdc.balanceOf(trader);
    const paid = await client.withdraw({ chain: 'collateral-a', asset: 'USDC', amount: '100' });
    expect(paid.queued).toBe(false);
    expect((await usdc.balanceOf(trader)) - before).toBe(parseUnits('100', 6));
    await waitFor('the hub to hold the post-withdrawal attestation', async () =>
      (await d.hub().attestation(trader, a.eid, d.assetId('USDC'))).balance === parseUnits('9900', 6) ? true : undefined,
    );
    await waitFor('the ledger API to show the settled withdrawal', async () => {
      const v = await account();
      const usdcRow = v.collateral.find((c) => c.eid === a.eid && c.symbol === 'USDC');
      return usdcRow?.balance === parseUnits('9900', 6).toString() ? true : undefined;
    });
  });

  it('a credit limit appears on the trading chain and the trader opens a perp position against it', async () => {
    const cm = d.creditManager();
    const pushed = await waitFor('the aggregator to push a credit limit', async () => {
      const acct = await cm.account(trader);
      return acct.limit > 0n ? acct.limit : undefined;
    });
    const risk = await getJson<AccountRiskView>(`${devnet.urls.aggregator}/v1/accounts/${trader}/risk`);
    // What was pushed is the engine's limit (floored to 1e18), within the pusher's hysteresis.
    expect(Math.abs(Number(formatUnits(pushed, 18)) - risk.result.creditLimit) / risk.result.creditLimit).toBeLessThan(0.02);
    expect(risk.result.creditLimit).toBeGreaterThan(15_000);

    await client.trade({ asset: 'WETH', size: '20' });
    const position = await d.perpMarket(d.wallet(TRADER, d.trading)).position(trader, marketOf('WETH'));
    expect(position.size).toBe(parseUnits('20', 18));
    expect((await cm.account(trader)).used).toBe(position.margin);
    await waitFor('the ledger to show the position', async () =>
      (await account()).positions.some((p) => p.size === parseUnits('20', 18).toString()) ? true : undefined,
    );
  });

  it('the price drops: the pushed credit falls, a withdrawal that would break margin is rejected and a safe one is paid', async () => {
    const cm = d.creditManager();
    const before = (await cm.account(trader)).limit;
    await d.setPrice('WETH', 2700);
    const after = await waitFor('a lower credit limit on chain', async () => {
      const limit = (await cm.account(trader)).limit;
      return limit < (before * 9n) / 10n ? limit : undefined;
    });
    const risk = await getJson<AccountRiskView>(`${devnet.urls.aggregator}/v1/accounts/${trader}/risk`);
    expect(risk.result.unrealizedPnl).toBeCloseTo(20 * (2700 - 3000), 6);
    expect(risk.result.liquidatable).toBe(false);

    const a = d.chain('collateral-a');
    const signer = d.wallet(TRADER, a);
    const vault = d.vault(a, signer);
    const { contract: usdc } = d.token(a, 'USDC', signer);
    // 9,900 USDC × 0.95 = 9,405 of haircut value: more than the ~7k of free credit left at 2,700.
    const available = after - (await cm.account(trader)).used;
    expect(available).toBeLessThan(parseUnits('9405', 18));
    await expect(client.withdraw({ chain: 'collateral-a', asset: 'USDC', amount: '9900' }).result).rejects.toMatchObject({
      code: 'withdrawal-rejected',
      reasonName: expect.stringMatching(/^(InsufficientCredit|PostWithdrawal)/),
    });
    expect((await vault.balanceOf(trader, d.assetId('USDC'))).locked).toBe(0n);

    const balance = await usdc.balanceOf(trader);
    await client.withdraw({ chain: 'collateral-a', asset: 'USDC', amount: '1000' });
    expect((await usdc.balanceOf(trader)) - balance).toBe(parseUnits('1000', 6));
  });

  it(
    'add-chain on the running devnet: a new vault chain is wired both ways and its deposits reach the hub and the ledger',
    async () => {
      const chainId = 31340;
      const eid = 40104;
      // The new chain automines while add-chain deploys (keeps the test short), then makes 1 s blocks like the others.
      const node = await startHardhatNode({ chainId, port: PORTS.extraChain });
      extraChains.push(node);
      const chainFile = join(dir, 'collateral-c.json');
      writeFileSync(
        chainFile,
        JSON.stringify(
          devnetExtraChain({
            name: 'collateral-c',
            chainId,
            eid,
            rpcUrl: node.rpcUrl,
            heartbeatSeconds: HEARTBEAT_SECONDS,
            decayWindowSeconds: DECAY_C_SECONDS,
          }),
        ),
      );

      const first = await runCli(['add-chain', '--chain', chainFile, '--manifest', devnet.manifestPath]);
      expect(first.output).toContain('transactions sent:');
      expect(first.code).toBe(0);
      const manifest = parseManifest(JSON.parse(readFileSync(devnet.manifestPath, 'utf8')));
      expect(manifest.chains.map((c) => c.name)).toEqual(['trading', 'collateral-a', 'collateral-b', 'collateral-c']);
      const c = manifest.chains.find((x) => x.eid === eid)!;
      expect(c.contracts.vault).toMatch(/^0x/);

      // Idempotent: the same command again changes nothing.
      const second = await runCli(['add-chain', '--chain', chainFile, '--manifest', devnet.manifestPath]);
      expect(second.code).toBe(0);
      expect(second.output).toContain('transactions sent: trading 0, collateral-a 0, collateral-b 0, collateral-c 0');

      const extended = new Deployment(manifest);
      const newChain = extended.providers.get(eid)!;
      await newChain.send('evm_setAutomine', [false]);
      await newChain.send('evm_setIntervalMining', [1000]);
      try {
        const signer = extended.wallet(TRADER, c);
        const { contract: usdc } = extended.token(c, 'USDC', signer);
        await (await usdc.mint(trader, parseUnits('1000', 6))).wait();
        await (await usdc.approve(c.contracts.vault!, MaxUint256)).wait();
        // The devnet restarts the relayer and the aggregator when the manifest changes; wait until both answer again.
        await waitFor('services restarted with 4 chains', async () => {
          const chains = await getJson<{ chains: { eid: number }[] }>(`${devnet.urls.aggregator}/v1/chains`);
          return chains.chains.some((x) => x.eid === eid) ? true : undefined;
        });
        await extended.deposit(c, signer, 'USDC', '250');
        await waitFor('the new chain attestation on the hub', async () =>
          (await extended.hub().attestation(trader, eid, extended.assetId('USDC'))).balance === parseUnits('250', 6) ? true : undefined,
        );
        await waitFor('the ledger API to show collateral on the new chain', async () => {
          const v = await account();
          return v.collateral.some((x) => x.eid === eid && x.balance === parseUnits('250', 6).toString()) ? true : undefined;
        });

        // The quiet-vs-stopped story. Chain C's node is halted: no message (not even the relayer's heartbeat) can leave
        // it, so HEARTBEAT_SECONDS after its last message its weight decays linearly to 0 over DECAY_C_SECONDS. Chains A
        // and B carry no user message at all: only the relayer's heartbeats (every heartbeat_c / 2) reach the hub, and
        // they keep exactly their configured weight at every sample (every 2 s) for STORY_SECONDS.
        const weights = async () => (await getJson<ChainWeightsView>(`${devnet.urls.aggregator}/v1/risk/chains`)).chains;
        const beforeHalt = (await weights()).find((x) => x.eid === eid)!;
        expect(beforeHalt.weight).toBe(beforeHalt.configuredWeight);
        const sentBefore = await heartbeatsSent();
        const hub = d.hub();
        const haltBlock = await hub.runner!.provider!.getBlockNumber();
        await node.stop();
        const haltedAt = Date.now();
        const quiet = ['collateral-a', 'collateral-b'];
        type QuietSample = { name: string; weight: number; configuredWeight: number; lastMessageAt: string; silence: number };
        const samples: { at: number; quiet: QuietSample[]; c: number }[] = [];
        const lastHeard = new Set<string>();
        // The story ends after STORY_SECONDS once chain C is at 0 (C reaches it within heartbeat + decay of its last message).
        const hardEnd = haltedAt + (STORY_SECONDS + 120) * 1000;
        while (Date.now() < hardEnd && (Date.now() - haltedAt < STORY_SECONDS * 1000 || samples.at(-1)!.c > 0)) {
          const all = await weights();
          const now = Date.now();
          const q = quiet.map((name) => {
            const w = all.find((x) => x.name === name)!;
            const lastMessageAt = w.lastMessageAt!;
            return { name, weight: w.weight, configuredWeight: w.configuredWeight, lastMessageAt, silence: (now - Date.parse(lastMessageAt)) / 1000 };
          });
          samples.push({ at: (now - haltedAt) / 1000, quiet: q, c: all.find((x) => x.eid === eid)!.weight });
          lastHeard.add(q.map((w) => w.lastMessageAt).join('|'));
          await new Promise((r) => setTimeout(r, 2000));
        }
        const storyFor = (Date.now() - haltedAt) / 1000;
        const sent = await heartbeatsSent();
        const sentDuring = quiet.map((name) => {
          const [after, before] = [sent.get(name), sentBefore.get(name)];
          return { relayer: (after?.relayer ?? 0) - (before?.relayer ?? 0), verifier: (after?.verifier ?? 0) - (before?.verifier ?? 0) };
        });
        // What the hub received: HeartbeatReceived per quiet chain since the halt.
        const received = await Promise.all(
          quiet.map(async (name) => (await hub.queryFilter(hub.filters.HeartbeatReceived(d.chain(name).eid), haltBlock + 1)).length),
        );
        const lowest = Math.min(...samples.flatMap((x) => x.quiet.map((w) => w.weight / w.configuredWeight)));
        const longestSilence = Math.max(...samples.flatMap((x) => x.quiet.map((w) => w.silence)));
        const cDecaying = samples.find((x) => x.c < beforeHalt.configuredWeight);
        const cZero = samples.find((x) => x.c === 0);
        console.log(
          `liveness story over ${storyFor.toFixed(0)} s (heartbeat ${HEARTBEAT_SECONDS} s): quiet chains A and B: ${samples.length} samples, ` +
            `lowest weight / configured ${lowest}, longest silence seen ${longestSilence.toFixed(1)} s, ${lastHeard.size} distinct ` +
            `last-message times, heartbeats received by the hub A ${received[0]}, B ${received[1]} (sent by relayer + verifier: A ` +
            `${sentDuring[0].relayer} + ${sentDuring[0].verifier}, B ${sentDuring[1].relayer} + ${sentDuring[1].verifier}); halted chain C decaying from ` +
            `${cDecaying?.at.toFixed(0)} s, at 0 from ${cZero?.at.toFixed(0)} s after the halt`,
        );
        // A quiet healthy chain never decays: its exact configured weight at every sample.
        expect(samples.flatMap((x) => x.quiet.filter((w) => w.weight !== w.configuredWeight).map((w) => ({ at: x.at, ...w })))).toEqual([]);
        expect(storyFor).toBeGreaterThanOrEqual(STORY_SECONDS);
        // Heartbeats arrived all along: one every heartbeat_c / 2 to 9/16 heartbeat_c, sent by the relayer alone (one
        // may have been in flight when the counts were read at the halt; none wasted on a collision).
        const cadence = Math.floor(STORY_SECONDS / ((HEARTBEAT_SECONDS * 9) / 16));
        expect(lastHeard.size).toBeGreaterThanOrEqual(cadence);
        for (const [i, n] of received.entries()) {
          expect(n).toBeGreaterThanOrEqual(cadence);
          expect(sentDuring[i].verifier).toBe(0);
          expect(sentDuring[i].relayer).toBeGreaterThanOrEqual(n - 1);
          expect(sentDuring[i].relayer).toBeLessThanOrEqual(n + 1);
        }
        // The halted chain: weight never rises, decays, reaches 0 and stays there.
        for (let i = 1; i < samples.length; i++) expect(samples[i].c).toBeLessThanOrEqual(samples[i - 1].c);
        expect(cDecaying).toBeDefined();
        expect(cZero).toBeDefined();
        expect(samples.at(-1)!.c).toBe(0);
        await waitFor('the risk breakdown to count chain C collateral at weight 0', async () => {
          const risk = await getJson<AccountRiskView>(`${devnet.urls.aggregator}/v1/accounts/${trader}/risk`);
          const onC = risk.inputs.balances.find((b) => b.eid === eid);
          return onC && onC.amount === 250 && onC.chainWeight === 0 ? true : undefined;
        });
      } finally {
        extended.close();
      }
    },
    240_000 + (STORY_SECONDS + 120) * 1000,
  );
});
