import { ethers } from 'hardhat';
import { parseEther, parseUnits } from 'ethers';
import {
  configureHubAsset,
  configureSeizure,
  connectAuction,
  connectLiquidation,
  deployCollateralAuction,
  deployInsuranceFund,
  deployLiquidationRegistry,
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
  ensureNativeBalance,
  grantCreditRoles,
  grantDecider,
  listAsset,
  packCreditEntry,
  pushCredit,
  setVaultGuardian,
  wireDefaultPathway,
  type DeliveredPacket,
  type EndpointDeployment,
} from '../../lib';
import { RelayerWorker__factory } from '../../typechain-types';

export const EID_HUB = 40101;
export const EID_A = 40102;
export const EID_B = 40103;
export const USDC = 1;
export const WETH = 2;
export const CONFIRMATIONS = 1;
export const STALE_AFTER = 600;
export const MAX_PRICE_AGE = 3600;
export const GUARD_CAPACITY = parseEther('1000000');
export const GUARD_REFILL = parseEther('10');
export const WETH_RATE_CAPACITY = parseEther('100');
export const WETH_REFILL = parseEther('1');
export const DECISION_TIMEOUT = 600;
/** Maintenance weights (seizure order: lowest first) and the auctions' curve length. */
export const MAINT_WEIGHT: Record<number, bigint> = { [USDC]: parseEther('0.97'), [WETH]: parseEther('0.85') };
export const AUCTION_DURATION = 3600;
/** Taker fee of the WETH market: 0.05 % of notional. */
export const FEE_RATE = parseEther('0.0005');
/** Quote-token (trading-chain USDC) seed of the settlement pool. */
export const POOL_SEED = parseUnits('1000000', 6);
/** What the workers charge, priced as deploy prices them: gas at 1 gwei, verify ≈ 50k gas, commit + endpoint ≈ 150k. */
export const GAS_PRICE = 10n ** 9n;
export const DVN_FEE = 50_000n * GAS_PRICE;
export const EXECUTOR_FEE = 150_000n * GAS_PRICE;

/**
 * Three LayerZero endpoints on one Hardhat network (hub + two vault chains), real EndpointV2 + ULN302,
 * RelayerWorker as send-side DVN/executor, two required receive-side DVNs (signer 1, the relayer's `dvn`, and
 * signer 9, the independent `verifier`): a packet needs both. Deployed with the lib helpers. Workers charge
 * gas-priced fees; replies are prepaid through enforced options (`quoteWithdraw` is the round trip).
 * The trading chain's SettlementPool holds its own USDC (`quote`, distinct from the vaults' `usdc`), seeded
 * with POOL_SEED; `decider` holds the hub's DECIDER_ROLE.
 */
export async function deployProtocol() {
  const [deployer, dvn, pusher, alice, bob, liquidator, insurance, guardian, decider, verifier] = await ethers.getSigners();
  const endpoints: Record<number, EndpointDeployment> = {};
  for (const eid of [EID_HUB, EID_A, EID_B]) endpoints[eid] = await deployEndpoint(deployer, eid);
  for (const [local, remote] of [
    [EID_HUB, EID_A],
    [EID_A, EID_HUB],
    [EID_HUB, EID_B],
    [EID_B, EID_HUB],
  ]) {
    const worker = await new RelayerWorker__factory(deployer).deploy(deployer.address, [endpoints[local].sendUln302]);
    await worker.setDstConfig(remote, { enabled: true, dvnFee: DVN_FEE, executorFee: EXECUTOR_FEE });
    await worker.setDstPricing(remote, { gasPrice: GAS_PRICE, nativePriceRatio: 0n });
    const workerAddress = await worker.getAddress();
    await wireDefaultPathway(deployer, endpoints[local], {
      remoteEid: remote,
      confirmations: CONFIRMATIONS,
      sendDvns: [workerAddress],
      receiveDvns: [dvn.address, verifier.address],
      executor: workerAddress,
    });
  }

  const usdcFeed = await deployPriceFeed(deployer, { description: 'USDC / USD', price: parseUnits('1', 8) });
  const wethFeed = await deployPriceFeed(deployer, { description: 'ETH / USD', price: parseUnits('2000', 8) });
  const creditManager = await deployCreditManager(deployer, {
    staleAfterSeconds: STALE_AFTER,
    guardCapacity: GUARD_CAPACITY,
    guardRefillPerSecond: GUARD_REFILL,
  });
  const cmAddress = await creditManager.getAddress();
  const hub = await deployHub(deployer, {
    endpoint: endpoints[EID_HUB].endpoint,
    creditManager: cmAddress,
    maxPriceAgeSeconds: MAX_PRICE_AGE,
    decisionTimeoutSeconds: DECISION_TIMEOUT,
  });
  const quote = await deployTestToken(deployer, { name: 'USD Coin (trading chain)', symbol: 'USDC', decimals: 6 });
  const pool = await deploySettlementPool(deployer, { quoteToken: await quote.getAddress(), creditManager: cmAddress, hub: await hub.getAddress() });
  const poolAddress = await pool.getAddress();
  const market = await deployPerpMarket(deployer, { creditManager: cmAddress, settlementPool: poolAddress, maxPriceAgeSeconds: MAX_PRICE_AGE });
  await grantCreditRoles(creditManager, { pusher: pusher.address, market: await market.getAddress(), hub: await hub.getAddress() });
  await connectSettlementPool({ creditManager, pool, market: await market.getAddress() });
  await connectCreditToHub(creditManager, await hub.getAddress());
  await grantDecider(hub, decider.address);
  await market.listMarket(WETH, await wethFeed.getAddress(), parseEther('0.1'), parseEther('0.05'), FEE_RATE);
  await quote.mint(deployer.address, POOL_SEED);
  await quote.approve(poolAddress, POOL_SEED);
  await pool.fund(POOL_SEED);

  const usdc = await deployTestToken(deployer, { name: 'USD Coin', symbol: 'USDC', decimals: 6 });
  const weth = await deployTestToken(deployer, { name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 });
  const vaultA = await deployVault(deployer, { endpoint: endpoints[EID_A].endpoint, hubEid: EID_HUB });
  const vaultB = await deployVault(deployer, { endpoint: endpoints[EID_B].endpoint, hubEid: EID_HUB });
  await listAsset(vaultA, { assetId: USDC, token: await usdc.getAddress(), depositCap: parseUnits('10000000', 6) });
  await listAsset(vaultA, {
    assetId: WETH,
    token: await weth.getAddress(),
    depositCap: parseEther('10000'),
    rateCapacity: WETH_RATE_CAPACITY,
    refillPerSecond: WETH_REFILL,
  });
  await listAsset(vaultB, { assetId: WETH, token: await weth.getAddress(), depositCap: parseEther('10000') });
  for (const vault of [vaultA, vaultB]) await setVaultGuardian(vault, guardian.address);
  await configureHubAsset(hub, {
    assetId: USDC,
    feed: await usdcFeed.getAddress(),
    initWeight: parseEther('0.95'),
    chains: [{ eid: EID_A, decimals: 6 }],
  });
  await configureHubAsset(hub, {
    assetId: WETH,
    feed: await wethFeed.getAddress(),
    initWeight: parseEther('0.8'),
    chains: [
      { eid: EID_A, decimals: 18 },
      { eid: EID_B, decimals: 18 },
    ],
  });
  for (const [vault, eid] of [
    [vaultA, EID_A],
    [vaultB, EID_B],
  ] as const) {
    await connectVaultToHub({ hub, hubEid: EID_HUB, vault, vaultEid: eid });
    await ensureNativeBalance(deployer, await vault.getAddress(), parseEther('1'));
  }
  await ensureNativeBalance(deployer, await hub.getAddress(), parseEther('1'));

  // Liquidation: registry + insurance fund on the trading chain, an auction per vault chain selling for the vaults'
  // USDC (the collateral chains' quote token), proceeds swept to `insurance` as treasury. The deployer also holds
  // the pool's MARKET_ROLE and the registry's MARKET_ROLE so unit tests can write a debt and open a liquidation.
  const registry = await deployLiquidationRegistry(deployer, { creditManager: cmAddress });
  const fund = await deployInsuranceFund(deployer, { pool: poolAddress, registry: await registry.getAddress() });
  await connectLiquidation({ hub, market, pool, registry, fund: await fund.getAddress() });
  await pool.grantRole(await pool.MARKET_ROLE(), deployer.address);
  await registry.grantRole(await registry.MARKET_ROLE(), deployer.address);
  const auctions = [];
  for (const [vault, eid] of [
    [vaultA, EID_A],
    [vaultB, EID_B],
  ] as const) {
    const auction = await deployCollateralAuction(deployer, {
      vault: await vault.getAddress(),
      quoteToken: await usdc.getAddress(),
      treasury: insurance.address,
      maxPriceAgeSeconds: MAX_PRICE_AGE,
    });
    const assets = [{ assetId: WETH, token: await weth.getAddress(), feed: await wethFeed.getAddress() }];
    if (eid === EID_A) assets.push({ assetId: USDC, token: await usdc.getAddress(), feed: await usdcFeed.getAddress() });
    await connectAuction({ vault, auction, assets });
    const maintWeights = [USDC, WETH].map((assetId) => ({ assetId, weight: MAINT_WEIGHT[assetId] }));
    await configureSeizure(registry, { eid, auction: await auction.getAddress(), maintWeights });
    auctions.push(auction);
  }
  const [auctionA, auctionB] = auctions;

  for (const user of [alice, bob]) {
    await quote.mint(user.address, parseUnits('1000000', 6));
    await quote.connect(user).approve(poolAddress, ethers.MaxUint256);
    await usdc.mint(user.address, parseUnits('1000000', 6));
    await weth.mint(user.address, parseEther('1000'));
    for (const auction of auctions) await usdc.connect(user).approve(await auction.getAddress(), ethers.MaxUint256);
    for (const vault of [vaultA, vaultB]) {
      await usdc.connect(user).approve(await vault.getAddress(), ethers.MaxUint256);
      await weth.connect(user).approve(await vault.getAddress(), ethers.MaxUint256);
    }
  }

  const provider = ethers.provider;
  /** Delivers everything pending from `src` to `dst`. */
  async function deliver(src: number, dst: number): Promise<DeliveredPacket[]> {
    return deliverPending({
      source: { provider, endpoint: endpoints[src].endpoint },
      destination: { endpoint: endpoints[dst].endpoint, receiveUln302: endpoints[dst].receiveUln302 },
      dvnSigner: dvn,
      otherDvnSigners: [verifier],
    });
  }
  /** Delivers on every pathway until nothing is pending (replies included). */
  async function settle(): Promise<number> {
    let total = 0;
    for (let round = 0; round < 5; round++) {
      let n = 0;
      for (const [s, d] of [
        [EID_A, EID_HUB],
        [EID_B, EID_HUB],
        [EID_HUB, EID_A],
        [EID_HUB, EID_B],
      ])
        n += (await deliver(s, d)).length;
      total += n;
      if (n === 0) return total;
    }
    return total;
  }

  /** The aggregator's pusher: one `base` (= limit − cashAtPush) per account, with the next epoch. */
  async function push(...entries: [account: string, base: bigint, liquidatable?: boolean][]) {
    const epoch = (await creditManager.lastEpoch()) + 1n;
    const words = entries.map(([account, base, liquidatable]) => packCreditEntry(account, base, liquidatable ?? false));
    return (await pushCredit(creditManager.connect(pusher), epoch, words)).wait();
  }
  /** The aggregator's decider on the hub. */
  async function decide(eid: number, requestId: bigint, approve: boolean, reason = 0) {
    return hub.connect(decider).decideWithdrawal(eid, requestId, approve, reason);
  }

  return {
    push,
    decide,
    deployer,
    dvn,
    pusher,
    alice,
    bob,
    liquidator,
    insurance,
    guardian,
    decider,
    verifier,
    endpoints,
    usdc,
    weth,
    quote,
    usdcFeed,
    wethFeed,
    creditManager,
    hub,
    market,
    pool,
    vaultA,
    vaultB,
    registry,
    fund,
    auctionA,
    auctionB,
    deliver,
    settle,
  };
}

export type Protocol = Awaited<ReturnType<typeof deployProtocol>>;
