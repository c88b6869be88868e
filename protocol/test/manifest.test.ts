import { collateralChains, parseManifest, tradingChain, type ManifestInput } from '../src/manifest';

const A = (n: number) => '0x' + n.toString(16).padStart(40, '0');
const lz = { endpoint: A(1), sendUln302: A(2), receiveUln302: A(3), worker: A(4), dvnSigner: A(5) };

function manifest(): ManifestInput {
  return {
    version: 1,
    assets: [{ assetId: 1, symbol: 'USDC', weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001 }],
    chains: [
      {
        name: 'hub',
        chainId: 31337,
        eid: 40101,
        rpcUrl: 'http://127.0.0.1:8545',
        role: 'trading',
        confirmations: 1,
        startBlock: 0,
        layerZero: lz,
        contracts: { hub: A(9) },
      },
      {
        name: 'a',
        chainId: 31338,
        eid: 40102,
        rpcUrl: 'http://127.0.0.1:8546',
        role: 'collateral',
        confirmations: 2,
        startBlock: 0,
        layerZero: lz,
        contracts: { vault: A(10) },
        assets: [{ assetId: 1, token: A(11), decimals: 6, depositCap: '1000000000000' }],
      },
    ],
  };
}

describe('deployment manifest', () => {
  it('parses and applies defaults', () => {
    const parsed = parseManifest(manifest());
    expect(tradingChain(parsed).eid).toBe(40101);
    expect(collateralChains(parsed).map((c) => c.eid)).toEqual([40102]);
    expect(parsed.chains[1].weight).toBe(1);
    expect(parsed.assets[0].heartbeatSeconds).toBe(3600);
    expect(parsed.correlations).toEqual([]);
  });

  it('keeps prior correlations between listed assets and refuses unknown ids or |rho| > 1', () => {
    const ok = { ...manifest(), correlations: [{ a: 1, b: 1, rho: 0.5 }] };
    expect(parseManifest(ok).correlations).toEqual([{ a: 1, b: 1, rho: 0.5 }]);
    expect(() => parseManifest({ ...manifest(), correlations: [{ a: 1, b: 9, rho: 0.5 }] })).toThrow(/correlations\.0\.b: unknown assetId 9/);
    expect(() => parseManifest({ ...manifest(), correlations: [{ a: 1, b: 1, rho: 1.5 }] })).toThrow(/correlations\.0\.rho/);
  });

  it('rejects duplicate eids, two trading chains, unknown assets and bad addresses with every problem listed', () => {
    const bad = manifest();
    bad.chains[1].eid = 40101;
    bad.chains[1].role = 'trading';
    bad.chains[1].assets![0].assetId = 7;
    bad.chains[0].layerZero = { ...lz, endpoint: '0x1234' };
    expect(() => parseManifest(bad)).toThrow(/duplicate eid[\s\S]*|trading chain/);
    try {
      parseManifest(bad);
    } catch (error) {
      const message = (error as Error).message;
      for (const expected of ['duplicate eid', 'exactly one trading chain', 'unknown assetId 7', 'layerZero.endpoint'])
        expect(message).toContain(expected);
    }
  });
});
