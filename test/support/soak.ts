import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DEVNET_CHAINS, startDevnet, type Devnet } from '@tributary/deploy';
import { snapshot } from './conservation';
import { FaultProxy, describeCounts } from './fault-proxy';
import { Deployment } from './harness';
import { PrivatePostgres } from './private-postgres';
import { Killer, reorgDeposit, type ReorgResult } from './soak-chaos';
import { endChecks, type Check } from './soak-checks';
import { DepositLoad, TraderActors } from './soak-load';
import { InFlight } from './soak-inflight';
import { AttestationTracker, percentile } from './soak-tracker';

/** Ports (e2e range, used by no other file): chains, their fault proxies, services, the private PostgreSQL. */
export const SOAK_PORTS = { chain: 19940, proxy: 19943, aggregators: [19950, 19951], relayers: [19952, 19953], verifier: 19954, postgres: 19960 };
const BLOCK_MS = 1000;
/** Dev accounts: 5–16 deposit, 17–18 trade and withdraw, 19 is the reorg's depositor. */
const DEPOSITORS = Array.from({ length: 12 }, (_, i) => 5 + i);
const ACTORS = [17, 18];
const REORG_TRADER = 19;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rpc = async (url: string, method: string, params: unknown[]) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
};

export interface SoakOptions {
  seconds: number;
  /** Deposits per second offered. */
  rate: number;
  /** Share of RPC requests the proxies fault (0–1). */
  faultRate: number;
  /** Mean seconds between kills. */
  killEverySeconds: number;
  drainTimeoutMs: number;
  log: (line: string) => void;
}

export interface SoakReport {
  checks: Check[];
  lines: string[];
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-soak-'));
  const log = (line: string) => options.log(`${new Date().toISOString().slice(11, 19)} ${line}`);
  const lines: string[] = [];
  const inFlight = new InFlight();
  const pg = new PrivatePostgres(SOAK_PORTS.postgres);
  const proxies = DEVNET_CHAINS.map(
    (_, i) => new FaultProxy({ target: `http://127.0.0.1:${SOAK_PORTS.chain + i}`, port: SOAK_PORTS.proxy + i, faultRate: 0, delayMs: [200, 2000] }),
  );
  let devnet: Devnet | undefined;
  let d: Deployment | undefined;
  const stoppers: (() => Promise<void>)[] = [];
  try {
    log(`private PostgreSQL on ${SOAK_PORTS.postgres} (${pg.dir}); devnet in ${dir}`);
    pg.start();
    const admin = await new DataSource({ type: 'postgres', url: pg.url }).initialize();
    await admin.query('CREATE DATABASE soak');
    await admin.destroy();
    const url = pg.url.replace(/\/postgres$/, '/soak');
    const soakDb = await new DataSource({ type: 'postgres', url }).initialize();
    for (const schema of ['relayer', 'aggregator', 'verifier']) await soakDb.query(`CREATE SCHEMA ${schema}`);
    await soakDb.destroy();
    for (const proxy of proxies) await proxy.start();
    devnet = await startDevnet({
      dir,
      chainPort: SOAK_PORTS.chain,
      aggregatorPort: SOAK_PORTS.aggregators[0]!,
      relayerPort: SOAK_PORTS.relayers[0]!,
      verifierPort: SOAK_PORTS.verifier,
      blockTimeMs: BLOCK_MS,
      postgres: { url, relayerSchema: 'relayer', aggregatorSchema: 'aggregator', verifierSchema: 'verifier' },
      replicas: { relayerPorts: SOAK_PORTS.relayers.slice(1), aggregatorPorts: SOAK_PORTS.aggregators.slice(1) },
      serviceRpcUrls: proxies.map((p) => p.url),
      restartBackoffMs: 500,
      log: (line) => appendFileSync(join(dir, 'devnet.log'), `${new Date().toISOString()} ${line}\n`),
    });
    const net = devnet;
    // A hardhat node's request log (each transaction traced and decoded to name its contract call) runs on the
    // node's one JS thread: at the soak's rate the collateral nodes fell behind and stopped answering (docs/soak.md).
    if (process.env.SOAK_NODE_LOGS !== '1')
      await Promise.all(DEVNET_CHAINS.map((_, i) => rpc(`http://127.0.0.1:${SOAK_PORTS.chain + i}`, 'hardhat_setLoggingEnabled', [false])));
    const dep = (d = new Deployment(net.manifest));
    const apiKey = readFileSync(join(dir, 'relayer-api-key'), 'utf8');
    const tracker = new AttestationTracker(dep);
    const [chainA, chainB] = [dep.chain('collateral-a'), dep.chain('collateral-b')];
    const actors = new TraderActors(net.manifestPath, net.urls.aggregator, ACTORS, chainB);
    stoppers.push(() => actors.stop());
    log('funding the trading actors (50,000 USDC each on collateral-b)…');
    await actors.fund(dep, '50000');
    const start = await snapshot(net, dep, 'soak start');

    for (const proxy of proxies) proxy.setFaultRate(options.faultRate);
    const load = new DepositLoad(dep, DEPOSITORS, options.rate, tracker);
    stoppers.push(() => load.stop());
    const killer = new Killer(net);
    log(
      `soak: ${options.seconds} s, ${options.rate} deposits/s offered, ${(options.faultRate * 100).toFixed(0)} % RPC faults, a kill every ~${options.killEverySeconds} s`,
    );
    const started = Date.now();
    load.start();
    actors.start();
    const polling = { on: true, errors: 0 };
    const poller = (async () => {
      while (polling.on) {
        await tracker.poll().catch(() => polling.errors++);
        await sleep(1000);
      }
    })();
    stoppers.push(async () => {
      polling.on = false;
      await poller;
    });

    let reorg: ReorgResult | undefined;
    let reorgError: string | undefined;
    let pgRestarted = false;
    let nextKill = started + options.killEverySeconds * 1000 * (0.5 + Math.random());
    const end = started + options.seconds * 1000;
    let nextStatus = started + 15_000;
    while (Date.now() < end) {
      const elapsed = (Date.now() - started) / (options.seconds * 1000);
      if (Date.now() >= nextKill) {
        log(`SIGKILL ${killer.killOne()}`);
        nextKill = Date.now() + options.killEverySeconds * 1000 * (0.67 + Math.random() * 0.66);
      }
      if (!reorg && !reorgError && elapsed > 0.3) {
        try {
          // The price mirrors write to chain A too: a mirror update the revert removed would never be mined.
          await net.simulator?.stop();
          reorg = await reorgDeposit(dep, load, chainA, REORG_TRADER, BLOCK_MS).finally(() => net.simulator?.start());
          log(
            `reorg on ${reorg.chain}: block ${reorg.block} (deposit ${reorg.reverted}) reverted after ${reorg.seenUnconfirmedMs} ms at the tip; ${reorg.kept} mined instead`,
          );
        } catch (error) {
          reorgError = (error as Error).message;
          log(`reorg failed: ${reorgError}`);
        }
      }
      if (!pgRestarted && elapsed > 0.5) {
        pgRestarted = true;
        const t = Date.now();
        pg.restart();
        log(`PostgreSQL restarted (-m immediate) in ${Date.now() - t} ms`);
      }
      if (Date.now() >= nextStatus) {
        nextStatus = Date.now() + 15_000;
        const faulted = proxies.map((p) => `${p.counts.requests}`).join('/');
        log(`  ${load.offered} offered, ${tracker.sent.size} attested by vaults, ${tracker.delivered.size} on the hub; proxy requests ${faulted}`);
        log(
          `  load sends in flight ${load.pending}, held back ${load.held}; HTTP in flight per port ${inFlight.describe([0, 1, 2, 3, 4, 5].map((i) => SOAK_PORTS.chain + i))}`,
        );
      }
      await sleep(500);
    }
    await load.stop();
    const offeredSeconds = (Date.now() - started) / 1000;
    await actors.stop();
    stoppers.length = 0;
    for (const proxy of proxies) proxy.setFaultRate(0);
    await net.simulator?.stop();
    log(`load stopped: ${load.offered} deposits offered in ${offeredSeconds.toFixed(0)} s; draining (faults off, prices still)…`);

    const drainStart = Date.now();
    const drained = await (async () => {
      while (Date.now() - drainStart < options.drainTimeoutMs) {
        await tracker.poll().catch(() => undefined);
        if (tracker.sent.size > 0 && tracker.lost().length === 0) return true;
        await sleep(2000);
      }
      return false;
    })();
    polling.on = false;
    await poller;
    const drainedAt = Date.now();
    const latencies = tracker.latencies();
    const included = tracker.sentAt.size;
    const deliveredTimes = [...tracker.delivered.values()].map((v) => v.at);
    const span = deliveredTimes.length ? (Math.max(...deliveredTimes) - started) / 1000 : NaN;
    lines.push(
      `load: ${load.offered} deposits offered in ${offeredSeconds.toFixed(0)} s (${(load.offered / offeredSeconds).toFixed(1)}/s), ${load.held} held back (the chain had ${load.maxInFlight} sends unanswered), ${load.sendFailures} refused by the node${load.firstFailure ? ` (first: ${load.firstFailure.slice(0, 120)})` : ''}, ${included} included`,
      `drain: ${drained ? 'complete' : 'TIMED OUT'} ${((drainedAt - drainStart) / 1000).toFixed(0)} s after the load stopped; ${tracker.delivered.size} attestations on the hub ${span.toFixed(0)} s after the start (${(tracker.delivered.size / span).toFixed(1)}/s achieved)`,
      `deposit send → hub latency: p50 ${(percentile(latencies, 50) / 1000).toFixed(1)} s, p99 ${(percentile(latencies, 99) / 1000).toFixed(1)} s, max ${(Math.max(...latencies, 0) / 1000).toFixed(1)} s over ${latencies.length}`,
      `actors: ${actors.done.trades} trades, ${actors.done.withdrawals} withdrawals done; ${actors.failed.trades} trades, ${actors.failed.withdrawals} withdrawals failed${actors.errors.length ? ` (first: ${actors.errors[0]})` : ''}`,
      `kills (SIGKILL, ${killer.kills.length}): ${killer.kills.join(', ')}`,
      `restarts: ${[...net.services.relayers, net.services.verifier, ...net.services.aggregators].map((s) => `${s.name} ${s.state().restarts}`).join(', ')}`,
      `PostgreSQL restarts: ${pgRestarted ? 1 : 0}; reorg: ${reorg ? `1 (block ${reorg.block} on ${reorg.chain})` : `none (${reorgError ?? 'not reached'})`}`,
      ...proxies.map((p, i) => describeCounts(`fault proxy ${DEVNET_CHAINS[i]!.name}`, p.counts)),
    );
    const checks = await endChecks({ devnet: net, d: dep, tracker, start, reorg, relayerApiKey: apiKey, drainedAt });
    if (!reorg) checks.push({ name: 'reorg performed', figure: reorgError ?? 'not reached', ok: false });
    if (pgRestarted) checks.push({ name: 'PostgreSQL restarted once', figure: '1', ok: true });
    return { checks, lines };
  } finally {
    for (const stop of stoppers) await stop().catch(() => undefined);
    d?.close();
    await devnet?.stop();
    for (const proxy of proxies) await proxy.stop();
    pg.stop();
    log(`logs kept in ${dir}`);
  }
}

export function printReport(report: SoakReport, print: (line: string) => void): boolean {
  for (const line of report.lines) print(`  ${line}`);
  print('checks:');
  for (const c of report.checks) {
    print(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(44)} ${c.figure}`);
    for (const detail of c.detail ?? []) print(`         ${detail}`);
  }
  return report.checks.every((c) => c.ok);
}
