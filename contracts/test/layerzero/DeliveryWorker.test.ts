import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { lzContract } from '../../lib';
import { DST_EID, deliveryOf, deployWorkerPathway, endpointState, sendPing, type WorkerPathway } from '../helpers/delivery-workers';

const ZERO = ethers.ZeroHash;
const workerPathway = () => deployWorkerPathway();

async function batchEvent(w: WorkerPathway, tx: Promise<{ wait: () => Promise<unknown> }>) {
  const receipt = (await (await tx).wait()) as { logs: { topics: string[]; data: string }[] };
  const parsed = receipt.logs.map((l) => w.relayerWorker.interface.parseLog(l)).filter((l) => l !== null);
  const batch = parsed.find((l) => l.name === 'BatchDelivered')!;
  const [size, verified, committed, executed, failed, skipped, deferred] = batch.args.map(Number);
  return { size, verified, committed, executed, failed, skipped, deferred, failures: parsed.filter((l) => l.name === 'LzReceiveFailed') };
}

describe('DeliveryWorker (receive-side DVN contract, real EndpointV2 + ULN302)', () => {
  it('the first DVN batch only verifies; the second verifies, commits and executes every packet', async () => {
    const w = await loadFixture(workerPathway);
    const packets = [await sendPing(w, '0x01'), await sendPing(w, '0x02'), await sendPing(w, '0x03')];
    const batch = packets.map((p) => deliveryOf(p));

    const first = await batchEvent(w, w.relayerWorker.connect(w.relayerKey).verifyAndDeliver(batch));
    expect(first).to.include({ size: 3, verified: 3, committed: 0, executed: 0, deferred: 3, skipped: 0 });
    expect(await w.receiver.received()).to.equal(0n);

    const second = await batchEvent(w, w.verifierWorker.connect(w.verifierKey).verifyAndDeliver(batch));
    expect(second).to.include({ size: 3, verified: 3, committed: 3, executed: 3, failed: 0, deferred: 0 });
    expect(await w.receiver.received()).to.equal(3n);
    expect(await w.receiver.lastNonce()).to.equal(3n);
    expect((await endpointState(w, packets[2])).lazyNonce).to.equal(3n);
  });

  it('executes a later nonce of the batch first in the list once every lower nonce is committed by the batch', async () => {
    const w = await loadFixture(workerPathway);
    const packets = [await sendPing(w, '0x01'), await sendPing(w, '0x02')];
    const batch = [deliveryOf(packets[1]), deliveryOf(packets[0])];
    await w.relayerWorker.connect(w.relayerKey).verifyAndDeliver(batch);
    const second = await batchEvent(w, w.verifierWorker.connect(w.verifierKey).verifyAndDeliver(batch));
    expect(second).to.include({ committed: 2, executed: 2, failed: 0 });
    expect(await w.receiver.received()).to.equal(2n);
  });

  it('skips delivered packets, completes half-verified ones and leaves new ones waiting for the other DVN', async () => {
    const w = await loadFixture(workerPathway);
    const [delivered, halfVerified, fresh] = [await sendPing(w, '0x0a'), await sendPing(w, '0x0b'), await sendPing(w, '0x0c')];
    await w.relayerWorker.connect(w.relayerKey).verifyAndDeliver([deliveryOf(delivered), deliveryOf(halfVerified)]);
    await w.verifierWorker.connect(w.verifierKey).verifyAndDeliver([deliveryOf(delivered)]);
    expect(await w.receiver.received()).to.equal(1n);

    const mixed = await batchEvent(
      w,
      w.verifierWorker.connect(w.verifierKey).verifyAndDeliver([delivered, halfVerified, fresh].map((p) => deliveryOf(p))),
    );
    expect(mixed).to.include({ size: 3, skipped: 1, verified: 2, committed: 1, executed: 1, deferred: 1 });
    expect(await w.receiver.received()).to.equal(2n);
    expect((await endpointState(w, fresh)).payloadHash).to.equal(ZERO);

    // A repeat of the same batch by the same DVN changes nothing but the skips.
    const repeat = await batchEvent(
      w,
      w.verifierWorker.connect(w.verifierKey).verifyAndDeliver([delivered, halfVerified, fresh].map((p) => deliveryOf(p))),
    );
    expect(repeat).to.include({ skipped: 2, verified: 0, committed: 0, executed: 0, deferred: 1 });

    const last = await batchEvent(w, w.relayerWorker.connect(w.relayerKey).verifyAndDeliver([deliveryOf(fresh)]));
    expect(last).to.include({ verified: 1, committed: 1, executed: 1 });
    expect(await w.receiver.received()).to.equal(3n);
  });

  it('a reverting lzReceive does not block the rest of the batch and stays committed for a retry', async () => {
    const w = await loadFixture(workerPathway);
    const packets = [await sendPing(w, '0x01'), await sendPing(w, '0xff'), await sendPing(w, '0x03')];
    const batch = packets.map((p) => deliveryOf(p));
    await w.relayerWorker.connect(w.relayerKey).verifyAndDeliver(batch);
    const result = await batchEvent(w, w.verifierWorker.connect(w.verifierKey).verifyAndDeliver(batch));
    expect(result).to.include({ committed: 3, executed: 2, failed: 1 });
    expect(result.failures).to.have.length(1);
    expect(result.failures[0].args.guid).to.equal(packets[1].guid);
    expect(result.failures[0].args.index).to.equal(1n);
    // PingRefused() selector in the reason: the app's own revert, passed through.
    expect(result.failures[0].args.reason).to.equal(w.receiver.interface.getError('PingRefused')!.selector);
    expect(await w.receiver.received()).to.equal(2n);
    expect((await endpointState(w, packets[1])).payloadHash).to.equal(packets[1].payloadHash);
  });

  it('defers an lzReceive it cannot give its full gas budget', async () => {
    const w = await loadFixture(workerPathway);
    const packet = await sendPing(w, '0x01');
    await w.relayerWorker.connect(w.relayerKey).verifyAndDeliver([deliveryOf(packet)]);
    const result = await batchEvent(
      w,
      w.verifierWorker.connect(w.verifierKey).verifyAndDeliver([deliveryOf(packet, 25_000_000)], { gasLimit: 1_000_000 }),
    );
    expect(result).to.include({ committed: 1, executed: 0, deferred: 1 });
    expect((await endpointState(w, packet)).payloadHash).to.equal(packet.payloadHash);
  });

  it('verifies on ReceiveUln302 as the contract, not as the key', async () => {
    const w = await loadFixture(workerPathway);
    const packet = await sendPing(w, '0x01');
    await w.relayerWorker.connect(w.relayerKey).verifyAndDeliver([deliveryOf(packet)]);
    const uln = lzContract('ReceiveUln302', w.dst.receiveUln302, w.relayerKey);
    const headerHash = ethers.keccak256(packet.header);
    expect((await uln.hashLookup(headerHash, packet.payloadHash, await w.relayerWorker.getAddress()))[0]).to.equal(true);
    expect((await uln.hashLookup(headerHash, packet.payloadHash, await w.relayerKey.getAddress()))[0]).to.equal(false);
  });

  it('only the owner submits batches and withdraws', async () => {
    const w = await loadFixture(workerPathway);
    const packet = await sendPing(w, '0x01');
    await expect(w.relayerWorker.connect(w.verifierKey).verifyAndDeliver([deliveryOf(packet)]))
      .to.be.revertedWithCustomError(w.relayerWorker, 'OwnableUnauthorizedAccount')
      .withArgs(await w.verifierKey.getAddress());
    await expect(w.relayerWorker.connect(w.verifierKey).withdraw(await w.verifierKey.getAddress(), 0n)).to.be.revertedWithCustomError(
      w.relayerWorker,
      'OwnableUnauthorizedAccount',
    );
  });

  it('rejects an empty batch, a malformed or foreign header and too little value, changing nothing', async () => {
    const w = await loadFixture(workerPathway);
    const packet = await sendPing(w, '0x01');
    const worker = w.relayerWorker.connect(w.relayerKey);
    await expect(worker.verifyAndDeliver([])).to.be.revertedWithCustomError(worker, 'EmptyBatch');
    const short = { ...deliveryOf(packet), header: packet.header.slice(0, -2) };
    await expect(worker.verifyAndDeliver([deliveryOf(packet), short]))
      .to.be.revertedWithCustomError(worker, 'InvalidPacketHeader')
      .withArgs(1n);
    // dstEid (bytes 45..49) of another chain.
    const foreign = {
      ...deliveryOf(packet),
      header: packet.header.slice(0, 2 + 90) + (DST_EID + 1).toString(16).padStart(8, '0') + packet.header.slice(2 + 98),
    };
    await expect(worker.verifyAndDeliver([foreign]))
      .to.be.revertedWithCustomError(worker, 'InvalidPacketHeader')
      .withArgs(0n);
    await expect(worker.verifyAndDeliver([{ ...deliveryOf(packet), value: 5n }], { value: 4n }))
      .to.be.revertedWithCustomError(worker, 'InsufficientValue')
      .withArgs(5n, 4n);
    const uln = lzContract('ReceiveUln302', w.dst.receiveUln302, w.relayerKey);
    expect((await uln.hashLookup(ethers.keccak256(packet.header), packet.payloadHash, await worker.getAddress()))[0]).to.equal(false);
  });

  it('keeps the value of a packet it did not execute and returns it to the owner', async () => {
    const w = await loadFixture(workerPathway);
    const packet = await sendPing(w, '0x01');
    const worker = w.verifierWorker.connect(w.verifierKey);
    await worker.verifyAndDeliver([{ ...deliveryOf(packet), value: 7n }], { value: 10n });
    const address = await worker.getAddress();
    expect(await ethers.provider.getBalance(address)).to.equal(10n);
    const to = ethers.Wallet.createRandom().address;
    await expect(worker.withdraw(to, 10n)).to.emit(worker, 'Withdrawn').withArgs(to, 10n);
    expect(await ethers.provider.getBalance(to)).to.equal(10n);
  });
});
