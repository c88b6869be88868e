import type { ChainConfigInput, DeployConfigInput } from '../config/schema';

/** The devnet's chains: one trading chain and two collateral chains, each its own `hardhat node`. */
export const DEVNET_CHAINS = [
  { name: 'trading', chainId: 31337, eid: 40101, role: 'trading' },
  { name: 'collateral-a', chainId: 31338, eid: 40102, role: 'collateral' },
  { name: 'collateral-b', chainId: 31339, eid: 40103, role: 'collateral' },
] as const;

export const DEVNET_ASSETS = {
  USDC: { assetId: 1, decimals: 6, price: 1 },
  WETH: { assetId: 2, decimals: 18, price: 3000 },
  WBTC: { assetId: 3, decimals: 8, price: 60_000 },
} as const;

/**
 * Hardhat dev accounts: 0 deployer, 1 relayer, 2 aggregator pusher (and withdrawal decider, liquidation keeper),
 * 3 price simulator, 4 vault guardian, 5–19 demo traders, 20 the independent verifier (second DVN), 21 the auction
 * taker bot (the nodes start with 22 accounts).
 */
export const DEV_ACCOUNTS = {
  deployer: 0,
  relayer: 1,
  pusher: 2,
  oracle: 3,
  guardian: 4,
  firstTrader: 5,
  lastTrader: 19,
  verifier: 20,
  taker: 21,
} as const;

const cap = (units: number, decimals: number) => (BigInt(units) * 10n ** BigInt(decimals)).toString();

export interface DevnetChainOptions {
  rpcUrls: string[];
  /** Seconds without a delivered attestation before a chain's weight decays, and the decay window. */
  heartbeatSeconds?: number;
  decayWindowSeconds?: number;
}

export function devnetDeployConfig(options: DevnetChainOptions): DeployConfigInput {
  const heartbeat = { heartbeatSeconds: options.heartbeatSeconds ?? 120, decayWindowSeconds: options.decayWindowSeconds ?? 300 };
  const chains: ChainConfigInput[] = DEVNET_CHAINS.map((chain, i) => ({
    ...chain,
    rpcUrl: options.rpcUrls[i]!,
    confirmations: 1,
    local: true,
    ...heartbeat,
    assets:
      chain.role === 'trading'
        ? []
        : [
            { symbol: 'USDC', depositCap: cap(100_000_000, 6) },
            { symbol: 'WETH', depositCap: cap(100_000, 18) },
            ...(chain.name === 'collateral-b' ? [{ symbol: 'WBTC', depositCap: cap(10_000, 8) }] : []),
          ],
  }));
  return {
    chains,
    assets: [
      { assetId: 1, symbol: 'USDC', decimals: 6, weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001, initialPrice: 1 },
      {
        assetId: 2,
        symbol: 'WETH',
        decimals: 18,
        weightInit: 0.8,
        weightMaint: 0.85,
        imf: 0.0001,
        volatility: 0.04,
        initialPrice: 3000,
        // Caps far above what the demo and the e2e suites trade (15M USD of notional per account).
        market: {
          imr: 0.1,
          mmr: 0.05,
          feeRate: 0.0005,
          openInterestCap: 50_000,
          accountOpenInterestCap: 5_000,
          accountExposureCapUsd: 50_000_000,
        },
      },
      {
        assetId: 3,
        symbol: 'WBTC',
        decimals: 8,
        weightInit: 0.8,
        weightMaint: 0.85,
        imf: 0.0001,
        volatility: 0.035,
        initialPrice: 60_000,
        market: {
          imr: 0.1,
          mmr: 0.05,
          feeRate: 0.0005,
          openInterestCap: 2_500,
          accountOpenInterestCap: 250,
          accountExposureCapUsd: 50_000_000,
        },
      },
    ],
    correlations: [
      { a: 'WETH', b: 'WBTC', rho: 0.8 },
      { a: 'USDC', b: 'WETH', rho: 0.05 },
      { a: 'USDC', b: 'WBTC', rho: 0.05 },
    ],
    // Guards, outflow limits and worker fees keep their defaults: 5 % of the vaults' value (≈ 57.5M USD) of new
    // credit per hour, 5 % of each deposit cap out per hour, gas priced at 1 gwei on every chain.
    trading: {
      creditStaleAfterSeconds: 3600,
      maxPriceAgeSeconds: 3600,
      decisionTimeoutSeconds: 60,
      // Governed parameters execute a minute after their proposal on the devnet (24 h elsewhere).
      paramDelaySeconds: 60,
      // No quoteToken: the trading chain gets a test USDC; the pool starts with 10M of it.
      poolSeed: cap(10_000_000, 6),
    },
  };
}

/** A further local collateral chain for `tributary add-chain` on a running devnet. */
export function devnetExtraChain(params: {
  name: string;
  chainId: number;
  eid: number;
  rpcUrl: string;
  heartbeatSeconds?: number;
  decayWindowSeconds?: number;
}): ChainConfigInput {
  return {
    heartbeatSeconds: 120,
    decayWindowSeconds: 300,
    ...params,
    role: 'collateral',
    confirmations: 1,
    local: true,
    assets: [
      { symbol: 'USDC', depositCap: cap(100_000_000, 6) },
      { symbol: 'WETH', depositCap: cap(100_000, 18) },
    ],
  };
}
