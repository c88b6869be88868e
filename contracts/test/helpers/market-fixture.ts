import { ethers } from 'hardhat';
import { parseEther, parseUnits } from 'ethers';
import {
  connectSettlementPool,
  deployCreditManager,
  deployLiquidationRegistry,
  deployPerpMarket,
  deployPriceFeed,
  deploySettlementPool,
  deployTestToken,
  grantCreditRoles,
  packCreditEntry,
  pushCredit,
} from '../../lib';
import { CollateralValueStub__factory } from '../../typechain-types';

export const WETH = 2;
export const STALE = 600;
export const FEE_RATE = parseEther('0.0005');

/**
 * CreditManager + SettlementPool + PerpMarket without LayerZero. The pool's hub is a plain address: nothing here
 * withdraws cash, the only path that reads the hub. The chain-visible collateral is a stub: alice has a million
 * USD of it, so the pushed base binds unless a test lowers it.
 */
export async function marketFixture() {
  const [owner, pusher, alice, keeper, hubStandIn, fund] = await ethers.getSigners();
  const cm = await deployCreditManager(owner, { staleAfterSeconds: STALE, guardCapacity: parseEther('1000000'), guardRefillPerSecond: 0 });
  const usdc = await deployTestToken(owner, { name: 'USD Coin', symbol: 'USDC', decimals: 6 });
  const pool = await deploySettlementPool(owner, {
    quoteToken: await usdc.getAddress(),
    creditManager: await cm.getAddress(),
    hub: hubStandIn.address,
  });
  const market = await deployPerpMarket(owner, {
    creditManager: await cm.getAddress(),
    settlementPool: await pool.getAddress(),
    maxPriceAgeSeconds: 3600,
  });
  const feed = await deployPriceFeed(owner, { description: 'ETH / USD', price: parseUnits('2000', 8) });
  await grantCreditRoles(cm, { pusher: pusher.address, market: await market.getAddress() });
  const collateral = await new CollateralValueStub__factory(owner).deploy();
  await collateral.set(alice.address, parseEther('1000000'));
  await cm.setHub(await collateral.getAddress());
  await connectSettlementPool({ creditManager: cm, pool, market: await market.getAddress() });
  await market.listMarket(WETH, await feed.getAddress(), parseEther('0.1'), parseEther('0.05'), FEE_RATE);
  await pushCredit(cm.connect(pusher), 1, [packCreditEntry(alice.address, parseEther('10000'))]);
  // Liquidation: the registry opens liquidations for the market; the fund's half of a penalty goes to `fund`'s cash.
  const registry = await deployLiquidationRegistry(owner, { creditManager: await cm.getAddress() });
  await registry.setPerpMarket(await market.getAddress());
  await market.setLiquidationRegistry(await registry.getAddress());
  await market.setInsuranceFund(fund.address);
  const setPrice = (usd: number) => feed.setPrice(parseUnits(String(usd), 8));
  return { cm, pool, market, feed, collateral, owner, pusher, alice, keeper, fund, registry, setPrice };
}
