import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import {
  CollateralAuction__factory,
  CollateralVault__factory,
  LiquidationRegistry__factory,
  SettablePriceFeed__factory,
  StablePriceFeed__factory,
  CreditManager__factory,
  MSG_ATTEST,
  MSG_WITHDRAW_DECISION,
  MSG_WITHDRAW_REQUEST,
  DeliveryWorker__factory,
  MarginHub__factory,
  PerpMarket__factory,
  RelayerWorker__factory,
  SettlementPool__factory,
  TestERC20__factory,
  addressToBytes32,
  decodeLzReceiveOptions,
  devWallet,
  lzContract,
  encodeUlnConfig,
  lzReceiveOptions,
  sortAddresses,
  startHardhatNode,
  type LocalChain,
} from '@tributary/contracts';
import { parseManifest } from '@tributary/protocol';
import { parseDeployConfig } from '../src/config/schema';
import { InsufficientFundsError, makeProvider } from '../src/deploy/chain-session';
import { deploy } from '../src/deploy/deployer';
import { sidecarPath } from '../src/deploy/manifest-io';
import { deploymentStatus } from '../src/deploy/status';
import { DEVNET_CHAINS, devnetDeployConfig } from '../src/devnet/devnet-config';

// Real `hardhat node` processes (automine), LayerZero V2 from its shipped artifacts, our contracts.
const BASE_PORT = 18860;

describe('deploy against hardhat nodes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-it-'));
  const manifestPath = join(dir, 'manifest.json');
  const chains: LocalChain[] = [];
  const env = { DEPLOYER_PRIVATE_KEY: '' } as NodeJS.ProcessEnv;

  beforeAll(async () => {
    chains.push(...(await Promise.all(DEVNET_CHAINS.map((c, i) => startHardhatNode({ chainId: c.chainId, port: BASE_PORT + i })))));
  }, 90_000);
  afterAll(() => Promise.all(chains.map((c) => c.stop())));

  const config = () => parseDeployConfig(devnetDeployConfig({ rpcUrls: chains.map((c) => c.rpcUrl) }));

  it('deploys, wires and writes a valid manifest; a second run sends zero transactions', async () => {
    const first = await deploy({ config: config(), manifestPath, env });
    expect(Object.values(first.transactions).every((n) => n > 10)).toBe(true);
    const manifest = parseManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
    expect(manifest.chains.map((c) => c.eid)).toEqual([40101, 40102, 40103]);
    expect(JSON.parse(readFileSync(sidecarPath(manifestPath), 'utf8')).markets.map((m: { symbol: string }) => m.symbol)).toEqual(['WETH', 'WBTC']);

    expect(existsSync(join(dir, 'manifest.journal.json'))).toBe(false);

    const second = await deploy({ config: config(), manifestPath, env });
    expect(second.transactions).toEqual({ trading: 0, 'collateral-a': 0, 'collateral-b': 0 });
    expect(second.manifestChanged).toBe(false);
    expect(second.manifest).toEqual(first.manifest);
  });

  it('wires peers, libraries, the relayer as required DVN and enforced options on chain', async () => {
    const manifest = parseManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
    const [trading, a] = [manifest.chains[0]!, manifest.chains[1]!];
    const provider = makeProvider(a.rpcUrl, a.chainId);
    const hubProvider = makeProvider(trading.rpcUrl, trading.chainId);
    try {
      const vault = CollateralVault__factory.connect(a.contracts.vault!, provider);
      const hub = MarginHub__factory.connect(trading.contracts.hub!, hubProvider);
      expect(await vault.peers(trading.eid)).toBe(addressToBytes32(trading.contracts.hub!));
      expect(await hub.peers(a.eid)).toBe(addressToBytes32(a.contracts.vault!));
      const receiveUln = lzContract('ReceiveUln302', trading.layerZero.receiveUln302, devWallet(0, hubProvider));
      const uln = await receiveUln.getAppUlnConfig(trading.contracts.hub, a.eid);
      // Two required DVNs: the DeliveryWorker contracts of the relayer's key (dev account 1) and of the verifier's (dev account 20).
      expect(uln.requiredDVNs).toEqual(sortAddresses([trading.layerZero.deliveryWorker!, trading.layerZero.verifierDeliveryWorker!]));
      for (const [worker, owner] of [
        [trading.layerZero.deliveryWorker!, devWallet(1).address],
        [trading.layerZero.verifierDeliveryWorker!, devWallet(20).address],
      ]) {
        expect(await DeliveryWorker__factory.connect(worker, hubProvider).owner()).toBe(owner);
      }
      expect(trading.layerZero.verifierSigner).toBe(devWallet(20).address);
      expect(uln.requiredDVNCount).toBe(2n);
      expect(uln.optionalDVNCount).toBe(255n); // NIL: no optional DVNs (0 would mean the endpoint's defaults)
      expect(uln.confirmations).toBe(1n);
      // Send side: both workers are assigned (and paid) a DVN job per packet; the verifier owns its own.
      const sendUln = lzContract('SendUln302', a.layerZero.sendUln302, devWallet(0, provider));
      const send = await sendUln.getAppUlnConfig(a.contracts.vault, trading.eid);
      expect(send.requiredDVNs).toEqual(sortAddresses([a.layerZero.worker, a.layerZero.verifierWorker!]));
      expect(send.optionalDVNCount).toBe(255n);
      expect(await RelayerWorker__factory.connect(a.layerZero.verifierWorker!, provider).owner()).toBe(devWallet(20).address);
      expect((await RelayerWorker__factory.connect(a.layerZero.verifierWorker!, provider).dstConfigs(trading.eid)).enabled).toBe(true);
      const endpoint = lzContract('EndpointV2', a.layerZero.endpoint, devWallet(0, provider));
      expect(await endpoint.isDefaultSendLibrary(a.contracts.vault, trading.eid)).toBe(false);
      expect((await vault.enforcedOptions(trading.eid, MSG_ATTEST)).length).toBeGreaterThan(2);
    } finally {
      provider.destroy();
      hubProvider.destroy();
    }
  });

  it('deploys the SettlementPool on the trading chain: wired to the CreditManager and the market, seeded, decider and timeout set', async () => {
    const manifest = parseManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
    const trading = manifest.chains[0]!;
    const provider = makeProvider(trading.rpcUrl, trading.chainId);
    try {
      const { settlementPool, quoteToken, creditManager, perpMarket, hub } = trading.contracts;
      const pool = SettlementPool__factory.connect(settlementPool!, provider);
      expect(await pool.quoteToken()).toBe(quoteToken);
      expect(await CreditManager__factory.connect(creditManager!, provider).settlementPool()).toBe(settlementPool);
      expect(await pool.hasRole(await pool.MARKET_ROLE(), perpMarket!)).toBe(true);
      expect(await TestERC20__factory.connect(quoteToken!, provider).balanceOf(settlementPool!)).toBe(10_000_000n * 10n ** 6n);
      const hubContract = MarginHub__factory.connect(hub!, provider);
      expect(await hubContract.hasRole(await hubContract.DECIDER_ROLE(), devWallet(2).address)).toBe(true);
      expect(await hubContract.decisionTimeout()).toBe(60n);
      const perp = PerpMarket__factory.connect(perpMarket!, provider);
      const market = await perp.market(0);
      expect(market.feeRate).toBe(5n * 10n ** 14n);
      // Caps from the config (WETH is market 0), governed from the first value on.
      expect(await perp.openInterest(0)).toEqual([0n, 50_000n * 10n ** 18n, 5_000n * 10n ** 18n]);
      expect(await perp.exposureCap(market.assetId)).toBe(50_000_000n * 10n ** 18n);
      expect(await perp.paramGovernor()).toBe(trading.contracts.riskParameters);
      // The hub values collateral at p⁻ = min(p, s): a StablePriceFeed over each asset's oracle (δ 2 % per hour).
      for (const asset of manifest.assets) {
        const stable = StablePriceFeed__factory.connect((await hubContract.assetRisk(asset.assetId)).feed, provider);
        expect(await stable.source()).toBe(asset.priceFeed);
        expect([await stable.maxStep(), await stable.interval(), await stable.maxGap()]).toEqual([2n * 10n ** 16n, 3600n, 300n]);
        expect(await stable.paramGovernor()).toBe(trading.contracts.riskParameters); // δ and τ: kinds 14, 15
      }
      // The pusher is bounded: the hub's attested collateral caps credit; new credit ≤ 5 % of the vaults' value per hour.
      const cm = CreditManager__factory.connect(creditManager!, provider);
      expect(await cm.hub()).toBe(hub);
      expect(await cm.increaseGuard()).toEqual([57_500_000n * 10n ** 18n, (57_500_000n * 10n ** 18n) / 3600n]);
    } finally {
      provider.destroy();
    }
  });

  it('vaults: a guardian other than the owner, outflow limits on (5 % of each cap an hour), replies prepaid by the request', async () => {
    const manifest = parseManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
    const [trading, a] = [manifest.chains[0]!, manifest.chains[1]!];
    const provider = makeProvider(a.rpcUrl, a.chainId);
    const hubProvider = makeProvider(trading.rpcUrl, trading.chainId);
    try {
      const vault = CollateralVault__factory.connect(a.contracts.vault!, provider);
      expect(await vault.guardian()).toBe(devWallet(4).address);
      expect(await vault.owner()).toBe(devWallet(0).address);
      const usdc = a.assets.find((x) => x.assetId === 1)!;
      expect(await vault.outflowLimit(1)).toEqual([true, BigInt(usdc.depositCap) / 20n, BigInt(usdc.depositCap) / 20n / 3600n]);
      // Workers charge gas at 1 gwei; the request's quote covers the decision and the release attestation.
      const worker = RelayerWorker__factory.connect(a.layerZero.worker, provider);
      expect((await worker.dstPricing(trading.eid)).gasPrice).toBe(10n ** 9n);
      const hub = MarginHub__factory.connect(trading.contracts.hub!, hubProvider);
      const decision = decodeLzReceiveOptions(await hub.enforcedOptions(a.eid, MSG_WITHDRAW_DECISION));
      expect(decision.value).toBe(await vault.quote(MSG_ATTEST));
      const request = decodeLzReceiveOptions(await vault.enforcedOptions(trading.eid, MSG_WITHDRAW_REQUEST));
      expect(request.value).toBe(await hub.quote(a.eid, MSG_WITHDRAW_DECISION));
      expect(await vault.quoteWithdraw()).toBeGreaterThan(request.value);
    } finally {
      provider.destroy();
      hubProvider.destroy();
    }
  });

  it('collateral chains: a CollateralAuction per chain, its feeds at the oracle prices, test USDC quote, seizures wired both ways', async () => {
    const manifest = parseManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
    const sidecar = JSON.parse(readFileSync(sidecarPath(manifestPath), 'utf8'));
    const trading = manifest.chains[0]!;
    const hubProvider = makeProvider(trading.rpcUrl, trading.chainId);
    try {
      const registry = LiquidationRegistry__factory.connect(trading.contracts.liquidationRegistry!, hubProvider);
      for (const chain of manifest.chains.filter((c) => c.role === 'collateral')) {
        const provider = makeProvider(chain.rpcUrl, chain.chainId);
        try {
          const auctionAddress = chain.contracts.auction!;
          expect(auctionAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
          const auction = CollateralAuction__factory.connect(auctionAddress, provider);
          expect(await auction.vault()).toBe(chain.contracts.vault);
          expect(await CollateralVault__factory.connect(chain.contracts.vault!, provider).auction()).toBe(auctionAddress);
          expect(await registry.auctionOf(chain.eid)).toBe(auctionAddress);
          expect(await auction.treasury()).toBe(devWallet(0).address);
          // The breaker: the vaults' guardian resumes; β 0.3 over an hour, governed with the trading chain's delay.
          expect(await auction.guardian()).toBe(devWallet(4).address);
          expect([await auction.breakerDrop(), await auction.breakerWindow(), await auction.paramDelay()]).toEqual([3n * 10n ** 17n, 3600n, 60n]);
          const testTokens = sidecar.chains.find((c: { eid: number }) => c.eid === chain.eid).testTokens;
          expect(await auction.quoteToken()).toBe(testTokens.USDC);
          for (const asset of chain.assets) {
            const config = await auction.assetConfig(asset.assetId);
            expect(config.listed).toBe(true);
            expect(config.token).toBe(asset.token);
            const feed = SettablePriceFeed__factory.connect(config.feed, provider);
            const tradingFeed = SettablePriceFeed__factory.connect(manifest.assets.find((a) => a.assetId === asset.assetId)!.priceFeed!, hubProvider);
            expect((await feed.latestRoundData())[1]).toBe((await tradingFeed.latestRoundData())[1]);
            expect(await feed.owner()).toBe(devWallet(3).address); // the oracle key moves both
          }
        } finally {
          provider.destroy();
        }
      }
    } finally {
      hubProvider.destroy();
    }
  });

  it('repairs drift with exactly the writes needed, on the chain that drifted', async () => {
    const manifest = parseManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
    const b = manifest.chains[2]!;
    const provider = makeProvider(b.rpcUrl, b.chainId);
    try {
      const vault = CollateralVault__factory.connect(b.contracts.vault!, devWallet(0, provider));
      await (await vault.setEnforcedOptions([{ eid: 40101, msgType: MSG_ATTEST, options: lzReceiveOptions(50_000) }])).wait();
    } finally {
      provider.destroy();
    }
    const drifted = await deploymentStatus(manifestPath);
    expect(drifted.ok).toBe(false);
    expect(drifted.chains.find((c) => c.name === 'collateral-b')!.problems).toEqual(['toward trading: setEnforcedOptions needed (run deploy)']);
    expect(drifted.chains.filter((c) => c.problems.length === 0).map((c) => c.name)).toEqual(['trading', 'collateral-a']);

    const repaired = await deploy({ config: config(), manifestPath, env });
    expect(repaired.transactions).toEqual({ trading: 0, 'collateral-a': 0, 'collateral-b': 1 });
    expect((await deploymentStatus(manifestPath)).ok).toBe(true);
  });

  it("an app ULN config with optionalDVNCount 0 (the old value: the endpoint's default optional DVNs) is drift; deploy writes 255", async () => {
    const manifest = parseManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
    const [trading, a] = [manifest.chains[0]!, manifest.chains[1]!];
    const provider = makeProvider(a.rpcUrl, a.chainId);
    const receive = [devWallet(1).address, devWallet(20).address];
    try {
      // What earlier deploys wrote: the same DVNs, optionalDVNCount 0.
      const endpoint = lzContract('EndpointV2', a.layerZero.endpoint, devWallet(0, provider));
      await (
        await endpoint.setConfig(a.contracts.vault, a.layerZero.receiveUln302, [
          { eid: trading.eid, configType: 2, config: encodeUlnConfig(1, receive) },
        ])
      ).wait();
    } finally {
      provider.destroy();
    }
    const drifted = await deploymentStatus(manifestPath);
    expect(drifted.ok).toBe(false);
    const problems = drifted.chains.find((c) => c.name === 'collateral-a')!.problems;
    expect(problems).toContain('toward trading: setReceiveConfig needed (run deploy)');
    expect(
      problems.some((p) => p.startsWith("toward trading: receive ULN optionalDVNCount 0 → 255 (0 = the endpoint's default optional DVNs)")),
    ).toBe(true);

    const repaired = await deploy({ config: config(), manifestPath, env });
    expect(repaired.transactions).toEqual({ trading: 0, 'collateral-a': 1, 'collateral-b': 0 });
    expect((await deploymentStatus(manifestPath)).ok).toBe(true);
  });

  it('resumes a run that stopped before writing its manifest from the journal, without deploying again', async () => {
    const manifest = parseManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
    const sidecar = JSON.parse(readFileSync(sidecarPath(manifestPath), 'utf8')) as { chains: { eid: number; testTokens: Record<string, string> }[] };
    // What a crashed first run would have journaled: every deployment and each chain's start block.
    const journal: Record<string, string> = {};
    for (const chain of manifest.chains) {
      const put = (label: string, value: string | number | undefined) => value !== undefined && (journal[`${chain.eid}:${label}`] = String(value));
      put('startBlock', chain.startBlock);
      put('EndpointV2', chain.layerZero.endpoint);
      put('SendUln302', chain.layerZero.sendUln302);
      put('ReceiveUln302', chain.layerZero.receiveUln302);
      put('RelayerWorker', chain.layerZero.worker);
      put('VerifierWorker', chain.layerZero.verifierWorker);
      put('DeliveryWorker', chain.layerZero.deliveryWorker);
      put('VerifierDeliveryWorker', chain.layerZero.verifierDeliveryWorker);
      put('CreditManager', chain.contracts.creditManager);
      put('MarginHub', chain.contracts.hub);
      put('PerpMarket', chain.contracts.perpMarket);
      put('SettlementPool', chain.contracts.settlementPool);
      put('LiquidationRegistry', chain.contracts.liquidationRegistry);
      put('InsuranceFund', chain.contracts.insuranceFund);
      put('CollateralVault', chain.contracts.vault);
      put('RiskParameters', chain.contracts.riskParameters);
      put('CollateralAuction', chain.contracts.auction);
      for (const [symbol, token] of Object.entries(sidecar.chains.find((c) => c.eid === chain.eid)!.testTokens)) put(`test token ${symbol}`, token);
      if (chain.role === 'trading') for (const asset of manifest.assets) put(`${asset.symbol}/USD price feed`, asset.priceFeed);
    }
    const resumedPath = join(dir, 'resumed.json');
    writeFileSync(join(dir, 'resumed.journal.json'), JSON.stringify(journal));
    const resumed = await deploy({ config: config(), manifestPath: resumedPath, env });
    expect(resumed.transactions).toEqual({ trading: 0, 'collateral-a': 0, 'collateral-b': 0 });
    expect(resumed.manifest).toEqual(manifest);
    expect(existsSync(join(dir, 'resumed.journal.json'))).toBe(false);
  });

  it('refuses to start with an unfunded deployer key, naming the chain and the address only', async () => {
    const empty = Wallet.createRandom();
    const promise = deploy({ config: config(), manifestPath: join(dir, 'other.json'), env: { DEPLOYER_PRIVATE_KEY: empty.privateKey } });
    await expect(promise).rejects.toBeInstanceOf(InsufficientFundsError);
    await expect(promise).rejects.toThrow(`chain "trading": deployer ${empty.address} has 0.0 native`);
    await expect(promise).rejects.not.toThrow(empty.privateKey.slice(2));
  });
});
