import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, MaxUint256, parseEther, parseUnits, type HDNodeWallet } from 'ethers';
import {
  CollateralValueStub__factory,
  connectCreditToHub,
  connectSettlementPool,
  deployCreditManager,
  deployLiquidationRegistry,
  deployPerpMarket,
  deployPriceFeed,
  deploySettlementPool,
  deployTestToken,
  devWallet,
  grantCreditRoles,
  startHardhatNode,
} from '@tributary/contracts';
import type { ManifestInput } from '@tributary/protocol';

export const WETH = 2;
const DUMMY = '0x000000000000000000000000000000000000dEaD';

/**
 * One `hardhat node` (trading chain) with a CreditManager, a PerpMarket (WETH market 0, imr 10 %, mmr 5 %) and
 * its feed, the pusher (dev account 2) and a rival pusher (dev account 5) holding PUSHER_ROLE, and a manifest
 * naming them (no vaults: the credit tests drive the risk side with a fake RiskReader). With no hub, the chain's
 * view of collateral is a stub giving every dev account a billion USD (so the pushed limits are what binds), and
 * the market's conservative-health override is lifted (marks alone decide, as the watch under test assumes; the
 * contracts' own tests cover the override).
 */
export async function startCreditChain(
  port: number,
  guard: { capacity: bigint; refillPerSecond: bigint } = { capacity: parseEther('10000000'), refillPerSecond: parseEther('100000') },
) {
  const chainId = 41000 + (port % 1000);
  const chain = await startHardhatNode({ chainId, port });
  const provider = new JsonRpcProvider(chain.rpcUrl, undefined, { cacheTimeout: -1, staticNetwork: true });
  provider.pollingInterval = 50;
  const deployer = devWallet(0, provider);
  const pusher = devWallet(2, provider);
  const rival = devWallet(5, provider);
  const startBlock = await provider.getBlockNumber();
  const creditManager = await deployCreditManager(deployer, {
    staleAfterSeconds: 3600,
    guardCapacity: guard.capacity,
    guardRefillPerSecond: guard.refillPerSecond,
  });
  const quote = await deployTestToken(deployer, { name: 'USD Coin', symbol: 'USDC', decimals: 6 });
  const pool = await deploySettlementPool(deployer, {
    quoteToken: await quote.getAddress(),
    creditManager: await creditManager.getAddress(),
    hub: DUMMY,
  });
  const market = await deployPerpMarket(deployer, {
    creditManager: await creditManager.getAddress(),
    settlementPool: await pool.getAddress(),
    maxPriceAgeSeconds: 86400,
  });
  await connectSettlementPool({ creditManager, pool, market: await market.getAddress() });
  const collateral = await new CollateralValueStub__factory(deployer).deploy();
  await collateral.waitForDeployment();
  for (let i = 0; i < 20; i++) await (await collateral.set(devWallet(i).address, parseEther('1000000000'))).wait();
  await connectCreditToHub(creditManager, await collateral.getAddress());
  await (await market.setMarkOverrideHealth(MaxUint256)).wait();
  // Liquidation needs a registry (opens the liquidation) and a fund (receives half the penalty as cash).
  const registry = await deployLiquidationRegistry(deployer, { creditManager: await creditManager.getAddress() });
  await (await registry.setPerpMarket(await market.getAddress())).wait();
  await (await market.setLiquidationRegistry(await registry.getAddress())).wait();
  await (await market.setInsuranceFund(devWallet(9).address)).wait();
  const feed = await deployPriceFeed(deployer, { description: 'ETH / USD', price: parseUnits('2000', 8) });
  await grantCreditRoles(creditManager, { pusher: pusher.address, market: await market.getAddress() });
  await (await creditManager.grantRole(await creditManager.PUSHER_ROLE(), rival.address)).wait();
  await (await market.listMarket(WETH, await feed.getAddress(), parseEther('0.1'), parseEther('0.05'), 0)).wait();

  const manifest: ManifestInput = {
    version: 1,
    assets: [{ assetId: WETH, symbol: 'WETH', weightInit: 0.8, weightMaint: 0.85, imf: 0, volatility: 0.04, priceFeed: await feed.getAddress() }],
    chains: [
      {
        name: 'trading',
        chainId,
        eid: 40000 + (port % 1000),
        rpcUrl: chain.rpcUrl,
        role: 'trading',
        confirmations: 0,
        startBlock,
        layerZero: { endpoint: DUMMY, sendUln302: DUMMY, receiveUln302: DUMMY, worker: DUMMY, dvnSigner: DUMMY },
        contracts: {
          creditManager: await creditManager.getAddress(),
          perpMarket: await market.getAddress(),
          settlementPool: await pool.getAddress(),
        },
      },
    ],
  };
  const manifestPath = join(mkdtempSync(join(tmpdir(), 'agg-credit-')), 'manifest.json');
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));

  return {
    chain,
    provider,
    deployer,
    pusher,
    rival,
    creditManager,
    market,
    feed,
    manifestPath,
    /** A funded trader on this chain (dev account `index`). */
    trader: (index: number): HDNodeWallet => devWallet(index, provider),
    automine: (on: boolean) => provider.send('evm_setAutomine', [on]),
    mine: () => provider.send('evm_mine', []),
    async stop(): Promise<void> {
      provider.destroy();
      await chain.stop();
    },
  };
}

export type CreditChain = Awaited<ReturnType<typeof startCreditChain>>;
