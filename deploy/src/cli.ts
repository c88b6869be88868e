#!/usr/bin/env node
import { resolve } from 'node:path';
import { ConfigFileError, loadDeployConfig, parseChainConfig, readJsonFile } from './config/schema';
import { addChain, UnknownDeploymentError } from './deploy/add-chain';
import { InsufficientFundsError, KeyError, RpcUnreachableError } from './deploy/chain-session';
import { deploy, type DeployResult } from './deploy/deployer';
import { startDevnet } from './devnet/devnet';
import { UnknownChainError, deploymentStatus, formatStatus } from './deploy/status';
import { TributaryError } from '@tributary/sdk';
import { TRADER_USAGE, TraderUsageError, isTraderCommand } from './trader/args';
import { TRADER_EXIT, runTrader } from './trader/run';
import { PARAMS_USAGE, ParamsUsageError, runParams } from './params/params-cli';

const USAGE = `usage: tributary <command> [options]

commands:
  devnet     [--dir .devnet]
             3 local chains, LayerZero V2, our contracts, relayer, aggregator, price simulator; Ctrl-C stops all
  deploy     --config <deploy-config.json> [--manifest <manifest.json>]
             deploy + wire everything the config lists (idempotent: a second run sends no transaction)
  add-chain  --chain <chain.json> --manifest <manifest.json>
             deploy a vault on a new collateral chain, wire it to the hub both ways, update the manifest
  status     --manifest <manifest.json> [--chain <name>] [--aggregator <url>] [--relayer <url>]
             reachability, code at every recorded address, peers, service health;
             next to a devnet's manifest also its services' supervisor state (restarts, last exit)

keys: DEPLOYER_PRIVATE_KEY, or on local chains Hardhat's dev account 0
exit codes: 0 ok, 1 failed / status not ok, 2 usage, 3 invalid config or manifest, 4 RPC unreachable,
            5 insufficient funds, 6 missing or invalid key

${TRADER_USAGE}

${PARAMS_USAGE}`;

export class UsageError extends Error {}
/** `--help`: the usage, on stdout, exit 0. */
export class HelpRequested extends Error {}

export const EXIT = { ok: 0, failed: 1, usage: 2, config: 3, rpc: 4, funds: 5, key: 6 } as const;

export type CliArgs =
  | { command: 'devnet'; dir: string }
  | { command: 'deploy'; config: string; manifest: string }
  | { command: 'add-chain'; chain: string; manifest: string }
  | { command: 'status'; manifest: string; chain?: string; aggregator?: string; relayer?: string };

const OPTIONS: Record<CliArgs['command'], { allowed: string[]; required: string[] }> = {
  devnet: { allowed: ['dir'], required: [] },
  deploy: { allowed: ['config', 'manifest'], required: ['config'] },
  'add-chain': { allowed: ['chain', 'manifest'], required: ['chain', 'manifest'] },
  status: { allowed: ['manifest', 'chain', 'aggregator', 'relayer'], required: ['manifest'] },
};

/** One readable line: ethers errors carry whole transactions in `message`. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const short = (error as Error & { shortMessage?: string }).shortMessage ?? error.message;
  return short.length > 800 ? `${short.slice(0, 800)}…` : short;
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof TraderUsageError || error instanceof ParamsUsageError) return EXIT.usage;
  if (error instanceof TributaryError) return TRADER_EXIT[error.code] ?? EXIT.failed;
  if (error instanceof ConfigFileError || error instanceof UnknownDeploymentError || error instanceof UnknownChainError) return EXIT.config;
  if (error instanceof Error && error.message.startsWith('invalid deployment manifest')) return EXIT.config;
  if (error instanceof Error && error.message.startsWith('cannot read deployment manifest')) return EXIT.config;
  if (error instanceof RpcUnreachableError) return EXIT.rpc;
  if (error instanceof InsufficientFundsError) return EXIT.funds;
  if (error instanceof KeyError) return EXIT.key;
  return EXIT.failed;
}

export function parseArgs(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') throw new HelpRequested(USAGE);
  if (!command) throw new UsageError(USAGE);
  if (!(command in OPTIONS)) throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  const spec = OPTIONS[command as CliArgs['command']];
  const values: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const option = rest[i]!;
    const name = option.replace(/^--/, '');
    if (!option.startsWith('--') || !spec.allowed.includes(name)) throw new UsageError(`unknown option "${option}" for ${command}\n\n${USAGE}`);
    const value = rest[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`option ${option} needs a value`);
    values[name] = value;
  }
  for (const name of spec.required) if (!values[name]) throw new UsageError(`${command} needs --${name}\n\n${USAGE}`);
  const path = (name: string, fallback?: string) => (values[name] ?? fallback) && resolve((values[name] ?? fallback)!);
  switch (command) {
    case 'devnet':
      return { command, dir: path('dir', '.devnet')! };
    case 'deploy':
      return { command, config: path('config')!, manifest: path('manifest', 'manifest.json')! };
    case 'add-chain':
      return { command, chain: path('chain')!, manifest: path('manifest')! };
    default:
      return { command: 'status', manifest: path('manifest')!, chain: values.chain, aggregator: values.aggregator, relayer: values.relayer };
  }
}

function summarize(result: DeployResult, manifestPath: string): string {
  const txs = Object.entries(result.transactions)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  return `manifest ${manifestPath}${result.manifestChanged ? ' (written)' : ' (unchanged)'}\ntransactions sent: ${txs}`;
}

async function runDevnet(dir: string, log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<number> {
  const port = (name: string, fallback: number) => Number(env[name] ?? fallback);
  const devnet = await startDevnet({
    dir,
    chainPort: port('DEVNET_CHAIN_PORT', 8545),
    aggregatorPort: port('DEVNET_AGGREGATOR_PORT', 3000),
    relayerPort: port('DEVNET_RELAYER_PORT', 3100),
    verifierPort: port('DEVNET_VERIFIER_PORT', 3300),
    webPort: port('DEVNET_WEB_PORT', 3200),
    blockTimeMs: port('DEVNET_BLOCK_TIME_MS', 1000),
    heartbeatSeconds: env.DEVNET_HEARTBEAT_SECONDS ? Number(env.DEVNET_HEARTBEAT_SECONDS) : undefined,
    decayWindowSeconds: env.DEVNET_DECAY_WINDOW_SECONDS ? Number(env.DEVNET_DECAY_WINDOW_SECONDS) : undefined,
    log,
  });
  const web = devnet.webBuilt
    ? `${devnet.urls.web}   (trader and operator views; demo accounts 5–19)`
    : `${devnet.urls.web}   (not built: npm run build -w @tributary/web, then reload)`;
  log(`devnet ready:
  web app     ${web}
  API         ${devnet.urls.aggregator}/v1   (accounts, risk, oracle, credit, liquidations, chains)
  API docs    ${devnet.urls.aggregator}/docs
  metrics     ${devnet.urls.aggregator}/metrics  ${devnet.urls.relayer}/metrics  ${devnet.urls.verifier}/metrics
  health      ${devnet.urls.aggregator}/health  ${devnet.urls.relayer}/health  ${devnet.urls.verifier}/health
  verifier    ${devnet.urls.verifier}  (second DVN: own process, key = dev account 20, store ${dir}/verifier.sqlite)
  relayer API ${devnet.urls.relayer}  (operator key in ${dir}/relayer-api-key)
  chains      ${devnet.manifest.chains.map((c) => `${c.name} (chainId ${c.chainId}, eid ${c.eid}) ${c.rpcUrl}`).join('\n              ')}
  manifest    ${devnet.manifestPath}
  demo        Hardhat dev accounts 5–19 hold test USDC/WETH (+WBTC on collateral-b), vaults approved
  add a chain start a hardhat node, then: tributary add-chain --chain <chain.json> --manifest ${devnet.manifestPath}
              (the devnet restarts the relayer and the aggregator when the manifest changes)
  supervised  the relayer, the verifier and the aggregator are restarted when they crash (backoff 1 s doubling to 30 s);
              restarts: tributary status --manifest ${devnet.manifestPath}
  logs        ${dir}
Ctrl-C stops everything.`);
  await new Promise<void>((done) => {
    let stopping = false;
    const shutdown = () => {
      if (stopping) return;
      stopping = true;
      log('stopping devnet…');
      void devnet.stop().then(() => {
        log('devnet stopped');
        done();
      });
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
  return EXIT.ok;
}

export async function run(
  argv: string[],
  io: { log: (line: string) => void; error?: (line: string) => void; env: NodeJS.ProcessEnv },
): Promise<number> {
  if (argv[0] === 'params') return runParams(argv.slice(1), io);
  if (isTraderCommand(argv[0])) return runTrader(argv[0], argv.slice(1), { ...io, error: io.error ?? io.log });
  const args = parseArgs(argv);
  const { log, env } = io;
  switch (args.command) {
    case 'devnet':
      return runDevnet(args.dir, log, env);
    case 'deploy': {
      const result = await deploy({ config: loadDeployConfig(args.config), manifestPath: args.manifest, env, log });
      log(summarize(result, args.manifest));
      return EXIT.ok;
    }
    case 'add-chain': {
      const chain = parseChainConfig(readJsonFile(args.chain, 'chain config'), `chain config ${args.chain}`);
      const result = await addChain({ manifestPath: args.manifest, chain, env, log });
      log(summarize(result, args.manifest));
      log('running relayer/aggregator: restart them to follow the new chain (a devnet does this itself)');
      return EXIT.ok;
    }
    case 'status': {
      const services = [
        ...(args.aggregator ? [{ name: 'aggregator', url: `${args.aggregator.replace(/\/$/, '')}/health` }] : []),
        ...(args.relayer ? [{ name: 'relayer', url: `${args.relayer.replace(/\/$/, '')}/health` }] : []),
      ];
      const status = await deploymentStatus(args.manifest, services, args.chain);
      log(formatStatus(status));
      return status.ok ? EXIT.ok : EXIT.failed;
    }
  }
}

if (require.main === module) {
  run(process.argv.slice(2), { log: (line) => console.log(line), error: (line) => console.error(line), env: process.env }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof HelpRequested) {
        console.log(error.message);
        process.exit(EXIT.ok);
      }
      console.error(`error: ${describeError(error)}`);
      process.exit(exitCodeFor(error));
    },
  );
}
