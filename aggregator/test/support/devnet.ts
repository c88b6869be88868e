import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, MaxUint256, parseEther, parseUnits, type HDNodeWallet } from 'ethers';
import {
  RelayerWorker__factory,
  configureHubAsset,
  connectCreditToHub,
  connectSettlementPool,
  connectVaultToHub,
  deliverPending,
  deployCreditManager,
  deployEndpoint,
  deployHub,
  deployPerpMarket,
  deployPriceFeed,
  deploySettlementPool,
  deployTestToken,
  deployVault,
  devWallet,
  ensureNativeBalance,
  grantCreditRoles,
  grantDecider,
  listAsset,
  startHardhatNode,
  wireDefaultPathway,
  type EndpointDeployment,
  type LocalChain,
} from '@tributary/contracts';
import type { ManifestInput } from '@tributary/protocol';

export const HUB_EID = 40101;
export const VAULT_EID = 40102;
export const USDC = 1;
export const WETH = 2;

interface ChainSide {
  chain: LocalChain;
  provider: JsonRpcProvider;
  endpoint: EndpointDeployment;
  deployer: HDNodeWallet;
  dvn: HDNodeWallet;
}

function provider(url: string): JsonRpcProvider {
  const p = new JsonRpcProvider(url, undefined, { cacheTimeout: -1, staticNetwork: true });
  p.pollingInterval = 50;
  return p;
}

async function side(chainId: number, port: number, eid: number): Promise<ChainSide> {
  const chain = await startHardhatNode({ chainId, port });
  const p = provider(chain.rpcUrl);
  const deployer = devWallet(0, p);
  return { chain, provider: p, deployer, dvn: devWallet(1, p), endpoint: await deployEndpoint(deployer, eid) };
}

/**
 * Two `hardhat node` processes: the trading chain (CreditManager, MarginHub, SettlementPool with its quote token
 * QUSD, PerpMarket without taker fees; the decider is dev account 6) and one collateral
 * chain (CollateralVault with USDC and WETH), real EndpointV2 + ULN302 both ways, and a deployment manifest.
 * Packets are delivered in-test with `deliverPending` (DVN + executor).
 */
export async function startDevnet(ports: { hub: number; vault: number }) {
  const [hubSide, vaultSide] = await Promise.all([side(41001, ports.hub, HUB_EID), side(41002, ports.vault, VAULT_EID)]);
  for (const [local, remote] of [
    [hubSide, VAULT_EID],
    [vaultSide, HUB_EID],
  ] as const) {
    const worker = await new RelayerWorker__factory(local.deployer).deploy(local.deployer.address, [local.endpoint.sendUln302]);
    await worker.waitForDeployment();
    await (await worker.setDstConfig(remote, { enabled: true, dvnFee: 1000n, executorFee: 2000n })).wait();
    const workerAddress = await worker.getAddress();
    await wireDefaultPathway(local.deployer, local.endpoint, {
      remoteEid: remote,
      confirmations: 1,
      sendDvns: [workerAddress],
      receiveDvns: [local.dvn.address],
      executor: workerAddress,
    });
  }

  const hp = hubSide.provider;
  const deployer = hubSide.deployer;
  const pusher = devWallet(2, hp);
  const decider = devWallet(6, hp);
  const alice = devWallet(3, vaultSide.provider);
  const bob = devWallet(4, vaultSide.provider);
  const hubStart = await hp.getBlockNumber();
  const vaultStart = await vaultSide.provider.getBlockNumber();

  const usdcFeed = await deployPriceFeed(deployer, { description: 'USDC / USD', price: parseUnits('1', 8) });
  const wethFeed = await deployPriceFeed(deployer, { description: 'ETH / USD', price: parseUnits('2000', 8) });
  const creditManager = await deployCreditManager(deployer, {
    staleAfterSeconds: 3600,
    guardCapacity: parseEther('10000000'),
    guardRefillPerSecond: parseEther('1000'),
  });
  const hub = await deployHub(deployer, {
    endpoint: hubSide.endpoint.endpoint,
    creditManager: await creditManager.getAddress(),
    maxPriceAgeSeconds: 86400,
  });
  const quoteToken = await deployTestToken(deployer, { name: 'Quote USD', symbol: 'QUSD', decimals: 6 });
  const pool = await deploySettlementPool(deployer, {
    quoteToken: await quoteToken.getAddress(),
    creditManager: await creditManager.getAddress(),
    hub: await hub.getAddress(),
  });
  const market = await deployPerpMarket(deployer, {
    creditManager: await creditManager.getAddress(),
    settlementPool: await pool.getAddress(),
    maxPriceAgeSeconds: 86400,
  });
  await grantCreditRoles(creditManager, { pusher: pusher.address, market: await market.getAddress(), hub: await hub.getAddress() });
  await connectSettlementPool({ creditManager, pool, market: await market.getAddress() });
  await connectCreditToHub(creditManager, await hub.getAddress());
  await grantDecider(hub, decider.address);
  await (await market.listMarket(WETH, await wethFeed.getAddress(), parseEther('0.1'), parseEther('0.05'), 0)).wait();
  // Pool seed, and quote tokens for the traders on the trading chain (repayments).
  await (await quoteToken.mint(deployer.address, parseUnits('1000000', 6))).wait();
  await (await quoteToken.approve(await pool.getAddress(), MaxUint256)).wait();
  await (await pool.fund(parseUnits('100000', 6))).wait();

  const vd = vaultSide.deployer;
  const usdc = await deployTestToken(vd, { name: 'USD Coin', symbol: 'USDC', decimals: 6 });
  const weth = await deployTestToken(vd, { name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 });
  const vault = await deployVault(vd, { endpoint: vaultSide.endpoint.endpoint, hubEid: HUB_EID });
  await listAsset(vault, { assetId: USDC, token: await usdc.getAddress(), depositCap: parseUnits('100000000', 6) });
  await listAsset(vault, { assetId: WETH, token: await weth.getAddress(), depositCap: parseEther('100000') });
  await configureHubAsset(hub, {
    assetId: USDC,
    feed: await usdcFeed.getAddress(),
    initWeight: parseEther('0.95'),
    chains: [{ eid: VAULT_EID, decimals: 6 }],
  });
  await configureHubAsset(hub, {
    assetId: WETH,
    feed: await wethFeed.getAddress(),
    initWeight: parseEther('0.8'),
    chains: [{ eid: VAULT_EID, decimals: 18 }],
  });
  await connectVaultToHub({ hub, hubEid: HUB_EID, vault, vaultEid: VAULT_EID });
  await ensureNativeBalance(vd, await vault.getAddress(), parseEther('10'));
  await ensureNativeBalance(deployer, await hub.getAddress(), parseEther('10'));
  for (const user of [alice, bob]) {
    await (await usdc.connect(vd).mint(user.address, parseUnits('1000000', 6))).wait();
    await (await weth.connect(vd).mint(user.address, parseEther('1000'))).wait();
    await (await usdc.connect(user).approve(await vault.getAddress(), MaxUint256)).wait();
    await (await weth.connect(user).approve(await vault.getAddress(), MaxUint256)).wait();
  }

  const manifest: ManifestInput = {
    version: 1,
    assets: [
      { assetId: USDC, symbol: 'USDC', weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001, priceFeed: await usdcFeed.getAddress() },
      { assetId: WETH, symbol: 'WETH', weightInit: 0.8, weightMaint: 0.85, imf: 0.0001, volatility: 0.04, priceFeed: await wethFeed.getAddress() },
    ],
    chains: [
      {
        name: 'trading',
        chainId: 41001,
        eid: HUB_EID,
        rpcUrl: hubSide.chain.rpcUrl,
        role: 'trading',
        confirmations: 0,
        startBlock: hubStart,
        layerZero: { ...lz(hubSide), worker: deployer.address, dvnSigner: hubSide.dvn.address },
        contracts: {
          hub: await hub.getAddress(),
          creditManager: await creditManager.getAddress(),
          perpMarket: await market.getAddress(),
          settlementPool: await pool.getAddress(),
          quoteToken: await quoteToken.getAddress(),
        },
      },
      {
        name: 'collateral-a',
        chainId: 41002,
        eid: VAULT_EID,
        rpcUrl: vaultSide.chain.rpcUrl,
        role: 'collateral',
        confirmations: 1,
        startBlock: vaultStart,
        layerZero: { ...lz(vaultSide), worker: vd.address, dvnSigner: vaultSide.dvn.address },
        contracts: { vault: await vault.getAddress() },
        assets: [
          { assetId: USDC, token: await usdc.getAddress(), decimals: 6, depositCap: '100000000000000' },
          { assetId: WETH, token: await weth.getAddress(), decimals: 18, depositCap: '100000000000000000000000' },
        ],
      },
    ],
  };
  const manifestPath = join(mkdtempSync(join(tmpdir(), 'agg-devnet-')), 'manifest.json');
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));

  const deliver = (from: ChainSide, to: ChainSide) =>
    deliverPending({
      source: { provider: from.provider, endpoint: from.endpoint.endpoint },
      destination: { endpoint: to.endpoint.endpoint, receiveUln302: to.endpoint.receiveUln302 },
      dvnSigner: to.dvn,
    });

  return {
    hubSide,
    vaultSide,
    manifest,
    manifestPath,
    pusher,
    decider,
    alice,
    bob,
    hub,
    creditManager,
    market,
    pool,
    quoteToken,
    vault,
    usdc,
    weth,
    wethFeed,
    /** Delivers every pending vault → hub packet. */
    toHub: () => deliver(vaultSide, hubSide),
    /** Delivers every pending hub → vault packet. */
    toVault: () => deliver(hubSide, vaultSide),
    /** Delivers both ways until nothing is pending (replies included). */
    async settle(): Promise<number> {
      let total = 0;
      for (let round = 0; round < 6; round++) {
        const n = (await deliver(vaultSide, hubSide)).length + (await deliver(hubSide, vaultSide)).length;
        total += n;
        if (n === 0) break;
      }
      return total;
    },
    mine: (p: JsonRpcProvider, blocks = 1) => p.send('hardhat_mine', [`0x${blocks.toString(16)}`]),
    async stop(): Promise<void> {
      hubSide.provider.destroy();
      vaultSide.provider.destroy();
      await Promise.all([hubSide.chain.stop(), vaultSide.chain.stop()]);
    },
  };
}

function lz(s: ChainSide) {
  return { endpoint: s.endpoint.endpoint, sendUln302: s.endpoint.sendUln302, receiveUln302: s.endpoint.receiveUln302 };
}

export type Devnet = Awaited<ReturnType<typeof startDevnet>>;
export { MaxUint256 };
