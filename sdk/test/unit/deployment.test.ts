import { TributaryError, isLocalManifest } from '../../src';
import { MANIFEST, fakeContext } from './fixtures';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return [(error as TributaryError).code, (error as Error).message];
  }
  return null;
};

describe('Deployment: names, not numeric ids', () => {
  const d = fakeContext().deployment;

  it('finds chains by name (any case) or eid, assets by symbol, with token and decimals per chain', () => {
    expect(d.chain('Collateral-A').eid).toBe(40102);
    expect(d.chain(40103).name).toBe('collateral-b');
    expect(d.chainAsset(d.collateralChain('collateral-b'), 'wbtc')).toEqual({ symbol: 'WBTC', assetId: 3, token: expect.any(String), decimals: 8 });
    expect(d.isLocal).toBe(true);
    expect(d.symbol(2)).toBe('WETH');
    expect(d.chainName(40101)).toBe('trading');
  });

  it('an unknown chain, a chain without a vault and an asset not listed there are errors that list what exists', () => {
    expect(codeOf(() => d.chain('mainnet'))).toEqual([
      'unknown-chain',
      'no chain "mainnet" in the manifest (chains: trading, collateral-a, collateral-b)',
    ]);
    expect(codeOf(() => d.collateralChain('trading'))).toEqual([
      'unknown-chain',
      'trading is not a collateral chain with a vault (collateral chains: collateral-a, collateral-b)',
    ]);
    expect(codeOf(() => d.chainAsset(d.chain('collateral-a'), 'WBTC'))).toEqual([
      'unlisted-asset',
      'WBTC is not listed on collateral-a (listed there: USDC, WETH)',
    ]);
    expect(codeOf(() => d.asset('DOGE'))).toEqual(['unlisted-asset', 'no asset "DOGE" in the manifest (assets: USDC, WETH, WBTC)']);
  });

  it('a market by its underlying; none for an asset without one', async () => {
    expect((await d.market('weth')).marketId).toBe(0);
    await expect(d.market('USDC')).rejects.toMatchObject({ code: 'no-market', message: 'no perp market on USDC (markets: WETH)' });
  });
});

describe('dev accounts only on local chains', () => {
  const withRpc = (rpcUrl: string) => ({ chains: MANIFEST.chains.map((c, i) => (i === 1 ? { ...c, rpcUrl } : c)) });

  it('every chain on this machine (127.0.0.1, localhost, ::1) is local; one remote or malformed RPC is not', () => {
    expect(isLocalManifest(MANIFEST)).toBe(true);
    expect(isLocalManifest(withRpc('http://localhost:8546'))).toBe(true);
    expect(isLocalManifest(withRpc('http://[::1]:8546'))).toBe(true);
    expect(isLocalManifest(withRpc('https://rpc.example.org'))).toBe(false);
    expect(isLocalManifest(withRpc('http://127.0.0.1.example.org:8546'))).toBe(false);
    expect(isLocalManifest(withRpc('not a url'))).toBe(false);
  });
});
