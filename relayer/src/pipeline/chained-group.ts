import { decodeSignedTx, isNonceError, type TxSender } from '@tributary/service-kit';
import { Transaction } from 'ethers';
import { RECEIVE_ULN_ABI } from '../chain/abis';
import type { PacketEntity } from '../database/packet.entity';

export interface ReplacedTx {
  action: 'verify' | 'commit' | 'execute';
  nonce: number;
  hash: string;
}

/** Which step an earlier transaction of a chained group is (verify or commitVerification on ReceiveUln302). */
function actionOf(tx: Transaction): ReplacedTx['action'] {
  const selector = tx.data.slice(0, 10);
  if (selector === RECEIVE_ULN_ABI.getFunction('verify')!.selector) return 'verify';
  if (selector === RECEIVE_ULN_ABI.getFunction('commitVerification')!.selector) return 'commit';
  return 'execute';
}

/**
 * Replaces, with raised fees and in nonce order, the earlier transactions of a packet's chained group that are
 * not mined yet (nonce ≥ `minedNonce`): a stuck verify holds back the commit and lzReceive behind it, so raising
 * only the last one's fees would never unstick the group. Each replacement is stored (through `store`, before its
 * broadcast) in place of the transaction it replaces. One mined meanwhile (nonce used) is left as it is.
 * The caller replaces the group's last transaction (the packet's pending one) itself.
 */
export async function replaceChainedGroup(
  packet: Pick<PacketEntity, 'pendingChainRaw'>,
  submitter: TxSender,
  minedNonce: number,
  store: (pendingChainRaw: string) => Promise<void>,
): Promise<ReplacedTx[]> {
  if (!packet.pendingChainRaw) return [];
  const raws = JSON.parse(packet.pendingChainRaw) as string[];
  const replaced: ReplacedTx[] = [];
  for (let i = 0; i < raws.length; i++) {
    const tx = Transaction.from(raws[i]!);
    if (tx.nonce < minedNonce) continue;
    const request = { to: tx.to!, data: tx.data, gasLimit: tx.gasLimit, value: tx.value };
    try {
      const replacement = await submitter.replace(request, decodeSignedTx(raws[i]!), {
        record: async (signed) => {
          const next = [...raws];
          next[i] = signed.raw;
          await store(JSON.stringify(next));
          raws[i] = signed.raw;
        },
      });
      replaced.push({ action: actionOf(tx), nonce: replacement.nonce, hash: replacement.hash });
    } catch (error) {
      if (!isNonceError(error)) throw error;
    }
  }
  return replaced;
}
