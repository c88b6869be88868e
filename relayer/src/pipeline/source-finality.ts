import type { ChainContext } from '../chain/chain-registry';
import type { PacketEntity } from '../database/packet.entity';

export type SourceFinality = { kind: 'final' } | { kind: 'wait' } | { kind: 'moved'; blockNumber: number; blockHash: string } | { kind: 'dropped' };

/**
 * Has the packet's source block reached the pathway's confirmations, and is its transaction still in that
 * block? A receipt in another block means the packet moved (confirmations count again from there); no
 * receipt means it left the canonical chain and must never be verified.
 */
export async function checkSourceFinality(src: ChainContext, packet: PacketEntity): Promise<SourceFinality> {
  const head = await src.rpc.blockNumber();
  if (head - packet.srcBlockNumber < src.config.confirmations) return { kind: 'wait' };
  const receipt = await src.rpc.receipt(packet.srcTxHash);
  if (!receipt) return { kind: 'dropped' };
  if (receipt.blockHash.toLowerCase() !== packet.srcBlockHash.toLowerCase()) {
    return { kind: 'moved', blockNumber: receipt.blockNumber, blockHash: receipt.blockHash };
  }
  return { kind: 'final' };
}
