import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUnits } from 'ethers';
import { devWallet } from '@tributary/contracts';
import { deploymentStatus, startDevnet, type Devnet } from '@tributary/deploy';
import { Deployment, waitFor } from '../support/harness';

// The devnet with its two required DVNs as processes: the relayer (DVN + executor) and the independent verifier
// (own process, key, store). With the verifier stopped a deposit is verified by the relayer alone and never
// committed nor executed; once the verifier runs again, it reaches the hub.
const PORTS = { chain: 19890, aggregator: 19900, relayer: 19901, verifier: 19902 };
const TRADER = 14;

describe('two required DVNs on the devnet: relayer and independent verifier', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-dvns-'));
  let devnet: Devnet;
  let d: Deployment;

  beforeAll(async () => {
    devnet = await startDevnet({
      dir,
      chainPort: PORTS.chain,
      aggregatorPort: PORTS.aggregator,
      relayerPort: PORTS.relayer,
      verifierPort: PORTS.verifier,
      blockTimeMs: 1000,
      simulatePrices: false,
      log: () => undefined,
    });
    d = new Deployment(devnet.manifest);
  }, 180_000);

  afterAll(async () => {
    d?.close();
    await devnet?.stop();
  });

  const packets = async (status: string) => {
    const key = readFileSync(join(dir, 'relayer-api-key'), 'utf8');
    const response = await fetch(`${devnet.urls.relayer}/v1/packets?status=${status}`, { headers: { 'x-api-key': key } });
    return ((await response.json()) as { items: { guid: string; srcTxHash: string }[] }).items;
  };
  const attested = async (symbol: string) =>
    (await d.hub().attestation(devWallet(TRADER).address, d.chain('collateral-a').eid, d.assetId(symbol))).balance;

  it('deploys both DVNs on every pathway (no drift) and runs the verifier with its own key and store', async () => {
    for (const chain of devnet.manifest.chains) {
      expect(chain.layerZero.verifierWorker).toMatch(/^0x[0-9a-fA-F]{40}$/);
      expect(chain.layerZero.verifierSigner).not.toBe(chain.layerZero.dvnSigner);
      // The receive-side DVNs are the two operators' DeliveryWorker contracts.
      expect(chain.layerZero.deliveryWorker).toMatch(/^0x[0-9a-fA-F]{40}$/);
      expect(chain.layerZero.verifierDeliveryWorker).toMatch(/^0x[0-9a-fA-F]{40}$/);
      expect(chain.layerZero.verifierDeliveryWorker).not.toBe(chain.layerZero.deliveryWorker);
    }
    const status = await deploymentStatus(devnet.manifestPath);
    expect(status.chains.flatMap((c) => c.problems)).toEqual([]);
    expect(status.services.find((s) => s.name === 'verifier')?.healthy).toBe(true);
    expect(readFileSync(join(dir, 'verifier.sqlite')).length).toBeGreaterThan(0);
    const metrics = await (await fetch(`${devnet.urls.verifier}/metrics`)).text();
    expect(metrics).toMatch(/tributary_verifier_scanned_block\{chain="TRADING",stage="watch"\}/);
  });

  it('with the verifier stopped a deposit is verified by the relayer only and not delivered; after the verifier starts, it is', async () => {
    const a = d.chain('collateral-a');
    const trader = d.wallet(TRADER, a);
    const before = await attested('USDC');
    await devnet.services.verifier.stop();
    const receipt = await d.deposit(a, trader, 'USDC', '1000');
    const waiting = await waitFor('the relayer to verify and wait for the other DVN', async () => {
      const rows = await packets('committing');
      return rows.find((p) => p.srcTxHash === receipt.hash);
    });
    // Several blocks later: still not committed, nothing executed at the hub.
    await new Promise((r) => setTimeout(r, 6_000));
    expect((await packets('committing')).map((p) => p.guid)).toContain(waiting.guid);
    expect(await attested('USDC')).toBe(before);

    await devnet.services.verifier.start();
    await waitFor('the deposit to reach the hub once the verifier verified', async () =>
      (await attested('USDC')) === before + parseUnits('1000', 6) ? true : undefined,
    );
    // Its verification went in a DeliveryWorker batch which, landing second, also committed and executed: the hub can
    // have the deposit before the verifier has read the batch's receipt.
    const mined = /tributary_verifier_transactions_total\{chain="TRADING",action="deliver",result="mined"\} [1-9]/;
    const metrics = await waitFor('the verifier to count its batch mined', async () => {
      const text = await getText(`${devnet.urls.verifier}/metrics`);
      return mined.test(text) ? text : undefined;
    });
    expect(metrics).not.toMatch(/tributary_verifier_forged_verifications_total\{/);
  });
});

async function getText(url: string): Promise<string> {
  return (await fetch(url)).text();
}
