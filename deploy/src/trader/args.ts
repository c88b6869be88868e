import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WhatIfChange } from '@tributary/sdk';
import { readServicesFile, servicesFilePath } from '../supervision/service-state';

export const TRADER_COMMANDS = ['account', 'deposit', 'withdraw', 'withdraw-cash', 'repay', 'trade', 'close', 'what-if'] as const;
export type TraderCommand = (typeof TRADER_COMMANDS)[number];

export const TRADER_USAGE = `trader commands (keys: TRADER_PRIVATE_KEY, or --dev-account N on a devnet):
  account        [--address 0x…]                         collateral by chain, positions, credit, cash, risk, withdrawable now
  deposit        --chain <name> --asset <symbol> --amount <n>
  withdraw       --chain <name> --asset <symbol> --amount <n>   request, follow to the hub's decision and the payout
  withdraw-cash  --amount <usd>                          positive cash out as the quote token (USDC) on the trading chain
  repay          --amount <usdc>                         pay USDC into the settlement pool: cash rises
  trade          --asset <symbol> --size <±n>            open/change a perp position (negative = sell)
  close          --asset <symbol>                        close the whole position
  what-if        [--deposit chain:asset:n] [--withdraw chain:asset:n] [--trade asset:±n] [--cash ±usd] [--address 0x…]
                 (repeatable; the risk model now and after the changes)
  common: [--manifest .devnet/manifest.json] [--aggregator <url>] [--dev-account N] [--json] [--timeout <s>]
          --aggregator defaults to the devnet's (services.json next to the manifest), else http://127.0.0.1:3000
  trader exit codes: 10 insufficient balance (wallet, free vault balance or cash), 11 unknown chain, unlisted asset,
          no market or no position, 12 vault paused, 13 withdrawal rejected (reason named), 14 refused by a credit
          check (insufficient credit, stale push, liquidatable, seizure in flight), 15 a stage timed out,
          16 aggregator unreachable or API error, 17 transaction reverted (other: deposit cap, pool liquidity, …),
          18 a trade past a governed cap (market or account open interest, account exposure; the cap is named);
          and as above: 2 usage or invalid amount, 3 manifest, 4 RPC unreachable, 5 insufficient native funds, 6 key`;

export interface TraderArgs {
  command: TraderCommand;
  manifest: string;
  aggregator: string;
  devAccount?: number;
  json: boolean;
  timeoutSeconds?: number;
  address?: string;
  chain?: string;
  asset?: string;
  amount?: string;
  size?: string;
  changes: WhatIfChange[];
}

export class TraderUsageError extends Error {}

const COMMON = ['manifest', 'aggregator', 'dev-account', 'timeout'];
const SPEC: Record<TraderCommand, { required: string[]; optional?: string[]; repeatable?: string[] }> = {
  account: { required: [], optional: ['address'] },
  deposit: { required: ['chain', 'asset', 'amount'] },
  withdraw: { required: ['chain', 'asset', 'amount'] },
  'withdraw-cash': { required: ['amount'] },
  repay: { required: ['amount'] },
  trade: { required: ['asset', 'size'] },
  close: { required: ['asset'] },
  'what-if': { required: [], optional: ['address'], repeatable: ['deposit', 'withdraw', 'trade', 'cash'] },
};

export const isTraderCommand = (command: string | undefined): command is TraderCommand => TRADER_COMMANDS.includes(command as TraderCommand);

/** The devnet's aggregator (its supervisor's services.json next to the manifest), else the default port. */
export function defaultAggregatorUrl(manifest: string): string {
  const file = servicesFilePath(manifest);
  if (existsSync(file)) {
    const url = readServicesFile(file)?.services.find((s) => s.name === 'aggregator')?.url;
    if (url) return url;
  }
  return 'http://127.0.0.1:3000';
}

function parseChange(kind: string, value: string): WhatIfChange {
  const parts = value.split(':');
  const bad = (form: string) => new TraderUsageError(`--${kind} takes ${form}, got "${value}"`);
  switch (kind) {
    case 'deposit':
    case 'withdraw': {
      if (parts.length !== 3 || parts.some((p) => !p)) throw bad('chain:asset:amount (e.g. collateral-a:USDC:1000)');
      const [chain, asset, amount] = parts as [string, string, string];
      return kind === 'deposit' ? { deposit: { chain, asset, amount } } : { withdraw: { chain, asset, amount } };
    }
    case 'trade': {
      if (parts.length !== 2 || parts.some((p) => !p)) throw bad('asset:size (e.g. WETH:2 or WETH:-1)');
      return { trade: { asset: parts[0]!, size: parts[1]! } };
    }
    default:
      return { cash: value };
  }
}

export function parseTraderArgs(command: TraderCommand, rest: string[]): TraderArgs {
  const spec = SPEC[command];
  const single = new Set([...COMMON, ...spec.required, ...(spec.optional ?? [])]);
  const repeatable = new Set(spec.repeatable ?? []);
  const values: Record<string, string> = {};
  const changes: WhatIfChange[] = [];
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const option = rest[i]!;
    const name = option.replace(/^--/, '');
    if (option === '--json') {
      json = true;
      continue;
    }
    if (!option.startsWith('--') || !(single.has(name) || repeatable.has(name)))
      throw new TraderUsageError(`unknown option "${option}" for ${command}`);
    const value = rest[++i];
    if (value === undefined || value.startsWith('--')) throw new TraderUsageError(`option ${option} needs a value`);
    if (repeatable.has(name)) changes.push(parseChange(name, value));
    else values[name] = value;
  }
  for (const name of spec.required) if (!values[name]) throw new TraderUsageError(`${command} needs --${name}`);
  if (command === 'what-if' && changes.length === 0)
    throw new TraderUsageError('what-if needs at least one of --deposit, --withdraw, --trade, --cash');
  const number = (name: string, min: number, max: number) => {
    const text = values[name];
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new TraderUsageError(`--${name} must be an integer in [${min}, ${max}], got "${text}"`);
    return n;
  };
  const manifest = resolve(values.manifest ?? '.devnet/manifest.json');
  return {
    command,
    manifest,
    aggregator: values.aggregator ?? defaultAggregatorUrl(manifest),
    devAccount: number('dev-account', 0, 999),
    json,
    timeoutSeconds: number('timeout', 1, 86_400),
    address: values.address,
    chain: values.chain,
    asset: values.asset,
    amount: values.amount,
    size: values.size,
    changes,
  };
}
