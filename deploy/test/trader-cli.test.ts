import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TributaryError, type TributaryErrorCode } from '@tributary/sdk';
import { EXIT, exitCodeFor, run } from '../src/cli';
import { KeyError } from '../src/deploy/chain-session';
import { TraderUsageError, defaultAggregatorUrl, parseTraderArgs } from '../src/trader/args';
import { TRADER_EXIT } from '../src/trader/run';

const address = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
const layerZero = { endpoint: address(1), sendUln302: address(2), receiveUln302: address(3), worker: address(4), dvnSigner: address(5) };
const manifest = (host: string) => ({
  version: 1,
  chains: [
    {
      name: 'trading',
      chainId: 31337,
      eid: 40101,
      rpcUrl: `http://${host}:1`,
      role: 'trading',
      confirmations: 1,
      startBlock: 0,
      layerZero,
      contracts: {},
    },
  ],
  assets: [],
});

describe('tributary trader commands: arguments', () => {
  it('parses each command with human names, signed sizes, flags and repeatable what-if changes', () => {
    expect(
      parseTraderArgs('deposit', ['--chain', 'collateral-a', '--asset', 'USDC', '--amount', '1000', '--dev-account', '5', '--json']),
    ).toMatchObject({
      command: 'deposit',
      chain: 'collateral-a',
      asset: 'USDC',
      amount: '1000',
      devAccount: 5,
      json: true,
      manifest: resolve('.devnet/manifest.json'),
    });
    expect(parseTraderArgs('trade', ['--asset', 'WETH', '--size', '-0.5'])).toMatchObject({ size: '-0.5', json: false });
    expect(
      parseTraderArgs('what-if', ['--deposit', 'collateral-a:USDC:1000', '--trade', 'WETH:-2', '--withdraw', 'collateral-b:WETH:1', '--cash', '-50'])
        .changes,
    ).toEqual([
      { deposit: { chain: 'collateral-a', asset: 'USDC', amount: '1000' } },
      { trade: { asset: 'WETH', size: '-2' } },
      { withdraw: { chain: 'collateral-b', asset: 'WETH', amount: '1' } },
      { cash: '-50' },
    ]);
    expect(parseTraderArgs('account', ['--aggregator', 'http://x:1']).aggregator).toBe('http://x:1');
  });

  it('refuses unknown options, missing values and required options, bad numbers and malformed changes', () => {
    expect(() => parseTraderArgs('deposit', ['--chain', 'a', '--asset', 'USDC'])).toThrow('deposit needs --amount');
    expect(() => parseTraderArgs('close', ['--asset', 'WETH', '--size', '1'])).toThrow('unknown option "--size" for close');
    expect(() => parseTraderArgs('trade', ['--asset'])).toThrow('option --asset needs a value');
    expect(() => parseTraderArgs('account', ['--dev-account', 'five'])).toThrow(/--dev-account must be an integer/);
    expect(() => parseTraderArgs('what-if', [])).toThrow(/at least one of/);
    expect(() => parseTraderArgs('what-if', ['--deposit', 'USDC:1000'])).toThrow(/chain:asset:amount/);
    expect(() => parseTraderArgs('what-if', ['--trade', 'WETH'])).toThrow(TraderUsageError);
  });

  it("finds a devnet's aggregator from the services.json next to its manifest", () => {
    const dir = mkdtempSync(join(tmpdir(), 'trader-cli-'));
    expect(defaultAggregatorUrl(join(dir, 'manifest.json'))).toBe('http://127.0.0.1:3000');
    writeFileSync(
      join(dir, 'services.json'),
      JSON.stringify({ pid: 1, updatedAt: '', services: [{ name: 'aggregator', url: 'http://127.0.0.1:18830' }] }),
    );
    expect(defaultAggregatorUrl(join(dir, 'manifest.json'))).toBe('http://127.0.0.1:18830');
  });
});

describe('tributary trader commands: exit codes', () => {
  it('every SDK error code has its own documented exit status, distinct from the deploy ones where it differs', () => {
    const distinct: [TributaryErrorCode, number][] = [
      ['insufficient-balance', 10],
      ['unlisted-asset', 11],
      ['vault-paused', 12],
      ['withdrawal-rejected', 13],
      ['insufficient-credit', 14],
      ['timeout', 15],
      ['api-unreachable', 16],
      ['reverted', 17],
      ['position-cap', 18],
    ];
    for (const [code, exit] of distinct) expect(exitCodeFor(new TributaryError(code, 'x'))).toBe(exit);
    expect(new Set(distinct.map(([, exit]) => exit)).size).toBe(distinct.length);
    expect(TRADER_EXIT['insufficient-native']).toBe(EXIT.funds);
    expect(TRADER_EXIT['rpc-unreachable']).toBe(EXIT.rpc);
    expect(exitCodeFor(new TraderUsageError('x'))).toBe(EXIT.usage);
  });

  it('a trader command without a key, or with --dev-account on a manifest whose chains are not local, is a key error (6)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trader-cli-'));
    const local = join(dir, 'local.json');
    const remote = join(dir, 'remote.json');
    writeFileSync(local, JSON.stringify(manifest('127.0.0.1')));
    writeFileSync(remote, JSON.stringify(manifest('rpc.example.org')));
    const io = { log: () => undefined, env: {} as NodeJS.ProcessEnv };
    await expect(run(['deposit', '--chain', 'a', '--asset', 'USDC', '--amount', '1', '--manifest', local], io)).rejects.toThrow(
      /needs the trader's key: set TRADER_PRIVATE_KEY, or --dev-account N/,
    );
    const devOnRemote = run(['trade', '--asset', 'WETH', '--size', '1', '--manifest', remote, '--dev-account', '5'], io);
    await expect(devOnRemote).rejects.toThrow(KeyError);
    await expect(run(['close', '--asset', 'WETH', '--manifest', local], { ...io, env: { TRADER_PRIVATE_KEY: '0x1234' } })).rejects.toThrow(
      'TRADER_PRIVATE_KEY is not a 32-byte hex private key',
    );
  });

  it('an unknown chain is reported before anything is sent (11, JSON with --json)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trader-cli-'));
    const local = join(dir, 'manifest.json');
    writeFileSync(local, JSON.stringify(manifest('127.0.0.1')));
    const lines: string[] = [];
    const code = await run(
      ['deposit', '--chain', 'nowhere', '--asset', 'USDC', '--amount', '1', '--manifest', local, '--dev-account', '5', '--json'],
      {
        log: (line) => lines.push(line),
        env: {},
      },
    );
    expect(code).toBe(11);
    expect(JSON.parse(lines.join('\n'))).toMatchObject({ ok: false, error: { code: 'unknown-chain' }, stages: [], exitCode: 11 });
  });
});
