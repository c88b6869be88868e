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

/** DVN verify + commit without executing (LayerZero V2 then allows execution in any order). */
export async function verifyAndCommit(p: Protocol, dstEid: number, packets: DecodedPacket[]) {
  const uln = lzContract('ReceiveUln302', p.endpoints[dstEid].receiveUln302, p.dvn);
  for (const packet of packets) {
    await (await uln.verify(packet.header, packet.payloadHash, 1)).wait();
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
