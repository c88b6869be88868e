import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NIL_DVN_COUNT, appUlnConfig, sortAddresses, ulnConfig } from '@tributary/contracts';
import { chainDvnSets, extraDvns } from '../src/config/dvns';
import { ConfigFileError, loadDeployConfig, parseDeployConfig, type DeployConfigInput } from '../src/config/schema';
import { describeUlnDrift, planPathway } from '../src/deploy/plan';
import { desiredPathway, receiveDvns, sendDvns, type PathwaySide } from '../src/deploy/wiring';

const a = (n: number) => '0x' + n.toString(16).padStart(40, '0');
const labs = (n: number) => ({ name: 'LayerZero Labs', address: a(0x1ab0 + n) });

/** A public two-chain deployment (no local chain), as an operator would write it. */
function publicConfig(): DeployConfigInput {
  const chain = (name: string, eid: number, role: 'trading' | 'collateral') => ({
    name,
    chainId: eid,
    eid,
    rpcUrl: `https://${name}.example`,
    confirmations: 5,
    role,
    layerZero: { endpoint: a(1), sendUln302: a(2), receiveUln302: a(3) },
    assets: role === 'collateral' ? [{ symbol: 'USDC', token: a(9), depositCap: '1000000' }] : [],
  });
  return {
    chains: [chain('hub-chain', 40161, 'trading'), chain('vault-chain', 40231, 'collateral')],
    assets: [{ assetId: 1, symbol: 'USDC', decimals: 6, weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001, priceFeed: a(10) }],
    operators: { relayer: a(20), pusher: a(21), guardian: a(22) },
    trading: { quoteToken: a(11) },
  };
}

function rejection(input: unknown): string {
  try {
    parseDeployConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('DVNs per pathway in the deploy config', () => {
  it('refuses a public chain whose pathways would have one required DVN (the relayer alone)', () => {
    const message = rejection(publicConfig());
    expect(message).toContain('chains.0.name: chain "hub-chain": no second required DVN');
    expect(message).toContain('chains.1.name: chain "vault-chain": no second required DVN');
  });

  it('reads LayerZero Labs’ DVN of each chain from the DVN file the operator fills', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dvns-'));
    writeFileSync(
      join(dir, 'dvns.json'),
      JSON.stringify({ chains: { 'hub-chain': { required: [labs(1)] }, 'vault-chain': { required: [labs(2)] } } }),
    );
    writeFileSync(join(dir, 'deploy.json'), JSON.stringify({ ...publicConfig(), dvnsFile: 'dvns.json' }));
    const config = loadDeployConfig(join(dir, 'deploy.json'));
    expect(config.dvns['hub-chain']).toEqual({ required: [labs(1)], optional: [], optionalThreshold: 0 });
    expect(extraDvns(config.chains[1]!, config.dvns)).toEqual({ required: [labs(2).address], optional: [], optionalThreshold: 0 });
    // The same chain both inline and in the file is refused.
    writeFileSync(
      join(dir, 'both.json'),
      JSON.stringify({ ...publicConfig(), dvns: { 'hub-chain': { required: [labs(3)] } }, dvnsFile: 'dvns.json' }),
    );
    expect(() => loadDeployConfig(join(dir, 'both.json'))).toThrow(/hub-chain listed both in dvns and in/);
  });

  it('checks optional DVN thresholds, duplicates and chain names', () => {
    const input = {
      ...publicConfig(),
      dvns: {
        'hub-chain': { required: [labs(1)], optional: [labs(2), labs(3)], optionalThreshold: 3 },
        'vault-chain': { required: [labs(1), labs(1)] },
        nowhere: { required: [labs(4)] },
      },
    };
    const message = rejection(input);
    expect(message).toContain('dvns.hub-chain.optionalThreshold: must be between 1 and 2');
    expect(message).toContain(`DVN ${labs(1).address.toLowerCase()} listed twice`);
    expect(message).toContain('dvns.nowhere: unknown chain "nowhere"');
  });

  it('the verifier operator is for local chains only', () => {
    const input = {
      ...publicConfig(),
      operators: { ...publicConfig().operators, verifier: a(30) },
      dvns: { 'hub-chain': { required: [labs(1)] }, 'vault-chain': { required: [labs(2)] } },
    };
    expect(rejection(input)).toContain('operators.verifier: the verifier runs on local chains only');
  });
});

describe('ULN configs deploy writes', () => {
  it('writes optionalDVNCount 255 (NIL) without optional DVNs, never 0 (the endpoint’s defaults)', () => {
    const config = appUlnConfig(2, { required: [a(5), a(4)] });
    expect(config).toMatchObject({ requiredDVNCount: 2, optionalDVNCount: NIL_DVN_COUNT, optionalDVNThreshold: 0, optionalDVNs: [] });
    expect(config.requiredDVNs).toEqual(sortAddresses([a(4), a(5)]));
    expect(appUlnConfig(2, { required: [a(4)], optional: [a(6), a(7)], optionalThreshold: 1 })).toMatchObject({
      optionalDVNCount: 2,
      optionalDVNThreshold: 1,
    });
  });

  const side: PathwaySide = {
    oapp: a(100),
    remoteEid: 40101,
    remoteOApp: a(101),
    endpoint: a(1),
    sendUln302: a(2),
    receiveUln302: a(3),
    worker: a(4),
    dvnSigner: a(7),
    verifierWorker: a(5),
    verifierSigner: a(8),
    additionalDvns: [],
    localConfirmations: 1,
    remoteConfirmations: 1,
    maxMessageSize: 10_000,
    enforcedOptions: {},
  };

  it('names both workers on the send side and both keys on the receive side, plus the chain’s further DVNs', () => {
    expect(sendDvns(side).required).toEqual([a(4), a(5)]);
    expect(receiveDvns(side).required).toEqual([a(7), a(8)]);
    const labsToo = { ...side, additionalDvns: [a(9)], optionalDvns: [a(10)], optionalThreshold: 1 };
    expect(receiveDvns(labsToo)).toEqual({ required: [a(7), a(8), a(9)], optional: [a(10)], optionalThreshold: 1 });
    expect(chainDvnSets({ worker: a(4), dvnSigner: a(7) }, { required: [a(9)], optional: [], optionalThreshold: 0 }).send.required).toEqual([
      a(4),
      a(9),
    ]);
  });

  it('plans a receive-config write for the old optionalDVNCount 0 and says why', () => {
    const desired = desiredPathway(side);
    const current = {
      ...desired,
      sendLibrary: { lib: side.sendUln302, isDefault: false },
      receiveLibrary: { lib: side.receiveUln302, isDefault: false },
      receiveUln: ulnConfig(1, [a(7), a(8)]),
    };
    expect(planPathway(current, desired).map((w) => w.kind)).toEqual(['setReceiveConfig']);
    expect(describeUlnDrift(current.receiveUln, desired.receiveUln)).toEqual(["optionalDVNCount 0 → 255 (0 = the endpoint's default optional DVNs)"]);
    const oneDvn = { ...current, receiveUln: appUlnConfig(1, { required: [a(7)] }) };
    expect(describeUlnDrift(oneDvn.receiveUln, desired.receiveUln)).toEqual([
      'requiredDVNCount 1 → 2',
      `requiredDVNs [${a(7)}] → [${sortAddresses([a(7), a(8)])
        .map((x) => x.toLowerCase())
        .join(', ')}]`,
    ]);
  });
});
