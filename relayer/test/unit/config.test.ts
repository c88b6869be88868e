import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@tributary/service-kit';
import { chainEnvName, type ManifestInput } from '@tributary/protocol';
import { SignerKeys, applyEnvOverrides, loadRelayerConfig } from '../../src/config/relayer-config.load';
import type { RelayerConfigInput } from '../../src/config/relayer-config.schema';

const A = (n: number) => '0x' + n.toString(16).padStart(40, '0');
const KEY = '0x' + '11'.repeat(32);
const dir = mkdtempSync(join(tmpdir(), 'relayer-config-'));
const write = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

const chain = (name: string, eid: number) => ({
  name,
  eid,
  chainId: eid,
  rpcUrl: `http://127.0.0.1:${eid % 1000}`,
  confirmations: 2,
  endpoint: A(1),
  receiveUln302: A(2),
  worker: A(3),
});
const valid: RelayerConfigInput = {
  chains: [chain('alpha', 40101), chain('beta', 40102)],
  pathways: [{ srcEid: 40101, sender: A(10), dstEid: 40102, receiver: A(11) }],
};

describe('relayer config', () => {
  it('loads a file with defaults', () => {
    const config = loadRelayerConfig({ configPath: write('ok.json', valid), env: {} });
    expect(config.chains[0]).toMatchObject({ pollIntervalMs: 1000, maxBlockRange: 1000, gas: { bumpPercent: 20, stuckTimeoutMs: 30_000 } });
    expect(config.pipeline.maxExecuteAttempts).toBe(5);
    expect(config.pipeline.chainSteps).toBe(true);
  });

  it('turns chained destination steps off with RELAYER_CHAIN_STEPS and rejects other values', () => {
    const path = write('steps.json', { ...valid, pipeline: { tickMs: 100 } });
    expect(loadRelayerConfig({ configPath: path, env: { RELAYER_CHAIN_STEPS: 'false' } }).pipeline).toMatchObject({ chainSteps: false, tickMs: 100 });
    expect(loadRelayerConfig({ configPath: path, env: { RELAYER_CHAIN_STEPS: '1' } }).pipeline.chainSteps).toBe(true);
    expect(loadRelayerConfig({ configPath: write('steps2.json', valid), env: { RELAYER_CHAIN_STEPS: 'FALSE' } }).pipeline.chainSteps).toBe(false);
    expect(() => loadRelayerConfig({ configPath: path, env: { RELAYER_CHAIN_STEPS: 'maybe' } })).toThrow(/pipeline\.chainSteps/);
  });

  it('applies RELAYER_CHAIN_<NAME>_* overrides before validating', () => {
    const env = {
      RELAYER_CHAIN_BETA_RPC_URL: 'http://node-b:8545',
      RELAYER_CHAIN_ALPHA_CONFIRMATIONS: '12',
      RELAYER_CHAIN_ALPHA_MAX_BLOCK_RANGE: '250',
    };
    const config = loadRelayerConfig({ configPath: write('ok2.json', valid), env });
    expect(config.chains[1].rpcUrl).toBe('http://node-b:8545');
    expect(config.chains[0]).toMatchObject({ confirmations: 12, maxBlockRange: 250 });
    expect(applyEnvOverrides('not an object', env)).toBe('not an object');
  });

  it('lists every problem at once', () => {
    const bad = {
      ...valid,
      chains: [{ ...chain('alpha', 40101), rpcUrl: 'nope', endpoint: '0x12' }, chain('alpha', 40101)],
      pathways: [{ srcEid: 40101, sender: A(1), dstEid: 99, receiver: A(2) }],
    };
    let error: unknown;
    try {
      loadRelayerConfig({ configPath: write('bad.json', bad), env: { RELAYER_CHAIN_ALPHA_CONFIRMATIONS: '-1' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const part of [
      'chains.0.rpcUrl',
      'chains.0.endpoint',
      'chains.0.confirmations',
      'duplicate eid 40101',
      'duplicate name alpha',
      'unknown chain eid 99',
    ])
      expect(message).toContain(part);
  });

  it('says what is missing or unreadable', () => {
    expect(() => loadRelayerConfig({ env: {} })).toThrow(/RELAYER_CONFIG .* or MANIFEST_PATH/);
    expect(() => loadRelayerConfig({ configPath: join(dir, 'absent.json'), env: {} })).toThrow(/absent.json/);
  });

  it('derives vault ⇄ hub pathways from the deployment manifest', () => {
    const lz = (n: number) => ({ endpoint: A(n), sendUln302: A(n + 1), receiveUln302: A(n + 2), worker: A(n + 3), dvnSigner: A(n + 4) });
    const manifestChain = (name: string, eid: number, role: 'trading' | 'collateral', contracts: Record<string, string>) => ({
      name,
      chainId: eid,
      eid,
      rpcUrl: `http://127.0.0.1:${eid}`,
      role,
      confirmations: 3,
      startBlock: 7,
      layerZero: lz(eid),
      contracts,
    });
    const manifest: ManifestInput = {
      version: 1,
      assets: [],
      chains: [
        manifestChain('hub-chain', 40001, 'trading', { hub: A(500) }),
        manifestChain('vault a', 40002, 'collateral', { vault: A(600) }),
        manifestChain('vault-b', 40003, 'collateral', { vault: A(700) }),
      ],
    };
    const config = loadRelayerConfig({ manifestPath: write('manifest.json', manifest), env: { RELAYER_CHAIN_VAULT_A_RPC_URL: 'http://override:1' } });
    expect(config.chains.map((c) => c.name)).toEqual(['HUB_CHAIN', 'VAULT_A', 'VAULT_B']);
    expect(config.chains[1]).toMatchObject({
      rpcUrl: 'http://override:1',
      confirmations: 3,
      startBlock: 7,
      worker: A(40005),
      receiveUln302: A(40004),
    });
    expect(config.pathways).toEqual([
      { srcEid: 40002, sender: A(600), dstEid: 40001, receiver: A(500) },
      { srcEid: 40001, sender: A(500), dstEid: 40002, receiver: A(600) },
      { srcEid: 40003, sender: A(700), dstEid: 40001, receiver: A(500) },
      { srcEid: 40001, sender: A(500), dstEid: 40003, receiver: A(700) },
    ]);
    expect(chainEnvName('arbitrum-sepolia')).toBe('ARBITRUM_SEPOLIA');
  });
});

describe('signer keys', () => {
  const config = loadRelayerConfig({ configPath: write('keys.json', valid), env: {} });

  it('takes the per-chain key, else the shared one, for destination chains only', () => {
    const perChain = '0x' + '22'.repeat(32);
    const keys = SignerKeys.fromEnv(config, { RELAYER_PRIVATE_KEY: KEY, RELAYER_PRIVATE_KEY_BETA: perChain });
    expect(keys.keyFor(40102)).toBe(perChain);
    expect(() => keys.keyFor(40101)).toThrow(/no signing key/);
    expect(SignerKeys.fromEnv(config, { RELAYER_PRIVATE_KEY: KEY }).keyFor(40102)).toBe(KEY);
  });

  it('never serialises a key', () => {
    const keys = SignerKeys.fromEnv(config, { RELAYER_PRIVATE_KEY: KEY });
    expect(JSON.stringify({ keys })).not.toContain('1111');
  });

  it('refuses a missing or malformed key without echoing it', () => {
    expect(() => SignerKeys.fromEnv(config, {})).toThrow(/RELAYER_PRIVATE_KEY_BETA or RELAYER_PRIVATE_KEY: required/);
    let message = '';
    try {
      SignerKeys.fromEnv(config, { RELAYER_PRIVATE_KEY_BETA: '0xsecretbutbroken' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/RELAYER_PRIVATE_KEY_BETA: not a valid private key/);
    expect(message).not.toContain('secretbutbroken');
  });
});
