import { type Provider, type Signer, type TransactionReceipt, Interface } from 'ethers';
import { loadLzArtifact } from './artifacts';
import { decodeLzReceiveOptions, lzContract } from './layerzero';
import { decodePacket, type DecodedPacket } from './packet';

/** One delivered packet and the receipts of the three destination transactions (absent when already done). */
export interface DeliveredPacket {
  packet: DecodedPacket;
  verifyReceipt?: TransactionReceipt;
  /** `verify` of each further DVN (`otherDvnSigners`), in order. */
  otherVerifyReceipts?: TransactionReceipt[];
  commitReceipt?: TransactionReceipt;
  receiveReceipt: TransactionReceipt;
}

export interface DeliverPendingParams {
  /** Where PacketSent is read. */
  source: { provider: Provider; endpoint: string; fromBlock?: number };
  /** Where the packet is verified, committed and executed. `signer` pays commit + lzReceive (defaults to dvnSigner). */
  destination: { endpoint: string; receiveUln302: string; signer?: Signer };
  /** Key configured as the pathway's required DVN on the destination ReceiveUln302. */
  dvnSigner: Signer;
  /** Further required DVN keys of the pathway (each verifies too; a pathway needs them all). */
  otherDvnSigners?: Signer[];
}

/**
 * Test and tooling helper that plays DVNs + committer + executor: every PacketSent on the source endpoint
 * toward the destination's eid that is not executed yet gets `verify` (by each DVN key, reporting the receive
 * config's confirmations), `commitVerification` and `EndpointV2.lzReceive` with the lzReceive value its options
 * ask for, in nonce order. Each step is skipped when on-chain state shows it done, so calling it again is
 * harmless. Not the relayer service.
 */
export async function deliverPending(params: DeliverPendingParams): Promise<DeliveredPacket[]> {
  const { source, destination, dvnSigner } = params;
  const executor = destination.signer ?? dvnSigner;
  const endpoint = lzContract('EndpointV2', destination.endpoint, executor);
  const receiveUln = lzContract('ReceiveUln302', destination.receiveUln302, dvnSigner);
  const dstEid = Number(await endpoint.eid());

  const endpointInterface = new Interface(loadLzArtifact('EndpointV2').abi);
  const topic = endpointInterface.getEvent('PacketSent')!.topicHash;
  const logs = await source.provider.getLogs({ address: source.endpoint, topics: [topic], fromBlock: source.fromBlock ?? 0, toBlock: 'latest' });
  const sent = logs
    .map((log) => endpointInterface.parseLog(log)!.args)
    .map((args) => ({ packet: decodePacket(args.encodedPayload as string), value: decodeLzReceiveOptions(args.options as string).value }))
    .filter(({ packet }) => packet.dstEid === dstEid)
    .sort((a, b) => (a.packet.nonce < b.packet.nonce ? -1 : a.packet.nonce > b.packet.nonce ? 1 : 0));

  const delivered: DeliveredPacket[] = [];
  for (const { packet, value } of sent) {
    const stored: string = await endpoint.inboundPayloadHash(packet.receiver, packet.srcEid, packet.sender, packet.nonce);
    const lazyNonce: bigint = await endpoint.lazyInboundNonce(packet.receiver, packet.srcEid, packet.sender);
    const zero = '0x' + '0'.repeat(64);
    if (packet.nonce <= lazyNonce && stored === zero) continue; // executed
    const result: Partial<DeliveredPacket> = { packet };
    if (stored.toLowerCase() !== packet.payloadHash.toLowerCase()) {
      const config = await receiveUln.getUlnConfig(packet.receiver, packet.srcEid);
      result.verifyReceipt = (await (await receiveUln.verify(packet.header, packet.payloadHash, config.confirmations)).wait())!;
      result.otherVerifyReceipts = [];
      for (const other of params.otherDvnSigners ?? []) {
        const uln = receiveUln.connect(other) as typeof receiveUln;
        result.otherVerifyReceipts.push((await (await uln.getFunction('verify')(packet.header, packet.payloadHash, config.confirmations)).wait())!);
      }
      const commit = receiveUln.connect(executor) as typeof receiveUln;
      result.commitReceipt = (await (await commit.getFunction('commitVerification')(packet.header, packet.payloadHash)).wait())!;
    }
    const origin = { srcEid: packet.srcEid, sender: packet.sender, nonce: packet.nonce };
    result.receiveReceipt = (await (await endpoint.lzReceive(origin, packet.receiver, packet.guid, packet.message, '0x', { value })).wait())!;
    delivered.push(result as DeliveredPacket);
  }
  return delivered;
}
