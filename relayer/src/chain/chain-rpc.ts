import { FetchRequest, JsonRpcProvider, type Log, type TransactionReceipt, type TransactionResponse } from 'ethers';
import type { ChainConfig } from '../config/relayer-config.schema';

export interface BlockRef {
  number: number;
  hash: string;
}

export interface LogQuery {
  address: string[];
  topics: (string | string[] | null)[];
  fromBlock: number;
  toBlock: number;
}

export interface FeeData {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/**
 * Every JSON-RPC call the relayer makes to one chain. The service only sees this interface, so unit tests
 * inject faults and integration tests put a faulty proxy in front of a real node.
 */
export interface ChainRpc {
  readonly eid: number;
  readonly name: string;
  blockNumber(): Promise<number>;
  block(number: number): Promise<BlockRef | null>;
  logs(query: LogQuery): Promise<Log[]>;
  receipt(txHash: string): Promise<TransactionReceipt | null>;
  transaction(txHash: string): Promise<TransactionResponse | null>;
  transactionCount(address: string, tag: 'latest' | 'pending'): Promise<number>;
  /** Native balance in wei at the latest block. */
  balance(address: string): Promise<bigint>;
  call(to: string, data: string, from?: string, gasLimit?: bigint, value?: bigint): Promise<string>;
  broadcast(signedTx: string): Promise<string>;
  feeData(): Promise<FeeData>;
  close(): void;
}

const READ_RETRIES = 2;
const READ_RETRY_PAUSE_MS = 50;

/** A node answer that retrying cannot change (a revert of eth_call). */
function isRevertLike(error: unknown): boolean {
  const detail = error as { code?: string; data?: string; info?: { error?: { message?: string } } } | undefined;
  return (
    detail?.code === 'CALL_EXCEPTION' &&
    (Boolean(detail.data && detail.data !== '0x') || /revert|out of gas/i.test(detail.info?.error?.message ?? ''))
  );
}

/** Observer of failed RPC calls (metrics). */
export type RpcErrorListener = (chain: string, method: string, error: unknown) => void;

export class JsonRpcChainRpc implements ChainRpc {
  readonly eid: number;
  readonly name: string;
  private readonly provider: JsonRpcProvider;

  constructor(
    chain: ChainConfig,
    private readonly onError: RpcErrorListener = () => undefined,
  ) {
    this.eid = chain.eid;
    this.name = chain.name;
    const request = new FetchRequest(chain.rpcUrl);
    request.timeout = chain.rpcTimeoutMs;
    this.provider = new JsonRpcProvider(request, chain.chainId, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  }

  /**
   * Reads are idempotent: a failed one is retried READ_RETRIES times after a short pause (every failure
   * is still counted). eth_sendRawTransaction is not retried here: the pipeline decides (write-ahead, nonce).
   */
  private async wrap<T>(method: string, run: () => Promise<T>, retries = READ_RETRIES): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        this.onError(this.name, method, error);
        if (attempt >= retries || isRevertLike(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, READ_RETRY_PAUSE_MS * (attempt + 1)));
      }
    }
  }

  blockNumber(): Promise<number> {
    return this.wrap('eth_blockNumber', async () => Number(await this.provider.send('eth_blockNumber', [])));
  }

  block(number: number): Promise<BlockRef | null> {
    return this.wrap('eth_getBlockByNumber', async () => {
      const block = await this.provider.getBlock(number);
      return block?.hash ? { number: block.number, hash: block.hash } : null;
    });
  }

  logs(query: LogQuery): Promise<Log[]> {
    return this.wrap('eth_getLogs', () => this.provider.getLogs({ ...query }));
  }

  receipt(txHash: string): Promise<TransactionReceipt | null> {
    return this.wrap('eth_getTransactionReceipt', () => this.provider.getTransactionReceipt(txHash));
  }

  transaction(txHash: string): Promise<TransactionResponse | null> {
    return this.wrap('eth_getTransactionByHash', () => this.provider.getTransaction(txHash));
  }

  transactionCount(address: string, tag: 'latest' | 'pending'): Promise<number> {
    return this.wrap('eth_getTransactionCount', () => this.provider.getTransactionCount(address, tag));
  }

  balance(address: string): Promise<bigint> {
    return this.wrap('eth_getBalance', () => this.provider.getBalance(address, 'latest'));
  }

  call(to: string, data: string, from?: string, gasLimit?: bigint, value?: bigint): Promise<string> {
    return this.wrap('eth_call', () => this.provider.call({ to, data, from, gasLimit, value }));
  }

  broadcast(signedTx: string): Promise<string> {
    return this.wrap('eth_sendRawTransaction', () => this.provider.send('eth_sendRawTransaction', [signedTx]) as Promise<string>, 0);
  }

  feeData(): Promise<FeeData> {
    return this.wrap('eth_feeHistory', async () => {
      const data = await this.provider.getFeeData();
      const priority = data.maxPriorityFeePerGas ?? 1_000_000_000n;
      return { maxFeePerGas: data.maxFeePerGas ?? data.gasPrice ?? priority * 2n, maxPriorityFeePerGas: priority };
    });
  }

  close(): void {
    this.provider.destroy();
  }
}
