import { devWallet } from '@tributary/contracts';
import type { Devnet } from '@tributary/deploy';
import { assertConserved, snapshot, type Snapshot } from './conservation';
import { aggregatorApiView, relayerApiView } from './crash-probe';
import { getJson, waitFor, type Deployment } from './harness';
import type { ReorgResult } from './soak-chaos';
import type { AttestationTracker } from './soak-tracker';

export interface Check {
  name: string;
  /** The figure printed beside the name. */
  figure: string;
  ok: boolean;
  detail?: string[];
}

interface ReconciliationView {
  enabled: boolean;
  report: { ranAt: string; checked: number; ok: boolean; differences: unknown[]; inFlight: unknown[] } | null;
}

const first = (list: string[], n = 5) => (list.length ? list.slice(0, n) : undefined);

/** The soak's end checks, each with its figure; run after the load drained and the chaos stopped. */
export async function endChecks(params: {
  devnet: Devnet;
  d: Deployment;
  tracker: AttestationTracker;
  start: Snapshot;
  reorg?: ReorgResult;
  relayerApiKey: string;
  drainedAt: number;
}): Promise<Check[]> {
  const { devnet, d, tracker } = params;
  await tracker.poll(true);
  const checks: Check[] = [];
  const lost = tracker.lost();
  checks.push({ name: 'attestations lost', figure: `${lost.length} of ${tracker.sent.size}`, ok: lost.length === 0, detail: first(lost) });
  const twice = [...tracker.doubled(), ...tracker.phantom().map((k) => `${k} delivered, not on the canonical vault chain`)];
  checks.push({ name: 'applied twice (or not canonical)', figure: String(twice.length), ok: twice.length === 0, detail: first(twice) });

  // Ledger (every aggregator replica's API) = hub attestation = vault custody, per account/chain/asset.
  const rows = new Map<string, { account: string; eid: number; assetId: number }>();
  for (const key of tracker.sent.keys()) {
    const [account, eid, assetId] = key.split('/');
    rows.set(`${account}/${eid}/${assetId}`, { account: account!, eid: Number(eid), assetId: Number(assetId) });
  }
  const accounts = [...new Set([...rows.values()].map((r) => r.account))];
  const ledgers = await Promise.all(devnet.urls.aggregators.map((url) => aggregatorApiView(url, accounts)));
  const hub = d.hub();
  const mismatches: string[] = [];
  for (const [key, row] of rows) {
    const chain = d.manifest.chains.find((c) => c.eid === row.eid)!;
    const vault = d.vault(chain, devWallet(0, d.providers.get(row.eid)!));
    const held = await vault.balanceOf(row.account, row.assetId);
    const custody = held.free + held.locked;
    const attested = (await hub.attestation(row.account, row.eid, row.assetId)).balance;
    const shown = ledgers.map((l) => l.collateral.get(key)?.balance);
    if (attested !== custody || shown.some((b) => b !== custody))
      mismatches.push(`${key}: vault ${custody}, hub ${attested}, ledger ${shown.map((b) => b ?? 'none').join(' / ')}`);
  }
  checks.push({
    name: 'ledger = hub = vaults',
    figure: `${rows.size - mismatches.length}/${rows.size} rows on ${ledgers.length} replicas`,
    ok: mismatches.length === 0 && rows.size > 0,
    detail: first(mismatches),
  });

  if (params.reorg) {
    const r = params.reorg;
    const chain = d.chain(r.chain);
    const attested = (await hub.attestation(r.trader, chain.eid, d.assetId('USDC'))).balance;
    checks.push({
      name: 'reorg: reverted deposit never delivered',
      figure: `hub ${attested} (reverted ${r.reverted}, kept ${r.kept}; tip held ${r.seenUnconfirmedMs} ms)`,
      ok: attested === r.kept,
    });
  }

  // Reconciliation: a report run after the drain, on every replica.
  const reports = await Promise.all(
    devnet.urls.aggregators.map((url) =>
      waitFor(
        `a reconciliation report after the drain at ${url}`,
        async () => {
          const view = await getJson<ReconciliationView>(`${url}/v1/reconciliation`);
          return view.report && Date.parse(view.report.ranAt) > params.drainedAt ? view.report : undefined;
        },
        150_000,
        2000,
      ).catch((error: Error) => ({ ranAt: '', checked: 0, ok: false, differences: [error.message], inFlight: [] })),
    ),
  );
  checks.push({
    name: 'reconciliation ok',
    figure: reports
      .map((r) => `${r.ok ? 'ok' : 'NOT ok'} (${r.checked} checked, ${r.differences.length} differences, ${r.inFlight.length} in flight)`)
      .join(' / '),
    ok: reports.every((r) => r.ok),
    detail: first(reports.flatMap((r) => r.differences.map((x) => JSON.stringify(x)))),
  });

  const packets = await relayerApiView(devnet.urls.relayer, params.relayerApiKey);
  const parked = [...packets].filter(([, status]) => status === 'parked').map(([guid]) => guid);
  checks.push({ name: 'parked packets', figure: `${parked.length} of ${packets.size}`, ok: parked.length === 0, detail: first(parked) });

  checks.push(await creditCheck(devnet, d, accounts));

  const end = await snapshot(devnet, d, 'soak end');
  let conserved: string | undefined;
  try {
    assertConserved(end, params.start);
  } catch (error) {
    conserved = (error as Error).message;
  }
  const supplies = [...end.supply.values()].length;
  checks.push({
    name: 'tokens conserved',
    figure: `${supplies} tokens on ${d.manifest.chains.length} chains`,
    ok: !conserved,
    detail: conserved ? [conserved] : undefined,
  });
  return checks;
}

/**
 * Pushed credit = the engine's: for each account, the CreditManager's pushed limit (base + the pool's cash now)
 * against the risk engine's credit limit, within the pusher's hysteresis (1 % or 1 USD, whichever is larger).
 */
async function creditCheck(devnet: Devnet, d: Deployment, accounts: string[]): Promise<Check> {
  const leader = await waitFor(
    'the credit leader with nothing pending',
    async () => {
      for (const url of devnet.urls.aggregators) {
        const s = await getJson<{ leader: boolean; pendingAccounts: number; deferredIncreases: number }>(`${url}/v1/credit/status`).catch(
          () => undefined,
        );
        if (s?.leader && s.pendingAccounts === 0) return url;
      }
      return undefined;
    },
    120_000,
    1000,
  ).catch(() => devnet.urls.aggregator);
  const cm = d.creditManager();
  const pool = d.pool();
  const worst: { account: string; diff: number; pushed: number; engine: number }[] = [];
  for (const account of accounts) {
    const risk = await getJson<{ result: { creditLimit: number } }>(`${leader}/v1/accounts/${account}/risk`).catch(() => undefined);
    if (!risk) continue;
    const [pushedBase, cash] = await Promise.all([cm.account(account).then((a) => a.limit), pool.cashOf(account)]);
    const pushed = Number(pushedBase + cash) / 1e18;
    const engine = risk.result.creditLimit;
    worst.push({ account, diff: Math.abs(pushed - engine) - Math.max(0.01 * Math.abs(engine), 1), pushed, engine });
  }
  worst.sort((a, b) => b.diff - a.diff);
  const off = worst.filter((w) => w.diff > 1e-6);
  const largest = worst[0] ? Math.abs(worst[0].pushed - worst[0].engine) : 0;
  return {
    name: 'pushed credit = engine credit (± hysteresis)',
    figure: `${worst.length - off.length}/${worst.length} accounts; largest gap ${largest.toFixed(2)} USD`,
    ok: off.length === 0 && worst.length > 0,
    detail: first(off.map((w) => `${w.account}: pushed ${w.pushed.toFixed(2)}, engine ${w.engine.toFixed(2)}`)),
  };
}
