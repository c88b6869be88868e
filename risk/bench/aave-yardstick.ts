import { formatReserves, formatUserSummary, type UserReserveData } from '@aave/math-utils';
import { ReserveMock } from '@aave/math-utils/dist/cjs/mocks';
import type { AccountHoldings, MarketConfig } from '../src';

const MARKET_REFERENCE_DECIMALS = 8;
const DECIMALS = 18;

function addressOf(k: number): string {
  return `0x${(k + 1).toString(16).padStart(40, '0')}`;
}

/** Scaled 18-decimal integer string of a float amount (what Aave's user reserves carry). */
function scaled(amount: number): string {
  return BigInt(Math.round(amount * 1e6)).toString() + '000000000000';
}

/**
 * The same account data in Aave v3's shapes: one reserve per asset (price, LTV ≈ weightInit,
 * liquidation threshold ≈ weightMaint); an account's collateral summed over chains as its aToken
 * balance, and each perp's notional as variable debt on that asset.
 */
export function aaveYardstick(market: MarketConfig) {
  const reserves = market.assets.map((asset, k) => {
    const mock = new ReserveMock({ decimals: DECIMALS }).addLiquidity(1_000_000_000);
    return {
      ...mock.reserve,
      originalId: k,
      id: asset.id,
      symbol: asset.id,
      name: asset.id,
      underlyingAsset: addressOf(k),
      baseLTVasCollateral: String(Math.floor(asset.weightInit * 10_000)),
      reserveLiquidationThreshold: String(Math.floor(asset.weightMaint * 10_000)),
      reserveLiquidationBonus: '10500',
      isolationModeTotalDebt: '0',
      priceInMarketReferenceCurrency: BigInt(Math.round(asset.price * 10 ** MARKET_REFERENCE_DECIMALS)).toString(),
    };
  });
  const now = 1_700_000_000;
  const formattedReserves = formatReserves({
    reserves,
    currentTimestamp: now,
    marketReferencePriceInUsd: String(10 ** MARKET_REFERENCE_DECIMALS),
    marketReferenceCurrencyDecimals: MARKET_REFERENCE_DECIMALS,
  });
  const assetIndex = new Map(market.assets.map((asset, k) => [asset.id, k]));

  function userReservesOf(account: AccountHoldings): UserReserveData[] {
    const supplied = new Array<number>(market.assets.length).fill(0);
    const borrowed = new Array<number>(market.assets.length).fill(0);
    for (const balance of account.balances) supplied[assetIndex.get(balance.assetId)!] += balance.amount;
    for (const position of account.positions) borrowed[assetIndex.get(position.assetId)!] += Math.abs(position.size);
    return market.assets.map((_, k) => ({
      underlyingAsset: addressOf(k),
      scaledATokenBalance: scaled(supplied[k]),
      usageAsCollateralEnabledOnUser: true,
      scaledVariableDebt: scaled(borrowed[k]),
    }));
  }

  return {
    userReservesOf,
    summarize(userReserves: UserReserveData[]) {
      return formatUserSummary({
        userReserves,
        formattedReserves,
        marketReferencePriceInUsd: String(10 ** MARKET_REFERENCE_DECIMALS),
        marketReferenceCurrencyDecimals: MARKET_REFERENCE_DECIMALS,
        currentTimestamp: now,
        userEmodeCategoryId: 0,
      });
    },
  };
}
