import { AggregatorApi, DEFAULT_TIMEOUTS, Deployment, type PerpMarketInfo, type TraderContext } from '../../src';

const address = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
const layerZero = { endpoint: address(1), sendUln302: address(2), receiveUln302: address(3), worker: address(4), dvnSigner: address(5) };

/** A devnet-shaped manifest: a trading chain and two collateral chains (WBTC only on collateral-b). */
export const MANIFEST = {
  version: 1,
  chains: [
    {
      name: 'trading',
      chainId: 31337,
      eid: 40101,
      rpcUrl: 'http://127.0.0.1:8545',
      role: 'trading',
      confirmations: 1,
      startBlock: 0,
      layerZero,
      contracts: { hub: address(10), creditManager: address(11), perpMarket: address(12), settlementPool: address(13), quoteToken: address(14) },
    },
    ...['a', 'b'].map((x, i) => ({
      name: `collateral-${x}`,
      chainId: 31338 + i,
      eid: 40102 + i,
      rpcUrl: `http://127.0.0.1:${8546 + i}`,
      role: 'collateral',
      confirmations: 1,
      startBlock: 0,
      weight: 1,
      layerZero,
      contracts: { vault: address(20 + i) },
      assets: [
        { assetId: 1, token: address(30 + i), decimals: 6, depositCap: '1000000000000' },
        { assetId: 2, token: address(40 + i), decimals: 18, depositCap: '1000000000000000000000000' },
        ...(x === 'b' ? [{ assetId: 3, token: address(50), decimals: 8, depositCap: '100000000000' }] : []),
      ],
    })),
  ],
  assets: [
    { assetId: 1, symbol: 'USDC', weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001 },
    { assetId: 2, symbol: 'WETH', weightInit: 0.8, weightMaint: 0.85, imf: 0.0001, volatility: 0.04 },
    { assetId: 3, symbol: 'WBTC', weightInit: 0.8, weightMaint: 0.85, imf: 0.0001, volatility: 0.035 },
  ],
  correlations: [{ a: 2, b: 3, rho: 0.8 }],
};

export const WETH_MARKET: PerpMarketInfo = { marketId: 0, assetId: 2, symbol: 'WETH', imr: 0.1, mmr: 0.05, feeRate: 0.0005 };

/** A context whose deployment knows one WETH market without a chain; no signer. */
export function fakeContext(): TraderContext {
  const deployment = Deployment.fromJson(MANIFEST);
  deployment.markets = async () => [WETH_MARKET];
  return {
    deployment,
    api: new AggregatorApi('http://agg.test', async () => new Response('{}', { status: 500 })),
    address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    signer: () => {
      throw new Error('no signer in unit tests');
    },
    timeouts: DEFAULT_TIMEOUTS,
  };
}
