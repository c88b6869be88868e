import { devWallet } from '@tributary/contracts';
import { loadManifest } from '@tributary/protocol';
import {
  TributaryClient,
  TributaryError,
  isLocalManifest,
  type MaxWithdrawable,
  type Operation,
  type Stage,
  type TributaryErrorCode,
} from '@tributary/sdk';
import { KeyError } from '../deploy/chain-session';
import { TraderUsageError, parseTraderArgs, type TraderArgs, type TraderCommand } from './args';
import { describeChange, formatAccount, formatWhatIf, stageLine } from './format';

/** Exit status per SDK error code (documented in TRADER_USAGE). */
export const TRADER_EXIT: Record<TributaryErrorCode, number> = {
  'invalid-argument': 2,
  'rpc-unreachable': 4,
  'insufficient-native': 5,
  'insufficient-balance': 10,
  'insufficient-cash': 10,
  'unknown-chain': 11,
  'unlisted-asset': 11,
  'no-market': 11,
  'no-position': 11,
  'vault-paused': 12,
  'withdrawal-rejected': 13,
  'insufficient-credit': 14,
  'credit-stale': 14,
  'account-liquidatable': 14,
  'seizure-in-flight': 14,
  timeout: 15,
  'api-error': 16,
  'api-unreachable': 16,
  reverted: 17,
  'deposit-cap': 17,
  'pool-liquidity': 17,
  'position-cap': 18,
};

export interface TraderIo {
  log: (line: string) => void;
  error: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

/** The trader's key: `--dev-account N` (local chains only), else TRADER_PRIVATE_KEY; null for a read with `--address`. */
function traderKey(args: TraderArgs, local: boolean, env: NodeJS.ProcessEnv): { key: string; who: string } | null {
  if (args.devAccount !== undefined) {
    if (!local) throw new KeyError("--dev-account uses Hardhat's public dev mnemonic: only on local chains (a devnet); set TRADER_PRIVATE_KEY");
    return { key: devWallet(args.devAccount).privateKey, who: ` (dev account ${args.devAccount})` };
  }
  const key = env.TRADER_PRIVATE_KEY?.trim();
  if (key) {
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(key)) throw new KeyError('TRADER_PRIVATE_KEY is not a 32-byte hex private key');
    return { key: key.startsWith('0x') ? key : `0x${key}`, who: '' };
  }
  if (args.address && (args.command === 'account' || args.command === 'what-if')) return null;
  throw new KeyError(
    `${args.command} needs the trader's key: set TRADER_PRIVATE_KEY, or --dev-account N on a devnet${args.command === 'account' || args.command === 'what-if' ? ', or --address 0x… to read' : ''}`,
  );
}

function clientFor(args: TraderArgs, env: NodeJS.ProcessEnv): { client: TributaryClient; who: string } {
  const manifest = loadManifest(args.manifest);
  const local = isLocalManifest(manifest);
  const key = traderKey(args, local, env);
  const timeouts = args.timeoutSeconds ? { stageMs: args.timeoutSeconds * 1000, creditMs: args.timeoutSeconds * 1000 } : undefined;
  const common = { manifest, aggregatorUrl: args.aggregator, timeouts };
  if (key) return { client: new TributaryClient({ ...common, privateKey: key.key }), who: key.who };
  return { client: new TributaryClient({ ...common, address: args.address }), who: '' };
}

/** What each action command starts, and its one-line title. */
function start(client: TributaryClient, args: TraderArgs): { title: string; operation: Operation<unknown> } {
  const a = args as Required<Pick<TraderArgs, 'chain' | 'asset' | 'amount' | 'size'>> & TraderArgs;
  switch (args.command) {
    case 'deposit':
      return {
        title: `deposit ${a.amount} ${a.asset} on ${a.chain}`,
        operation: client.deposit({ chain: a.chain, asset: a.asset, amount: a.amount }),
      };
    case 'withdraw':
      return {
        title: `withdraw ${a.amount} ${a.asset} from ${a.chain}`,
        operation: client.withdraw({ chain: a.chain, asset: a.asset, amount: a.amount }),
      };
    case 'withdraw-cash':
      return { title: `withdraw ${a.amount} USD of cash`, operation: client.withdrawCash({ amount: a.amount }) };
    case 'repay':
      return { title: `repay ${a.amount} (quote token) into the settlement pool`, operation: client.repay({ amount: a.amount }) };
    case 'trade':
      return { title: `trade ${a.size} ${a.asset}`, operation: client.trade({ asset: a.asset, size: a.size }) };
    default:
      return { title: `close the ${a.asset} position`, operation: client.closePosition({ asset: a.asset }) };
  }
}

const stagesJson = (stages: Stage[] | undefined) => stages ?? [];

/** `tributary <trader command> …`: runs it, prints progress (or one JSON document with --json), returns the exit status. */
export async function runTrader(command: TraderCommand, rest: string[], io: TraderIo): Promise<number> {
  const args = parseTraderArgs(command, rest);
  const { client, who } = clientFor(args, io.env);
  const out = (value: unknown) => io.log(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
  try {
    if (command === 'account') {
      const account = await client.account(args.address ?? client.address);
      const withdrawable: MaxWithdrawable[] = [];
      for (const c of account.collateral) {
        if (c.balance === '0') continue;
        withdrawable.push(await client.maxWithdrawable({ chain: c.chain, asset: c.asset, account: account.address }));
      }
      if (args.json) out({ ok: true, command, account, withdrawable });
      else io.log(formatAccount(account, withdrawable, who));
      return 0;
    }
    if (command === 'what-if') {
      const address = args.address ?? client.address;
      const result = await client.whatIf(args.changes, { account: address });
      if (args.json) out({ ok: true, command, account: address, changes: args.changes.map(describeChange), ...result });
      else io.log(formatWhatIf(address, args.changes, result));
      return 0;
    }
    const { title, operation } = start(client, args);
    if (!args.json) {
      io.log(`${title} for ${client.address}${who}`);
      operation.on((stage) => io.log(stageLine(stage)));
    }
    const result = await operation;
    const total = operation.stages.at(-1)?.elapsedMs ?? 0;
    if (args.json) out({ ok: true, command, account: client.address, result, stages: operation.stages, totalMs: total });
    else io.log(`done in ${(total / 1000).toFixed(2)} s`);
    return 0;
  } catch (error) {
    if (!(error instanceof TributaryError)) throw error;
    const code = TRADER_EXIT[error.code] ?? 1;
    if (args.json)
      out({
        ok: false,
        command,
        error: { code: error.code, message: error.message, ...error.details },
        stages: stagesJson(error.stages),
        exitCode: code,
      });
    else io.error(`error [${error.code}]: ${error.message}`);
    return code;
  } finally {
    client.close();
  }
}

export { TraderUsageError };
