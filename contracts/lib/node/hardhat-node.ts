import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HDNodeWallet, JsonRpcProvider, type Provider } from 'ethers';

/** A local chain: one `hardhat node` process. */
export interface LocalChain {
  chainId: number;
  port: number;
  rpcUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartChainOptions {
  chainId: number;
  port: number;
  /** Interval mining (ms); omitted = automine (a block per transaction). */
  blockTimeMs?: number;
  accounts?: number;
  /**
   * Keep chain time on the wall clock (blocks may share a timestamp): a burst of automined transactions would
   * otherwise push each block a second ahead. The devnet wants it; tests that measure refills per block do not.
   */
  wallClock?: boolean;
  /** Where the node's output goes; default: discarded. */
  logFile?: NodeJS.WritableStream;
  /**
   * Start the node from a project with no compiled contracts (`bareNodeConfig()`): its request log cannot name
   * contract calls. Benches compare it (docs/performance.md: it saves ~5 % of the node's CPU per transaction).
   */
  bare?: boolean;
}

/** The directory of the contracts package, whose hardhat.config.ts the node uses. */
export const CONTRACTS_ROOT = dirname(require.resolve('@tributary/contracts/package.json'));

async function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.end(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * A Hardhat config with this package's chain settings (`hardhatNetworkFromEnv`) in a project with nothing compiled,
 * written under cache/ (Hardhat must resolve from inside the repository); returns its path.
 */
export function bareNodeConfig(): string {
  const dir = join(CONTRACTS_ROOT, 'cache', 'bare-node');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'hardhat.config.ts');
  const networkEnv = JSON.stringify(join(CONTRACTS_ROOT, 'lib', 'node', 'network-env'));
  const config = `import { hardhatNetworkFromEnv } from ${networkEnv};\n\nexport default { networks: { hardhat: hardhatNetworkFromEnv() } };\n`;
  if (readFileSafe(file) !== config) writeFileSync(file, config);
  return file;
}

function readFileSafe(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Starts `hardhat node` on 127.0.0.1:`port` and resolves when it answers eth_chainId. */
export async function startHardhatNode(options: StartChainOptions): Promise<LocalChain> {
  if (await portIsOpen(options.port)) throw new Error(`port ${options.port} is already in use; stop whatever listens there first`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HH_CHAIN_ID: String(options.chainId),
    // 22 dev accounts: the devnet's roles use 0–20 (20: the independent verifier, the second DVN).
    HH_ACCOUNTS: String(options.accounts ?? 22),
    HH_WALL_CLOCK: options.wallClock ? '1' : '0',
  };
  if (options.blockTimeMs) env.HH_BLOCK_TIME_MS = String(options.blockTimeMs);
  const hardhatCli = require.resolve('hardhat/internal/cli/cli', { paths: [CONTRACTS_ROOT] });
  const config = options.bare ? ['--config', bareNodeConfig()] : [];
  const child = spawn(process.execPath, [hardhatCli, ...config, 'node', '--hostname', '127.0.0.1', '--port', String(options.port)], {
    cwd: CONTRACTS_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const capture = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
    options.logFile?.write(chunk);
  };
  child.stdout!.on('data', capture);
  child.stderr!.on('data', capture);
  const rpcUrl = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hardhat node on port ${options.port} exited: ${output.slice(-2000)}`);
    try {
      const provider = new JsonRpcProvider(rpcUrl, options.chainId, { staticNetwork: true });
      const chainId = await provider.send('eth_chainId', []);
      provider.destroy();
      if (Number(chainId) !== options.chainId) throw new Error(`port ${options.port} answers chain ${Number(chainId)}`);
      return { chainId: options.chainId, port: options.port, rpcUrl, process: child, stop };
    } catch (error) {
      if ((error as Error).message.startsWith('port ')) {
        await stop();
        throw error;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await stop();
  throw new Error(`hardhat node on port ${options.port} did not start within 60 s: ${output.slice(-2000)}`);
}

/** Hardhat's publicly known development mnemonic: funds only ever exist on local chains. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** Development account `index` of a local chain (0 = deployer; give each service its own). */
export function devWallet(index: number, provider?: Provider): HDNodeWallet {
  return HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).connect(provider ?? null);
}
