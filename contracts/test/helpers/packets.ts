import { concat, keccak256, solidityPacked, toUtf8Bytes, zeroPadValue } from 'ethers';
import { decodePacket, lzContract, type DecodedPacket } from '../../lib';
import type { Protocol } from './fixture';

/** Every PacketSent from `srcEid` toward `dstEid`, in nonce order. */
export async function sentPackets(p: Protocol, srcEid: number, dstEid: number): Promise<DecodedPacket[]> {
  const endpoint = lzContract('EndpointV2', p.endpoints[srcEid].endpoint, p.deployer);
  const logs = await endpoint.queryFilter(endpoint.filters.PacketSent());
  return logs
    .map((l) => decodePacket((l as unknown as { args: { encodedPayload: string } }).args.encodedPayload))
    .filter((packet) => packet.dstEid === dstEid);
}

/** Both DVNs verify, then commit, without executing (LayerZero V2 then allows execution in any order). */
export async function verifyAndCommit(p: Protocol, dstEid: number, packets: DecodedPacket[]) {
  const uln = lzContract('ReceiveUln302', p.endpoints[dstEid].receiveUln302, p.dvn);
  const second = lzContract('ReceiveUln302', p.endpoints[dstEid].receiveUln302, p.verifier);
  for (const packet of packets) {
    await (await uln.verify(packet.header, packet.payloadHash, 1)).wait();
    await (await second.verify(packet.header, packet.payloadHash, 1)).wait();
    await (await uln.getFunction('commitVerification')(packet.header, packet.payloadHash)).wait();
  }
}

/** Executes already committed packets in the given order. */
export async function execute(p: Protocol, dstEid: number, packets: DecodedPacket[]) {
  const endpoint = lzContract('EndpointV2', p.endpoints[dstEid].endpoint, p.deployer);
  const receipts = [];
  for (const packet of packets) {
    const origin = { srcEid: packet.srcEid, sender: packet.sender, nonce: packet.nonce };
    receipts.push(await (await endpoint.lzReceive(origin, packet.receiver, packet.guid, packet.message, '0x')).wait());
  }
  return receipts;
}

/**
 * A packet nobody sent: the next inbound nonce of (receiver, srcEid, sender) carrying `message`, with a made-up
 * guid. What a DVN key alone could "verify" on the destination.
 */
export async function forgePacket(
  p: Protocol,
  params: { srcEid: number; sender: string; dstEid: number; receiver: string; message: string; salt?: string },
) {
  const endpoint = lzContract('EndpointV2', p.endpoints[params.dstEid].endpoint, p.deployer);
  const sender = zeroPadValue(params.sender, 32);
  const nonce = ((await endpoint.inboundNonce(params.receiver, params.srcEid, sender)) as bigint) + 1n;
  const header = solidityPacked(
    ['uint8', 'uint64', 'uint32', 'bytes32', 'uint32', 'bytes32'],
    [1, nonce, params.srcEid, sender, params.dstEid, zeroPadValue(params.receiver, 32)],
  );
  const guid = keccak256(toUtf8Bytes(`forged ${nonce} ${params.salt ?? ''}`));
  return { header, guid, nonce, sender, message: params.message, payloadHash: keccak256(concat([guid, params.message])) };
}
