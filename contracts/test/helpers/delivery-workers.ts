import { ethers } from 'hardhat';
import type { Signer } from 'ethers';
import {
  addressToBytes32,
  decodePacket,
  deployEndpoint,
  lzContract,
  lzReceiveOptions,
  wireDefaultPathway,
  type DecodedPacket,
  type EndpointDeployment,
} from '../../lib';
import {
  DeliveryWorker__factory,
  PingOApp__factory,
  RelayerWorker__factory,
  type DeliveryWorker,
  type IDeliveryWorker,
  type PingOApp,
} from '../../typechain-types';

export const SRC_EID = 40201;
export const DST_EID = 40202;
export const CONFIRMATIONS = 2;
export const RECEIVE_GAS = 200_000;

/** A → B pathway on the real EndpointV2 + ULN302 whose receive config requires two DeliveryWorker contracts. */
export interface WorkerPathway {
  src: EndpointDeployment;
  dst: EndpointDeployment;
  sender: PingOApp;
  receiver: PingOApp;
  /** The relayer's and the verifier's DeliveryWorker on B, owned by `relayerKey` / `verifierKey`. */
  relayerWorker: DeliveryWorker;
  verifierWorker: DeliveryWorker;
  relayerKey: Signer;
  verifierKey: Signer;
}

/** `keys`: the two keys themselves are the required DVNs (the three-transaction path, for comparison). */
export async function deployWorkerPathway(dvns: 'workers' | 'keys' = 'workers'): Promise<WorkerPathway> {
  const [deployer, relayerKey, verifierKey] = await ethers.getSigners();
  const src = await deployEndpoint(deployer, SRC_EID);
  const dst = await deployEndpoint(deployer, DST_EID);
  const sendWorker = await new RelayerWorker__factory(deployer).deploy(deployer.address, [src.sendUln302]);
  await sendWorker.setDstConfig(DST_EID, { enabled: true, dvnFee: 1000n, executorFee: 2000n });
  const relayerWorker = await new DeliveryWorker__factory(deployer).deploy(relayerKey.address, dst.endpoint, dst.receiveUln302);
  const verifierWorker = await new DeliveryWorker__factory(deployer).deploy(verifierKey.address, dst.endpoint, dst.receiveUln302);
  const sendDvn = await sendWorker.getAddress();
  await wireDefaultPathway(deployer, src, {
    remoteEid: DST_EID,
    confirmations: CONFIRMATIONS,
    sendDvns: [sendDvn],
    receiveDvns: [deployer.address],
    executor: sendDvn,
  });
  await wireDefaultPathway(deployer, dst, {
    remoteEid: SRC_EID,
    confirmations: CONFIRMATIONS,
    // The B → A direction is unused: any DVN satisfies ULN302's at-least-one-DVN check.
    sendDvns: [deployer.address],
    receiveDvns:
      dvns === 'workers' ? [await relayerWorker.getAddress(), await verifierWorker.getAddress()] : [relayerKey.address, verifierKey.address],
    executor: sendDvn,
  });
  const sender = await new PingOApp__factory(deployer).deploy(src.endpoint, deployer.address);
  const receiver = await new PingOApp__factory(deployer).deploy(dst.endpoint, deployer.address);
  await sender.setPeer(DST_EID, addressToBytes32(await receiver.getAddress()));
  await receiver.setPeer(SRC_EID, addressToBytes32(await sender.getAddress()));
  return { src, dst, sender, receiver, relayerWorker, verifierWorker, relayerKey, verifierKey };
}

export async function sendPing(w: WorkerPathway, message: string): Promise<DecodedPacket> {
  const options = lzReceiveOptions(RECEIVE_GAS);
  const fee = await w.sender.quote(DST_EID, message, options);
  const receipt = await (await w.sender.ping(DST_EID, message, options, { value: fee.nativeFee })).wait();
  const endpoint = lzContract('EndpointV2', w.src.endpoint, (await ethers.getSigners())[0]);
  const log = receipt!.logs.map((l) => endpoint.interface.parseLog(l)).find((l) => l?.name === 'PacketSent');
  return decodePacket(log!.args.encodedPayload);
}

/** The batch entry of a packet as the relayer builds it (lzReceive budget = the option + 100k endpoint overhead). */
export function deliveryOf(packet: DecodedPacket, gasLimit = RECEIVE_GAS + 100_000): IDeliveryWorker.DeliveryStruct {
  return {
    header: packet.header,
    payloadHash: packet.payloadHash,
    confirmations: CONFIRMATIONS,
    guid: packet.guid,
    message: packet.message,
    gasLimit,
    value: 0n,
  };
}

/** The endpoint's view of a packet on B: committed payload hash (zero once executed) and the lazy nonce. */
export async function endpointState(w: WorkerPathway, packet: DecodedPacket) {
  const endpoint = lzContract('EndpointV2', w.dst.endpoint, (await ethers.getSigners())[0]);
  return {
    payloadHash: (await endpoint.inboundPayloadHash(packet.receiver, packet.srcEid, packet.sender, packet.nonce)) as string,
    lazyNonce: (await endpoint.lazyInboundNonce(packet.receiver, packet.srcEid, packet.sender)) as bigint,
  };
}
