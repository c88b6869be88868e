import { JsonRpcProvider, Network, Wallet, formatEther, type Signer } from 'ethers';
import { devWallet } from '@tributary/contracts';
import type { ChainConfig } from '../config/schema';
import type { DeployJournal } from './journal';
import { decodeRevert } from './revert-reason';

/** Errors the CLI maps to distinct exit codes. */
export class RpcUnreachableError extends Error {}
export class InsufficientFundsError extends Error {}
export class KeyError extends Error {}

/** A connected chain: provider, deployer signer and a count of what the deployer sent. */
export interface ChainSession {
  config: ChainConfig;
  provider: JsonRpcProvider;
  deployer: Signer;
  deployerAddress: string;
  /** Deployer nonce when the session opened (transactions sent = nonce now − this). */
  startNonce: number;
  /** Deployments not yet in a manifest (resume after a failed run). */
  journal?: DeployJournal;
  close(): void;
}

export function makeProvider(rpcUrl: string, chainId: number, pollingIntervalMs = 50): JsonRpcProvider {
  // cacheTimeout -1: ethers otherwise caches eth_getTransactionCount for 250 ms and reuses a spent nonce.
  const provider = new JsonRpcProvider(rpcUrl, Network.from(chainId), { staticNetwork: true, cacheTimeout: -1 });
  provider.pollingInterval = pollingIntervalMs;
  return provider;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads eth_chainId; throws RpcUnreachableError naming the chain when the RPC does not answer. */
export async function checkRpc(name: string, rpcUrl: string, expectedChainId: number, timeoutMs = 5000): Promise<void> {
  let answered: string;
  try {
    const response = await withTimeout(
      fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      }),
      timeoutMs,
      `no answer within ${timeoutMs} ms`,
    );
    const body = (await response.json()) as { result?: string };
    if (!body.result) throw new Error(`HTTP ${response.status} without a result`);
    answered = body.result;
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new RpcUnreachableError(`chain "${name}": RPC ${rpcUrl} unreachable (${cause})`);
  }
  if (Number(answered) !== expectedChainId) {
    throw new RpcUnreachableError(`chain "${name}": RPC ${rpcUrl} answers chainId ${Number(answered)}, config says ${expectedChainId}`);
  }
}

/**
 * The deployer key: DEPLOYER_PRIVATE_KEY, or on a local chain Hardhat's dev account 0. The key itself is
 * never printed; errors name only the variable.
 */
export function deployerSigner(config: ChainConfig, provider: JsonRpcProvider, env: NodeJS.ProcessEnv): Signer {
  const key = env.DEPLOYER_PRIVATE_KEY;
  if (key) {
    try {
      return new Wallet(key, provider);
    } catch {
      throw new KeyError('DEPLOYER_PRIVATE_KEY is not a valid private key');
    }
  }
  if (config.local) return devWallet(0, provider);
  throw new KeyError(`chain "${config.name}" is not local: set DEPLOYER_PRIVATE_KEY (Hardhat's dev mnemonic is only used on local chains)`);
}

export async function openChainSession(config: ChainConfig, env: NodeJS.ProcessEnv): Promise<ChainSession> {
  await checkRpc(config.name, config.rpcUrl, config.chainId);
  const provider = makeProvider(config.rpcUrl, config.chainId, config.local ? 50 : 1000);
  const deployer = deployerSigner(config, provider, env);
  const deployerAddress = await deployer.getAddress();
  const startNonce = await provider.getTransactionCount(deployerAddress, 'latest');
  return { config, provider, deployer, deployerAddress, startNonce, close: () => provider.destroy() };
}

/** Fails before any transaction when the deployer cannot pay at least `minimumWei`. */
export async function requireFunds(session: ChainSession, minimumWei: bigint): Promise<void> {
  const balance = await session.provider.getBalance(session.deployerAddress);
  if (balance < minimumWei) {
    throw new InsufficientFundsError(
      `chain "${session.config.name}": deployer ${session.deployerAddress} has ${formatEther(balance)} native, needs at least ${formatEther(minimumWei)}`,
    );
  }
}

/** Rewrites ethers' INSUFFICIENT_FUNDS into an error naming the chain and the account. */
export function explainSendError(session: ChainSession, error: unknown): Error {
  const code = (error as { code?: string }).code;
  if (code === 'INSUFFICIENT_FUNDS') {
    return new InsufficientFundsError(`chain "${session.config.name}": deployer ${session.deployerAddress} has insufficient funds for a transaction`);
  }
  const reason = decodeRevert((error as { data?: unknown }).data ?? (error as { info?: { error?: { data?: unknown } } }).info?.error?.data);
  if (reason) {
    const short = (error as { shortMessage?: string }).shortMessage ?? 'execution reverted';
    return new Error(`chain "${session.config.name}": ${short.replace(/\s*\(unknown custom error\)/, '')}: ${reason}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

export async function transactionsSent(session: ChainSession): Promise<number> {
  return (await session.provider.getTransactionCount(session.deployerAddress, 'latest')) - session.startNonce;
}
