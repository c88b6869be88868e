import { ethers } from 'hardhat';
import { parseEther, parseUnits } from 'ethers';
import { deployCollateralAuction, deployPriceFeed, deployTestToken } from '../../lib';
import { AuctionVaultStub__factory } from '../../typechain-types';

export const WETH = 2;

/** An auction selling WETH for a 6-decimal USDC; the vault is a stub that funds and kicks lots. */
export async function auctionFixture() {
  const [owner, account, taker, keeper, treasury] = await ethers.getSigners();
  const weth = await deployTestToken(owner, { name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 });
  const usdc = await deployTestToken(owner, { name: 'USD Coin', symbol: 'USDC', decimals: 6 });
  const feed = await deployPriceFeed(owner, { description: 'ETH / USD', price: parseUnits('2000', 8) });
  const vault = await new AuctionVaultStub__factory(owner).deploy();
  const auction = await deployCollateralAuction(owner, {
    vault: await vault.getAddress(),
    quoteToken: await usdc.getAddress(),
    treasury: treasury.address,
    maxPriceAgeSeconds: 86_400,
  });
  await auction.configureAsset(WETH, await weth.getAddress(), await feed.getAddress());
  await weth.mint(await vault.getAddress(), parseEther('100'));
  await usdc.mint(taker.address, parseUnits('1000000', 6));
  await usdc.connect(taker).approve(await auction.getAddress(), ethers.MaxUint256);
  /** Lot `id` of `amount` WETH raising `debt` USD. */
  const kick = (id: bigint, amount: bigint, debt: bigint) =>
    vault.kick(auction.getAddress(), weth.getAddress(), id, account.address, WETH, amount, debt);
  return { owner, account, taker, keeper, treasury, weth, usdc, feed, vault, auction, kick };
}
