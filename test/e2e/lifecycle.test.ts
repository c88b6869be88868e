import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MaxUint256, parseUnits } from 'ethers';
import { startHardhatNode, type LocalChain } from '@tributary/contracts';
import { parseManifest } from '@tributary/protocol';
import { devnetExtraChain, startDevnet, type Devnet } from '@tributary/deploy';
import { Deployment, getJson, waitFor, type AccountView } from '../support/harness';

// The whole system as processes: 3 hardhat nodes, the relayer (our DVN + executor over real EndpointV2 +
// ULN302) and the aggregator (sql.js), deployed by the deploy package exactly as `npm start` does.
const cli = resolve(__dirname, '..', '..', 'deploy', 'dist', 'cli.js');
const PORTS = { chain: 18820, extraChain: 18823, aggregator: 18830, relayer: 18831 };
const TRADER = 10;
const RequestStatus = { Pending: 1n, Released: 2n, Rejected: 3n } as const;

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
  let trader: string;
  const extraChains: LocalChain[] = [];

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
    d = new Deployment(devnet.manifest);
    trader = await d.wallet(TRADER, d.trading).getAddress();
  }, 180_000);

  afterAll(async () => {
    d?.close();
    await devnet?.stop();
    await Promise.all(extraChains.map((c) => c.stop()));
  });

  const account = () => getJson<AccountView>(`${devnet.urls.aggregator}/v1/accounts/${trader}`);

  it('a deposit of USDC on chain A and of WETH on chain B reach the hub through the relayer, and the ledger API shows both', async () => {
    const a = d.chain('collateral-a');
    const b = d.chain('collateral-b');
    await d.deposit(a, d.wallet(TRADER, a), 'USDC', '10000');
    await d.deposit(b, d.wallet(TRADER, b), 'WETH', '5');

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
    const requestId = await d.requestWithdraw(a, signer, 'USDC', '100');
    const vault = d.vault(a, signer);
    await waitFor('the withdrawal to be released on chain A', async () => ((await vault.withdrawalRequest(requestId)).status === RequestStatus.Released ? true : undefined));
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

  it('add-chain on the running devnet: a new vault chain is wired both ways and its deposits reach the hub and the ledger', async () => {
    const chainId = 31340;
    const eid = 40104;
    // The new chain automines while add-chain deploys (keeps the test short), then makes 1 s blocks like the others.
    const node = await startHardhatNode({ chainId, port: PORTS.extraChain });
    extraChains.push(node);
    const chainFile = join(dir, 'collateral-c.json');
    writeFileSync(chainFile, JSON.stringify(devnetExtraChain({ name: 'collateral-c', chainId, eid, rpcUrl: node.rpcUrl })));

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
    } finally {
      extended.close();
    }
  });
});
