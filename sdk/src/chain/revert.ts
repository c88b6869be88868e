import { Interface, isError, type ErrorDescription } from 'ethers';
import {
  CollateralVault__factory,
  CreditManager__factory,
  MarginHub__factory,
  PerpMarket__factory,
  SettlementPool__factory,
  TestERC20__factory,
} from '@tributary/contracts';
import { RevertError, TributaryError, type TributaryErrorCode } from '../core/errors';

/** Every custom error our contracts (and an OpenZeppelin ERC-20) can revert with, from their generated ABIs. */
const INTERFACES = [
  CollateralVault__factory,
  MarginHub__factory,
  CreditManager__factory,
  PerpMarket__factory,
  SettlementPool__factory,
  TestERC20__factory,
].map((factory) => new Interface(factory.abi));

/** Custom errors with a code of their own (the rest are `reverted`, with the error's name). */
const CODES: Record<string, TributaryErrorCode> = {
  VaultPaused: 'vault-paused',
  AssetNotListed: 'unlisted-asset',
  MarketNotListed: 'no-market',
  DepositCapExceeded: 'deposit-cap',
  InsufficientFreeBalance: 'insufficient-balance',
  ERC20InsufficientBalance: 'insufficient-balance',
  InsufficientCredit: 'insufficient-credit',
  CreditStale: 'credit-stale',
  AccountLiquidatable: 'account-liquidatable',
  SeizureInFlight: 'seizure-in-flight',
  InsufficientCash: 'insufficient-cash',
  InsufficientPoolLiquidity: 'pool-liquidity',
  MarketOpenInterestCap: 'position-cap',
  AccountOpenInterestCap: 'position-cap',
  AccountExposureCap: 'position-cap',
};

/** The revert data of an ethers error, wherever the provider put it. */
function revertData(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const data = (current as { data?: unknown }).data;
    if (typeof data === 'string' && data.startsWith('0x') && data.length >= 10) return data;
    if (data && typeof data === 'object' && typeof (data as { data?: unknown }).data === 'string') return (data as { data: string }).data;
    current = (current as { error?: unknown; info?: { error?: unknown } }).error ?? (current as { info?: { error?: unknown } }).info?.error;
  }
  return null;
}

/** The custom error in `error` (any of our contracts), or null. */
export function decodeRevert(error: unknown): ErrorDescription | null {
  const data = revertData(error);
  if (!data) return null;
  for (const iface of INTERFACES) {
    try {
      const parsed = iface.parseError(data);
      if (parsed) return parsed;
    } catch {
      // not this contract's error
    }
  }
  return null;
}

/**
 * A readable, typed error for a failed transaction or call: our contracts' custom errors by name, the node's "not
 * enough native token" as `insufficient-native`; anything else is returned unchanged. `context` starts the message.
 */
export function explainError(error: unknown, context: string): unknown {
  if (error instanceof TributaryError) return error;
  if (isError(error, 'INSUFFICIENT_FUNDS')) return new TributaryError('insufficient-native', `${context}: not enough native token for gas and fees`);
  const parsed = decodeRevert(error);
  if (parsed) {
    const args = parsed.args.toArray().map(String);
    const message = `${context}: ${parsed.name}(${args.join(', ')})`;
    const code = CODES[parsed.name];
    return code ? new TributaryError(code, message, { errorName: parsed.name, args }) : new RevertError(message, parsed.name, args);
  }
  if (isError(error, 'CALL_EXCEPTION')) return new RevertError(`${context}: ${error.shortMessage}`, null);
  if (isError(error, 'NETWORK_ERROR') || isError(error, 'TIMEOUT') || (error as { code?: string })?.code === 'ECONNREFUSED')
    return new TributaryError('rpc-unreachable', `${context}: ${(error as Error).message}`);
  return error;
}
