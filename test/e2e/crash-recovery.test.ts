import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { devWallet } from '@tributary/contracts';
import { devnetDatabaseFiles, startDevnet, type Devnet } from '@tributary/deploy';
import {
  aggregatorApiView,
  aggregatorMissing,
  copySqlite,
  onFirstWrite,
  postgresReader,
  relayerApiView,
  relayerMissing,
  sqliteReader,
  type DatabaseReader,
  type LedgerView,
} from '../support/crash-probe';
import { DepositStream } from '../support/deposit-stream';
import { Deployment, waitFor } from '../support/harness';

// The devnet's relayer and aggregator as real processes under a stream of deposits, SIGKILLed at random
// moments and in the middle of writing their database (on SQLite: at the first write to the file or its log
// after arming; on PostgreSQL: right after the API shows new activity). After each kill the database holds
// everything the API showed a moment before; the devnet restarts the service; at the end every deposit is
// attested exactly once and the ledger equals the chains. DATABASE_URL=postgres://… runs it on PostgreSQL.
const cli = resolve(__dirname, '..', '..', 'deploy', 'dist', 'cli.js');
const PORTS = { chain: 19870, aggregator: 19880, relayer: 19881 };
const POSTGRES_URL = process.env.DATABASE_URL;
type ServiceName = 'relayer' | 'aggregator';
type KillMoment = 'random' | 'mid-write';
const KILLS: { service: ServiceName; moment: KillMoment; soon?: boolean }[] = [
  { service: 'relayer', moment: 'random' },
  { service: 'aggregator', moment: 'random' },
  { service: 'relayer', moment: 'mid-write' },
  { service: 'aggregator', moment: 'mid-write' },
  // Again right after it came back, while it catches up.
  { service: 'aggregator', moment: 'random', soon: true },
  { service: 'relayer', moment: 'mid-write' },
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runCli(args: string[]): Promise<string> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', () => done(output));
  });
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const source = await new DataSource({ type: 'postgres', url }).initialize();
  await source.query(sql).finally(() => source.destroy());
}

describe(`crash recovery under load (${POSTGRES_URL ? 'PostgreSQL' : 'embedded SQLite'})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-crash-'));
  const schemas = {
    relayerSchema: `crash_relayer_${randomBytes(4).toString('hex')}`,
    aggregatorSchema: `crash_aggregator_${randomBytes(4).toString('hex')}`,
    verifierSchema: `crash_verifier_${randomBytes(4).toString('hex')}`,
  };
  const files = devnetDatabaseFiles(dir);
  let devnet: Devnet | undefined;
  let d: Deployment;
  const postgres: Partial<Record<ServiceName, DatabaseReader>> = {};

  beforeAll(async () => {
    if (POSTGRES_URL) for (const schema of Object.values(schemas)) await adminQuery(POSTGRES_URL, `CREATE SCHEMA "${schema}"`);
    devnet = await startDevnet({
      dir,
      chainPort: PORTS.chain,
      aggregatorPort: PORTS.aggregator,
      relayerPort: PORTS.relayer,
      blockTimeMs: 1000,
      simulatePrices: false,
      postgres: POSTGRES_URL ? { url: POSTGRES_URL, ...schemas } : undefined,
      restartBackoffMs: 500,
      log: (line) => appendFileSync(join(dir, 'devnet.log'), `${new Date().toISOString()} ${line}\n`),
    });
    d = new Deployment(devnet.manifest);
    if (POSTGRES_URL) {
      postgres.relayer = await postgresReader(POSTGRES_URL, schemas.relayerSchema);
      postgres.aggregator = await postgresReader(POSTGRES_URL, schemas.aggregatorSchema);
    }
  }, 240_000);

  afterAll(async () => {
    d?.close();
    await devnet?.stop();
    for (const reader of Object.values(postgres)) await reader.close();
    if (POSTGRES_URL) for (const schema of Object.values(schemas)) await adminQuery(POSTGRES_URL, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it('each kill leaves the database holding what the API showed; restarted; nothing lost or doubled; ledger equals chains', async () => {
    const net = devnet!;
    const apiKey = readFileSync(join(dir, 'relayer-api-key'), 'utf8');
    const [chainA, chainB] = [d.chain('collateral-a'), d.chain('collateral-b')];
    const pairs = [
      { trader: 5, chain: chainA },
      { trader: 6, chain: chainA },
      { trader: 7, chain: chainB },
      { trader: 8, chain: chainB },
    ];
    const traders = [...new Set(pairs.map((p) => devWallet(p.trader).address))];
    const stream = new DepositStream(d, pairs);
    stream.start();
    const view = (service: ServiceName) =>
      service === 'relayer' ? relayerApiView(net.urls.relayer, apiKey) : aggregatorApiView(net.urls.aggregator, traders);
    await waitFor(
      'the first deposits in the ledger',
      async () => ((await aggregatorApiView(net.urls.aggregator, traders)).collateral.size >= 2 ? true : undefined),
      90_000,
    );

    const report: string[] = [];
    for (const [n, kill] of KILLS.entries()) {
      if (!kill.soon) await sleep(1000 + Math.random() * 2000);
      const supervisor = net.services[kill.service];
      const shown = await view(kill.service);
      // The supervisor emits 'exit' before it schedules the restart: the files are copied while nothing writes them.
      const copied = new Promise<string | undefined>((resolveCopy) =>
        supervisor.once('exit', () => resolveCopy(POSTGRES_URL ? undefined : copySqlite(files[kill.service], join(dir, `kill-${n}`)))),
      );
      const pid = supervisor.pid!;
      const killedAt = { ms: 0, file: 'timer' };
      const killNow = (file: string) => {
        killedAt.ms = Date.now();
        killedAt.file = file;
        process.kill(pid, 'SIGKILL');
      };
      if (kill.moment === 'random') killNow('random moment');
      else if (!POSTGRES_URL) {
        const watcher = onFirstWrite([files[kill.service], `${files[kill.service]}-wal`], killNow);
        await waitFor(`a write by the ${kill.service}`, async () => (killedAt.ms ? true : undefined), 30_000, 5).finally(() => watcher.close());
      } else {
        const before = JSON.stringify(serialize(shown));
        await waitFor(
          `new activity of the ${kill.service}`,
          async () => (JSON.stringify(serialize(await view(kill.service))) !== before ? true : undefined),
          30_000,
          50,
        );
        killNow('after new activity');
      }
      const copy = await copied;
      const reader = copy ? sqliteReader(copy) : postgres[kill.service]!;
      try {
        const missing =
          kill.service === 'relayer'
            ? await relayerMissing(shown as Map<string, string>, reader)
            : await aggregatorMissing(shown as LedgerView, reader);
        expect(missing).toEqual([]);
      } finally {
        if (copy) await reader.close();
      }
      await waitFor(`the ${kill.service} restarted`, async () => (supervisor.state().state === 'running' ? true : undefined), 60_000, 50);
      const backMs = Date.now() - killedAt.ms;
      const startupMs = supervisor.state().lastStartupMs!;
      let line = `${kill.service} killed (${kill.moment}: ${killedAt.file}): answering after ${(backMs / 1000).toFixed(1)} s (backoff ${((backMs - startupMs) / 1000).toFixed(1)} s + start-up ${(startupMs / 1000).toFixed(1)} s)`;
      // The next kill hits this service again while it catches up: no catch-up to measure.
      if (!KILLS[n + 1]?.soon) {
        const caughtUpMs = await caughtUp(kill.service, shown, view, killedAt.ms);
        line += `, ${kill.service === 'relayer' ? 'in-flight packets delivered' : 'indexing past the pre-kill point'} after ${(caughtUpMs / 1000).toFixed(1)} s`;
      }
      report.push(line);
    }

    await stream.stop();
    console.log(`crash test on ${POSTGRES_URL ? 'PostgreSQL' : 'SQLite'}: ${stream.count} deposits, ${KILLS.length} kills\n  ${report.join('\n  ')}`);
    expect(stream.failures).toEqual([]);
    const hub = d.hub();
    const usdc = d.assetId('USDC');
    await waitFor(
      'every deposit attested on the hub and shown by the ledger',
      async () => {
        const ledger = await aggregatorApiView(net.urls.aggregator, traders);
        for (const [key, amount] of stream.deposited) {
          const [trader, eid] = key.split('/');
          if ((await hub.attestation(trader!, Number(eid), usdc)).balance !== amount) return undefined;
          if (ledger.collateral.get(`${trader}/${eid}/${usdc}`)?.balance !== amount) return undefined;
        }
        return true;
      },
      120_000,
      1000,
    );
    // Ledger equals chains: vault custody = hub attestation = ledger = what was deposited.
    for (const [key, amount] of stream.deposited) {
      const [trader, eid] = key.split('/');
      const chain = eid === String(chainA.eid) ? chainA : chainB;
      expect((await d.vault(chain, devWallet(0, d.providers.get(chain.eid)!)).balanceOf(trader!, usdc)).free).toBe(amount);
    }
    const attests = new Map<number, number>();
    for (const chain of [chainA, chainB]) attests.set(chain.eid, Number(await d.vault(chain, devWallet(0, d.providers.get(chain.eid)!)).sequence()));
    expect([...attests.values()].reduce((a, b) => a + b, 0)).toBe(stream.count);
    // Each attestation reached the hub once: applied, or ignored when a later one of the same balance came first.
    const applied = (await hub.queryFilter(hub.filters.AttestationApplied(), 0, 'latest')).length;
    expect(applied + (await hub.queryFilter(hub.filters.AttestationIgnored(), 0, 'latest')).length).toBe(stream.count);

    // `tributary status` shows the restarts the devnet made.
    const status = await runCli(['status', '--manifest', net.manifestPath]);
    for (const service of ['relayer', 'aggregator'] as const) {
      const restarts = KILLS.filter((k) => k.service === service).length;
      expect(net.services[service].state().restarts).toBe(restarts);
      expect(status).toMatch(new RegExp(`${service} +\\S+ ok +running, pid \\d+, up [^,]+, ${restarts} restarts \\(last exit: SIGKILL`));
    }

    // Nothing lost or doubled, in the databases themselves (read after a clean stop).
    await net.stop();
    devnet = undefined;
    const relayerDb = POSTGRES_URL ? postgres.relayer! : sqliteReader(files.relayer);
    const aggregatorDb = POSTGRES_URL ? postgres.aggregator! : sqliteReader(files.aggregator);
    try {
      for (const [eid, sent] of attests) {
        const [packets] = await relayerDb.all<{ n: number; guids: number; delivered: number }>(
          (t) =>
            // The relayer's own HEARTBEATs (message version 1, type 6) travel the same pathway; count the attestations.
            `SELECT count(*) AS n, count(DISTINCT guid) AS guids, sum(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS delivered FROM ${t('packet')} WHERE src_eid = ${eid} AND message NOT LIKE '0x0106%'`,
        );
        expect({ eid, n: Number(packets!.n), guids: Number(packets!.guids), delivered: Number(packets!.delivered) }).toEqual({
          eid,
          n: sent,
          guids: sent,
          delivered: sent,
        });
        const [deposits] = await aggregatorDb.all<{ n: number }>(
          (t) => `SELECT count(*) AS n FROM ${t('chain_event')} WHERE eid = ${eid} AND name = 'Deposited'`,
        );
        expect(Number(deposits!.n)).toBe(sent);
      }
      const [indexed] = await aggregatorDb.all<{ n: number }>(
        (t) => `SELECT count(*) AS n FROM ${t('chain_event')} WHERE name = 'AttestationApplied'`,
      );
      expect(Number(indexed!.n)).toBe(applied);
    } finally {
      if (!POSTGRES_URL) {
        await relayerDb.close();
        await aggregatorDb.close();
      }
    }
  }, 600_000);
});

function serialize(view: Map<string, string> | LedgerView): unknown {
  return view instanceof Map ? [...view.entries()] : [...view.collateral.entries()].map(([k, v]) => [k, v.sequence.toString()]);
}

/** Relayer: every packet in flight at the kill delivered. Aggregator: indexing moved past what it showed before. */
async function caughtUp(
  service: ServiceName,
  shown: Map<string, string> | LedgerView,
  view: (s: ServiceName) => Promise<Map<string, string> | LedgerView>,
  killedAt: number,
): Promise<number> {
  if (service === 'relayer') {
    const inFlight = [...(shown as Map<string, string>)].filter(([, status]) => status !== 'delivered').map(([guid]) => guid);
    await waitFor(
      'in-flight packets delivered after the restart',
      async () => {
        const now = (await view('relayer')) as Map<string, string>;
        return inFlight.every((guid) => now.get(guid) === 'delivered') ? true : undefined;
      },
      120_000,
      100,
    );
  } else {
    const before = (shown as LedgerView).indexed;
    await waitFor(
      'indexing to move past the pre-kill point',
      async () => {
        const now = ((await view('aggregator')) as LedgerView).indexed;
        return [...before].every(([eid, block]) => (now.get(eid) ?? -1) > block) ? true : undefined;
      },
      120_000,
      100,
    );
  }
  return Date.now() - killedAt;
}
