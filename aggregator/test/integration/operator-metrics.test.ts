import { writeFileSync } from 'node:fs';
import request from 'supertest';
import { parseEther, parseUnits, toQuantity } from 'ethers';
import { MSG_ATTEST } from '@tributary/contracts';
import { NativeBalanceMetrics } from '../../src/operator-metrics/native-balance-metrics';
import { OracleService } from '../../src/oracle/oracle.service';
import { RiskService } from '../../src/risk/risk.service';
import { startAggregator, type Aggregator } from '../support/aggregator';
import { USDC, startDevnet, type Devnet } from '../support/devnet';

/** Value of one series in a Prometheus text exposition (labels in prom-client's order); null when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | null {
  const selector = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${selector}} `));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The operator gauges over a real hub and vault: native balances to fund, chain weights that decay. */
describe('operator metrics (hardhat devnet)', () => {
  let net: Devnet;
  let agg: Aggregator;
  const liquidatorKey = '0x' + '42'.repeat(32);

  beforeAll(async () => {
    const base = process.env.DATABASE_URL ? 18942 : 18940;
    net = await startDevnet({ hub: base, vault: base + 1 });
    // A 1 s heartbeat and a long decay window: the vault chain starts to decay a second after its last message.
    const manifest = {
      ...net.manifest,
      chains: net.manifest.chains.map((c) => (c.role === 'collateral' ? { ...c, heartbeatSeconds: 1, decayWindowSeconds: 1000 } : c)),
    };
    const manifestPath = net.manifestPath.replace(/manifest\.json$/, 'manifest-operator.json');
    writeFileSync(manifestPath, JSON.stringify(manifest));
    agg = await startAggregator({
      MANIFEST_PATH: manifestPath,
      AGGREGATOR_PUSHER_PRIVATE_KEY: net.pusher.privateKey,
      AGGREGATOR_LIQUIDATOR_PRIVATE_KEY: liquidatorKey,
      ORACLE_POLL_MS: '0',
      RISK_TICK_MS: '0',
      CREDIT_PUSH_INTERVAL_MS: '0',
      LIQUIDATION_INTERVAL_MS: '0',
    });
  }, 120_000);

  afterAll(async () => {
    await agg?.close();
    await net?.stop();
  });

  const metrics = async () => (await request(agg.http).get('/metrics').expect(200)).text;

  it('exports the hub, vault, pusher and liquidator native balances and follows a change', async () => {
    const balances = agg.app.get(NativeBalanceMetrics);
    await balances.refresh();
    const hub = await net.hub.getAddress();
    const vault = await net.vault.getAddress();
    const liquidator = '0x' + '0'.repeat(40);
    let text = await metrics();
    expect(sample(text, 'tributary_aggregator_native_balance_wei', { chain: 'trading', role: 'hub', address: hub })).toBe(
      Number(await net.hubSide.provider.getBalance(hub)),
    );
    expect(sample(text, 'tributary_aggregator_native_balance_wei', { chain: 'collateral-a', role: 'vault', address: vault })).toBe(
      Number(parseEther('10')),
    );
    expect(sample(text, 'tributary_aggregator_native_balance_wei', { chain: 'trading', role: 'pusher', address: net.pusher.address })).toBe(
      Number(await net.hubSide.provider.getBalance(net.pusher.address)),
    );
    expect(text).toMatch(/tributary_aggregator_native_balance_wei\{chain="trading",role="liquidator",address="0x[0-9a-fA-F]{40}"\} 0\n/);
    expect(text).not.toContain(`address="${liquidator}"`);

    await net.hubSide.provider.send('hardhat_setBalance', [hub, toQuantity(parseEther('0.05'))]);
    await balances.refresh();
    text = await metrics();
    expect(sample(text, 'tributary_aggregator_native_balance_wei', { chain: 'trading', role: 'hub', address: hub })).toBe(5e16);
  });

  it("exports each collateral chain's live and configured weight, its heartbeat and its silence", async () => {
    const { alice, vault } = net;
    await (await vault.connect(alice).deposit(USDC, parseUnits('100', 6), alice.address, { value: await vault.quote(MSG_ATTEST) })).wait();
    await net.mine(net.vaultSide.provider);
    await net.toHub();
    await agg.indexer.syncAll();
    await agg.app.get(OracleService).poll();
    const risk = agg.app.get(RiskService);
    await risk.refresh();
    // Hardhat mines the deploy faster than 1 block/s, so block time runs ahead of the wall clock: wait until the
    // attestation's block is more than the 1 s heartbeat in the past.
    const attestedAt = Date.parse((await request(agg.http).get('/v1/risk/chains').expect(200)).body.chains[0].lastMessageAt);
    expect(attestedAt - Date.now()).toBeLessThan(60_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, attestedAt - Date.now()) + 2_500));
    await risk.refresh();

    const text = await metrics();
    const labels = { chain: 'collateral-a', eid: '40102' };
    const weight = sample(text, 'tributary_aggregator_chain_weight', labels)!;
    const silence = sample(text, 'tributary_aggregator_chain_silence_seconds', labels)!;
    expect(sample(text, 'tributary_aggregator_chain_weight_configured', labels)).toBe(1);
    expect(sample(text, 'tributary_aggregator_chain_heartbeat_seconds', labels)).toBe(1);
    expect(silence).toBeGreaterThanOrEqual(2);
    expect(silence).toBeLessThan(60);
    // Decaying (the alert's condition: weight < configured) but only by (silence − heartbeat) / window.
    expect(weight).toBeLessThan(1);
    expect(weight).toBeGreaterThan(1 - silence / 1000);
    const chains = (await request(agg.http).get('/v1/risk/chains').expect(200)).body.chains;
    expect(chains).toEqual([expect.objectContaining({ name: 'collateral-a', weight })]);
    expect(text).not.toMatch(/tributary_aggregator_chain_weight\{chain="trading"/);
  });
});
