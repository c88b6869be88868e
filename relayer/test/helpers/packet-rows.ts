import type { PacketEntity } from '../../src/database/packet.entity';

export const address = (n: number) => '0x' + n.toString(16).padStart(40, '0');
export const word = (n: number, bytes = 32) => '0x' + n.toString(16).padStart(bytes * 2, '0');

/** A stored packet `n` (guid, nonce and hashes derived from n) waiting in `prepare`; tests override what they need. */
export function packetRow(n: number, overrides: Partial<PacketEntity> = {}): PacketEntity {
  return {
    guid: word(n),
    srcEid: 40101,
    dstEid: 40102,
    sender: word(10),
    receiver: address(11),
    nonce: n,
    header: '0x',
    message: '0x',
    payloadHash: word(1000 + n),
    receiveGas: '200000',
    receiveValue: '0',
    srcBlockNumber: n,
    srcBlockHash: word(2000 + n),
    srcTxHash: word(3000 + n),
    status: 'verifying',
    stage: 'prepare',
    pendingAction: null,
    pendingTxHash: null,
    pendingTxNonce: null,
    pendingTxRaw: null,
    pendingChainRaw: null,
    pendingTxSentAt: null,
    attempts: 0,
    nextAttemptAt: 0,
    lastError: null,
    claimedBy: null,
    claimUntil: null,
    seenAt: 0,
    confirmedAt: null,
    deliveredAt: null,
    updatedAt: 0,
    ...overrides,
  };
}

/** A relayer config of two chains (alpha 40101 → beta 40102) and one pathway, for suites that never reach an RPC. */
export function twoChainConfig(rpcUrl = 'http://127.0.0.1:9') {
  const chain = (name: string, eid: number) => ({
    name,
    eid,
    chainId: eid,
    rpcUrl,
    confirmations: 1,
    endpoint: address(1),
    receiveUln302: address(2),
    worker: address(3),
  });
  return {
    chains: [chain('alpha', 40101), chain('beta', 40102)],
    pathways: [{ srcEid: 40101, sender: address(10), dstEid: 40102, receiver: address(11) }],
  };
}
