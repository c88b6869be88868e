import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EXIT, HelpRequested, exitCodeFor, parseArgs, run, UsageError } from '../src/cli';
import { ConfigFileError } from '../src/config/schema';
import { InsufficientFundsError, KeyError, RpcUnreachableError, checkRpc, deployerSigner } from '../src/deploy/chain-session';
import { devnetDeployConfig } from '../src/devnet/devnet-config';
import { parseChainConfig } from '../src/config/schema';
import { JsonRpcProvider } from 'ethers';

const silent = { log: () => undefined, env: {} as NodeJS.ProcessEnv };

describe('tributary CLI arguments', () => {
  it('parses each command with its options', () => {
    expect(parseArgs(['devnet', '--dir', '/tmp/x'])).toEqual({ command: 'devnet', dir: '/tmp/x' });
    expect(parseArgs(['deploy', '--config', '/c.json'])).toEqual({ command: 'deploy', config: '/c.json', manifest: resolve('manifest.json') });
    expect(parseArgs(['add-chain', '--chain', '/n.json', '--manifest', '/m.json'])).toEqual({
      command: 'add-chain',
      chain: '/n.json',
      manifest: '/m.json',
    });
    expect(parseArgs(['status', '--manifest', '/m.json', '--chain', 'trading'])).toMatchObject({
      command: 'status',
      manifest: '/m.json',
      chain: 'trading',
    });
  });

  it('rejects an unknown command, an unknown option, a missing value and a missing required option', () => {
    expect(() => parseArgs(['launch'])).toThrow(/unknown command "launch"/);
    expect(() => parseArgs(['devnet', '--fast'])).toThrow(/unknown option "--fast"/);
    expect(() => parseArgs(['deploy', '--config'])).toThrow(/option --config needs a value/);
    expect(() => parseArgs(['add-chain', '--chain', 'x.json'])).toThrow(/add-chain needs --manifest/);
    expect(() => parseArgs([])).toThrow(UsageError);
    expect(() => parseArgs(['--help'])).toThrow(HelpRequested);
  });

  it('maps error kinds to distinct exit codes', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(EXIT.usage);
    expect(exitCodeFor(new ConfigFileError('x'))).toBe(EXIT.config);
    expect(exitCodeFor(new RpcUnreachableError('x'))).toBe(EXIT.rpc);
    expect(exitCodeFor(new InsufficientFundsError('x'))).toBe(EXIT.funds);
    expect(exitCodeFor(new KeyError('x'))).toBe(EXIT.key);
    expect(exitCodeFor(new Error('x'))).toBe(EXIT.failed);
  });
});

describe('tributary CLI errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-cli-'));
  let deadPort: number;
  let silentServer: Server;
  let silentPort: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // A port nothing listens on, and a TCP server that accepts and never answers.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    deadPort = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    silentServer = createServer((socket) => sockets.push(socket));
    await new Promise<void>((r) => silentServer.listen(0, '127.0.0.1', r));
    silentPort = (silentServer.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => silentServer.close(r));
  });

  it('an unreachable RPC names the chain and the URL', async () => {
    const config = devnetDeployConfig({ rpcUrls: [`http://127.0.0.1:${deadPort}`, `http://127.0.0.1:${deadPort}`, `http://127.0.0.1:${deadPort}`] });
    const file = join(dir, 'dead.json');
    writeFileSync(file, JSON.stringify(config));
    const promise = run(['deploy', '--config', file, '--manifest', join(dir, 'm.json')], silent);
    await expect(promise).rejects.toBeInstanceOf(RpcUnreachableError);
    await expect(promise).rejects.toThrow(`chain "trading": RPC http://127.0.0.1:${deadPort} unreachable (ECONNREFUSED)`);
  });

  it('an RPC that never answers times out with the same error kind', async () => {
    await expect(checkRpc('slow', `http://127.0.0.1:${silentPort}`, 1, 300)).rejects.toThrow(
      /chain "slow": RPC .* unreachable \(no answer within 300 ms\)/,
    );
  });

  it('status of an unknown chain lists the known ones', async () => {
    const manifest = {
      version: 1,
      assets: [{ assetId: 1, symbol: 'USDC', weightInit: 0.9, weightMaint: 0.95, imf: 0, volatility: 0.001 }],
      chains: [
        {
          name: 'trading',
          chainId: 1,
          eid: 1,
          rpcUrl: `http://127.0.0.1:${deadPort}`,
          role: 'trading',
          confirmations: 1,
          startBlock: 0,
          layerZero: {
            endpoint: '0x' + '1'.repeat(40),
            sendUln302: '0x' + '2'.repeat(40),
            receiveUln302: '0x' + '3'.repeat(40),
            worker: '0x' + '4'.repeat(40),
            dvnSigner: '0x' + '5'.repeat(40),
          },
          contracts: {},
        },
      ],
    };
    const file = join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify(manifest));
    await expect(run(['status', '--manifest', file, '--chain', 'nope'], silent)).rejects.toThrow('unknown chain "nope" (the manifest has: trading)');
    // The known chain is reported unreachable and the command fails with exit code 1.
    const lines: string[] = [];
    expect(await run(['status', '--manifest', file], { ...silent, log: (l) => lines.push(l) })).toBe(EXIT.failed);
    expect(lines.join('\n')).toMatch(/trading .* UNREACHABLE/);
  });

  it('add-chain without a recorded deployment says to deploy first', async () => {
    const chainFile = join(dir, 'chain.json');
    writeFileSync(
      chainFile,
      JSON.stringify({ name: 'extra', chainId: 9, eid: 9, rpcUrl: 'http://127.0.0.1:1', confirmations: 1, role: 'collateral', local: true }),
    );
    await expect(run(['add-chain', '--chain', chainFile, '--manifest', join(dir, 'none.json')], silent)).rejects.toThrow(
      /no deployment recorded .* run "tributary deploy" first/,
    );
  });

  it('a non-local chain without DEPLOYER_PRIVATE_KEY is refused without printing any key', () => {
    const chain = parseChainConfig({
      name: 'main',
      chainId: 1,
      eid: 30101,
      rpcUrl: 'http://127.0.0.1:1',
      confirmations: 15,
      role: 'collateral',
      layerZero: { endpoint: '0x' + '1'.repeat(40), sendUln302: '0x' + '2'.repeat(40), receiveUln302: '0x' + '3'.repeat(40) },
    });
    const provider = new JsonRpcProvider('http://127.0.0.1:1');
    expect(() => deployerSigner(chain, provider, {})).toThrow(KeyError);
    expect(() => deployerSigner(chain, provider, {})).toThrow(/set DEPLOYER_PRIVATE_KEY/);
    const badKey = 'not-a-key-0123456789';
    let message = '';
    try {
      deployerSigner(chain, provider, { DEPLOYER_PRIVATE_KEY: badKey });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('DEPLOYER_PRIVATE_KEY is not a valid private key');
    provider.destroy();
  });

  it('the built CLI exits 0 on --help, 2 with the usage on an unknown command and 3 on an invalid config', () => {
    const cli = resolve(__dirname, '..', 'dist', 'cli.js');
    const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: tributary <command>');
    const unknown = spawnSync(process.execPath, [cli, 'launch'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "launch"');
    const file = join(dir, 'invalid.json');
    writeFileSync(file, JSON.stringify({ chains: [], assets: [] }));
    const invalid = spawnSync(process.execPath, [cli, 'deploy', '--config', file], { encoding: 'utf8' });
    expect(invalid.status).toBe(3);
    expect(invalid.stderr).toContain('chains: Too small');
  });
});
