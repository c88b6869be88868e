import type { ChainConfig, RelayerConfig } from '../config/relayer-config.schema';
import type { SignerKeys } from '../config/relayer-config.load';
import type { ChainRpc, RpcErrorListener } from './chain-rpc';

export const RELAYER_SETUP = Symbol('RELAYER_SETUP');

export type ChainRpcFactory = (chain: ChainConfig, onError: RpcErrorListener) => ChainRpc;

/**
 * relayer: the app's DVN and executor (verify, commit, lzReceive). verifier: an independent DVN that only
 * verifies, from the source chain's own logs, with its own key, store and worker (and watches for forgeries).
 */
export type RelayerRole = 'relayer' | 'verifier';

/** Everything the relayer module needs besides the env config. */
export interface RelayerSetup {
  config: RelayerConfig;
  /** Default 'relayer'. */
  role?: RelayerRole;
  keys: SignerKeys;
  /** Names this process in row claims. */
  workerId: string;
  /** Start the watcher and pipeline loops at bootstrap (tests drive them by hand with false). */
  autoStart: boolean;
  /** Operator API key; absent = every operator request is refused. */
  apiKey?: string;
  /** RPC access per chain (tests inject faults here). */
  rpcFactory?: ChainRpcFactory;
}
