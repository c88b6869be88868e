import type { Fees, MinedReceipt, TxRpc } from '@tributary/service-kit';
import type { ChainRpc } from '../chain/chain-rpc';
import type { GasSettings } from '../config/relayer-config.schema';

/** How long a destination chain's signer reuses a fee quote (one fee read per burst of sends). */
export const FEE_CACHE_MS = 3_000;

/** A destination chain's ChainRpc as the kit's TxSender sees it; fixed fees from the config win over the node's quote. */
export class ChainTxRpc implements TxRpc {
  constructor(
    private readonly rpc: ChainRpc,
    readonly chainId: number,
    private readonly gas: GasSettings,
  ) {}

  nonce(address: string, tag: 'pending' | 'latest'): Promise<number> {
    return this.rpc.transactionCount(address, tag);
  }

  async fees(): Promise<Fees> {
    if (this.gas.maxFeePerGas && this.gas.maxPriorityFeePerGas) {
      return { maxFeePerGas: BigInt(this.gas.maxFeePerGas), maxPriorityFeePerGas: BigInt(this.gas.maxPriorityFeePerGas) };
    }
    return this.rpc.feeData();
  }

  async broadcast(raw: string): Promise<void> {
    await this.rpc.broadcast(raw);
  }

  async receipt(hash: string): Promise<MinedReceipt | null> {
    const receipt = await this.rpc.receipt(hash);
    return receipt ? { status: receipt.status ?? 0, blockNumber: receipt.blockNumber } : null;
  }

  async known(hash: string): Promise<boolean> {
    return (await this.rpc.transaction(hash)) !== null;
  }
}
