import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFileError, loadDeployConfig, parseChainConfig, parseDeployConfig, type DeployConfigInput } from '../src/config/schema';
import { devnetDeployConfig } from '../src/devnet/devnet-config';

const rpc = ['http://127.0.0.1:1', 'http://127.0.0.1:2', 'http://127.0.0.1:3'];
const valid = (): DeployConfigInput => devnetDeployConfig({ rpcUrls: rpc });
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function problems(input: unknown): string {
  try {
    parseDeployConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('deploy config schema', () => {
  it('accepts the devnet config and fills defaults', () => {
    const config = parseDeployConfig(valid());
    expect(config.chains).toHaveLength(3);
    expect(config.gasHeadroom).toBe(1.5);
    expect(config.chains[1]!.assets[0]!.rateCapacity).toBeUndefined(); // sized from the deposit cap
    expect(config.guards).toEqual({ creditIncreasePerHour: 0.05, vaultOutflowPerHour: 0.05 });
    expect(config.chains[1]!.gasPriceWei).toBe('1000000000');
    expect(config.workerFees).toEqual({});
    expect(config.replyFeeHeadroom).toBe(1);
  });

  it('refuses a disabled outflow limit and a zero gas price', () => {
    const input = clone(valid());
    input.chains[1]!.assets![0]!.rateCapacity = '0';
    input.chains[2]!.gasPriceWei = '0';
    const message = problems(input);
    expect(message).toContain('chains.1.assets.0.rateCapacity: must be above 0');
    expect(message).toContain('chains.2.gasPriceWei: must be above 0');
  });

  it('names the path of every problem in one error', () => {
    const input = clone(valid());
    input.chains[0]!.rpcUrl = 'not a url';
    input.chains[1]!.confirmations = 0;
    input.assets[0]!.weightInit = 1.5;
    const message = problems(input);
    expect(message).toContain('chains.0.rpcUrl');
    expect(message).toContain('chains.1.confirmations: must be at least 1');
    expect(message).toContain('assets.0.weightInit');
  });

  it('requires exactly one trading chain', () => {
    const input = clone(valid());
    input.chains[1]!.role = 'trading';
    input.chains[1]!.assets = [];
    expect(problems(input)).toContain('exactly one trading chain expected, found 2');
  });

  it('rejects duplicate eids and names', () => {
    const input = clone(valid());
    input.chains[2]!.eid = input.chains[1]!.eid;
    input.chains[2]!.name = input.chains[1]!.name;
    const message = problems(input);
    expect(message).toContain('duplicate eid 40102');
    expect(message).toContain('duplicate chain name collateral-a');
  });

  it('rejects an asset a chain lists but the config does not define', () => {
    const input = clone(valid());
    input.chains[1]!.assets!.push({ symbol: 'DOGE', depositCap: '1' });
    expect(problems(input)).toContain('chains.1.assets.2.symbol: unknown asset "DOGE"');
  });

  it('on a public chain requires existing LayerZero addresses, token addresses, feeds and operators', () => {
    const input = clone(valid());
    for (const chain of input.chains) chain.local = false;
    const message = problems(input);
    expect(message).toContain('chains.0.layerZero: required on a non-local chain');
    expect(message).toContain('chains.1.assets.0.token: required on a non-local chain');
    expect(message).toContain('assets.0.priceFeed: required when the trading chain is not local');
    expect(message).toContain('operators.relayer: required when any chain is not local');
    expect(message).toContain('operators.guardian: required when any chain is not local');
  });

  it('refuses to mix local and public chains', () => {
    const input = clone(valid());
    input.chains[2]!.local = false;
    input.chains[2]!.layerZero = { endpoint: '0x' + '1'.repeat(40), sendUln302: '0x' + '2'.repeat(40), receiveUln302: '0x' + '3'.repeat(40) };
    input.chains[2]!.assets = [];
    input.operators = { relayer: '0x' + '4'.repeat(40), pusher: '0x' + '5'.repeat(40) };
    expect(problems(input)).toContain('local and public chains cannot be mixed');
  });

  it('rejects maintenance weights below initial weights and mmr above imr', () => {
    const input = clone(valid());
    input.assets[1]!.weightMaint = 0.5;
    input.assets[1]!.market = { imr: 0.05, mmr: 0.1 };
    const message = problems(input);
    expect(message).toContain('assets.1.weightMaint: must be ≥ weightInit');
    expect(message).toContain('assets.1.market: mmr must be ≤ imr');
  });

  it('loads a file with clear errors for a missing file and for bad JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-config-'));
    expect(() => loadDeployConfig(join(dir, 'missing.json'))).toThrow(/cannot read deploy config .*missing\.json: ENOENT/);
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(() => loadDeployConfig(join(dir, 'bad.json'))).toThrow(/is not valid JSON/);
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(valid()));
    expect(loadDeployConfig(join(dir, 'ok.json')).chains[0]!.name).toBe('trading');
  });

  it('validates a single chain for add-chain', () => {
    expect(() => parseChainConfig({ name: 'Bad Name', chainId: 1, eid: 1, rpcUrl: 'http://x', confirmations: 1, role: 'collateral' })).toThrow(
      /name: lower-case letters/,
    );
  });
});
