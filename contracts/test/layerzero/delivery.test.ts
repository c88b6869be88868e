import { expect } from 'chai';
import { ethers } from 'hardhat';
import { addressToBytes32, decodePacket, deployEndpoint, lzContract, lzReceiveOptions, wireDefaultPathway, type EndpointDeployment } from '../../lib';
import { PingOApp__factory, RelayerWorker__factory, type PingOApp, type RelayerWorker } from '../../typechain-types';

const EID_A = 40101;
const EID_B = 40102;
const CONFIRMATIONS = 2;

describe('LayerZero V2 delivery through the real EndpointV2 + ULN302', () => {
  let endpoints: Record<number, EndpointDeployment>;
  let workers: Record<number, RelayerWorker>;
  let apps: Record<number, PingOApp>;

  beforeEach(async () => {
    const [deployer, dvnSigner] = await ethers.getSigners();
    endpoints = { [EID_A]: await deployEndpoint(deployer, EID_A), [EID_B]: await deployEndpoint(deployer, EID_B) };
    workers = {};
    apps = {};
    for (const eid of [EID_A, EID_B]) {
      workers[eid] = await new RelayerWorker__factory(deployer).deploy(deployer.address, [endpoints[eid].sendUln302]);
      apps[eid] = await new PingOApp__factory(deployer).deploy(endpoints[eid].endpoint, deployer.address);
    }
    for (const [local, remote] of [
      [EID_A, EID_B],
      [EID_B, EID_A],
    ]) {
      const worker = await workers[local].getAddress();
      await workers[local].setDstConfig(remote, { enabled: true, dvnFee: 1000n, executorFee: 2000n });
      await wireDefaultPathway(deployer, endpoints[local], {
        remoteEid: remote,
        confirmations: CONFIRMATIONS,
        sendDvns: [worker],
        receiveDvns: [dvnSigner.address],
        executor: worker,
      });
      await apps[local].setPeer(remote, addressToBytes32(await apps[remote].getAddress()));
    }
  });

  async function sendPing(message: string) {
    const options = lzReceiveOptions(200_000);
    const fee = await apps[EID_A].quote(EID_B, message, options);
    const tx = await apps[EID_A].ping(EID_B, message, options, { value: fee.nativeFee });
    const receipt = await tx.wait();
    const endpoint = lzContract('EndpointV2', endpoints[EID_A].endpoint, (await ethers.getSigners())[0]);
    const log = receipt!.logs.map((l) => endpoint.interface.parseLog(l)).find((l) => l?.name === 'PacketSent');
    return { fee, packet: decodePacket(log!.args.encodedPayload) };
  }

  it('quotes the worker fees and emits job assignments', async () => {
    const { fee, packet } = await sendPing('0x01020304');
    expect(fee.nativeFee).to.equal(3000n);
    expect(packet.srcEid).to.equal(EID_A);
    expect(packet.dstEid).to.equal(EID_B);
    expect(packet.nonce).to.equal(1n);
    expect(packet.receiver).to.equal(await apps[EID_B].getAddress());
    expect(packet.message).to.equal('0x01020304');
  });

  it('delivers a packet: DVN verify, commitVerification, lzReceive', async () => {
    const [, dvnSigner, anyone] = await ethers.getSigners();
    const { packet } = await sendPing('0xdeadbeef');
    const receiveUln = lzContract('ReceiveUln302', endpoints[EID_B].receiveUln302, dvnSigner);
    const endpointB = lzContract('EndpointV2', endpoints[EID_B].endpoint, anyone);

    expect(await receiveUln.verifiable(ulnConfigOf(dvnSigner.address), keccakHeader(packet.header), packet.payloadHash)).to.equal(false);
    await (await receiveUln.verify(packet.header, packet.payloadHash, CONFIRMATIONS)).wait();
    await (await receiveUln.connect(anyone).getFunction('commitVerification')(packet.header, packet.payloadHash)).wait();
    const origin = { srcEid: packet.srcEid, sender: packet.sender, nonce: packet.nonce };
    expect(await endpointB.inboundPayloadHash(packet.receiver, packet.srcEid, packet.sender, packet.nonce)).to.equal(packet.payloadHash);

    await (await endpointB.lzReceive(origin, packet.receiver, packet.guid, packet.message, '0x')).wait();
    expect(await apps[EID_B].received()).to.equal(1n);
    expect(await apps[EID_B].lastMessage()).to.equal('0xdeadbeef');
    expect(await endpointB.lazyInboundNonce(packet.receiver, packet.srcEid, packet.sender)).to.equal(1n);
    await expect(endpointB.lzReceive(origin, packet.receiver, packet.guid, packet.message, '0x')).to.be.reverted;
  });

  it('refuses a verification signed by a key that is not the configured DVN', async () => {
    const [, , stranger] = await ethers.getSigners();
    const { packet } = await sendPing('0x05');
    const receiveUln = lzContract('ReceiveUln302', endpoints[EID_B].receiveUln302, stranger);
    await (await receiveUln.verify(packet.header, packet.payloadHash, CONFIRMATIONS)).wait();
    await expect(receiveUln.getFunction('commitVerification')(packet.header, packet.payloadHash)).to.be.revertedWithCustomError(
      receiveUln,
      'LZ_ULN_Verifying',
    );
  });

  it('executes in nonce order only', async () => {
    const [, dvnSigner] = await ethers.getSigners();
    const first = (await sendPing('0x11')).packet;
    const second = (await sendPing('0x22')).packet;
    const receiveUln = lzContract('ReceiveUln302', endpoints[EID_B].receiveUln302, dvnSigner);
    const endpointB = lzContract('EndpointV2', endpoints[EID_B].endpoint, dvnSigner);
    for (const p of [second, first]) {
      await (await receiveUln.verify(p.header, p.payloadHash, CONFIRMATIONS)).wait();
      await (await receiveUln.getFunction('commitVerification')(p.header, p.payloadHash)).wait();
    }
    await (await endpointB.lzReceive({ srcEid: EID_A, sender: first.sender, nonce: 1n }, first.receiver, first.guid, first.message, '0x')).wait();
    await (await endpointB.lzReceive({ srcEid: EID_A, sender: second.sender, nonce: 2n }, second.receiver, second.guid, second.message, '0x')).wait();
    expect(await apps[EID_B].received()).to.equal(2n);
    expect(await apps[EID_B].lastNonce()).to.equal(2n);
  });
});

function keccakHeader(header: string): string {
  return ethers.keccak256(header);
}

function ulnConfigOf(dvn: string) {
  return { confirmations: CONFIRMATIONS, requiredDVNCount: 1, optionalDVNCount: 0, optionalDVNThreshold: 0, requiredDVNs: [dvn], optionalDVNs: [] };
}
