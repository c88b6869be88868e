#!/usr/bin/env node
import { resolve } from 'node:path';
import { startDevnet } from './devnet';

const USAGE = `usage: tributary <command>

commands:
  devnet     start local chains, LayerZero V2, the relayer and the aggregator; Ctrl-C stops everything`;

export class UsageError extends Error {}

/** One readable line: ethers errors carry whole transactions in `message`. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const short = (error as Error & { shortMessage?: string }).shortMessage ?? error.message;
  return short.length > 500 ? `${short.slice(0, 500)}…` : short;
}

export interface DevnetArgs {
  command: 'devnet';
  dir: string;
}

export function parseArgs(argv: string[]): DevnetArgs {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') throw new UsageError(USAGE);
  if (command !== 'devnet') throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  let dir = resolve('.devnet');
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--dir' && rest[i + 1]) dir = resolve(rest[++i]!);
    else throw new UsageError(`unknown option "${rest[i]}" for ${command}\n\n${USAGE}`);
  }
  return { command, dir };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  const env = process.env;
  const devnet = await startDevnet({
    dir: args.dir,
    chainPort: Number(env.DEVNET_CHAIN_PORT ?? 8545),
    aggregatorPort: Number(env.DEVNET_AGGREGATOR_PORT ?? 3000),
    relayerPort: Number(env.DEVNET_RELAYER_PORT ?? 3100),
    blockTimeMs: Number(env.DEVNET_BLOCK_TIME_MS ?? 1000),
    log,
  });
  const aggregatorPort = env.DEVNET_AGGREGATOR_PORT ?? 3000;
  const relayerPort = env.DEVNET_RELAYER_PORT ?? 3100;
  log(`devnet ready:
  aggregator  http://127.0.0.1:${aggregatorPort}  (health /health, metrics /metrics)
  relayer     http://127.0.0.1:${relayerPort}  (health /health, metrics /metrics)
  chains      ${devnet.chains.map((c) => `${c.chainId}@${c.rpcUrl}`).join(', ')}
  logs        ${args.dir}
Ctrl-C stops everything.`);
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    log('stopping devnet…');
    void devnet.stop().then(() => {
      log('devnet stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(describeError(error));
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
