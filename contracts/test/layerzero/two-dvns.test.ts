import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, type Signer } from 'ethers';
import { encodeAttest, encodeSeize, encodeWithdrawDecision } from '@tributary/protocol';
import { addressToBytes32, deployEndpoint, lzContract, lzReceiveOptions, wireDefaultPathway, type EndpointDeployment } from '../../lib';
import { PingOApp__factory, RelayerWorker__factory, type PingOApp } from '../../typechain-types';
import { EID_A, EID_HUB, WETH, deployProtocol, type Protocol } from '../helpers/fixture';
import { deposit, requestWithdraw } from '../helpers/money';
import { forgePacket } from '../helpers/packets';

type Forged = Awaited<ReturnType<typeof forgePacket>>;

/** The relayer's DVN key alone "verifies" a packet nobody sent, then tries to commit and execute it. */
async function forgeWithOneKey(p: Protocol, dstEid: number, forged: Forged, dvn: Signer = p.dvn) {
  const uln = lzContract('ReceiveUln302', p.endpoints[dstEid].receiveUln302, dvn);
  await (await uln.verify(forged.header, forged.payloadHash, 1)).wait();
  return uln;
}

async function executeForged(p: Protocol, dstEid: number, srcEid: number, receiver: string, forged: Forged) {
  const endpoint = lzContract('EndpointV2', p.endpoints[dstEid].endpoint, p.deployer);
  const origin = { srcEid, sender: forged.sender, nonce: forged.nonce };
  return endpoint.lzReceive(origin, receiver, forged.guid, forged.message, '0x');
}

/**
 * Attack: the relayer's key is a pathway's DVN; on its own it verifies made-up hub → vault SEIZE and
 * WITHDRAW_DECISION packets and an inflated vault → hub ATTEST. Every app pathway requires two DVNs (the
 * relayer's and the independent verifier's), so one signature never commits a packet.
 */
describe('attack: forged messages with one DVN key (two required DVNs per pathway)', () => {
  it('every app pathway requires both DVNs in its ULN config', async () => {
    const p = await loadFixture(deployProtocol);
    const both = [p.dvn.address, p.verifier.address].map((a) => a.toLowerCase()).sort();
    for (const [eid, receiver, remote] of [
      [EID_HUB, await p.hub.getAddress(), EID_A],
      [EID_A, await p.vaultA.getAddress(), EID_HUB],
    ] as const) {
      const config = await lzContract('ReceiveUln302', p.endpoints[eid].receiveUln302, p.deployer).getUlnConfig(receiver, remote);
      expect(config.requiredDVNCount).to.equal(2n);
      expect([...config.requiredDVNs].map((a: string) => a.toLowerCase()).sort()).to.deep.equal(both);
    }
  });

  it('a forged SEIZE of 50 WETH to a fresh address: verified by one key, never committed, the vault keeps it', async () => {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, WETH, parseEther('50'));
    await p.settle();
    const thief = ethers.Wallet.createRandom().address;
    const vault = await p.vaultA.getAddress();
    const message = encodeSeize({
      account: p.alice.address,
      assetId: WETH,
      amount: parseEther('50'),
      recipient: thief,
      liquidationId: 1n,
      seizureId: 1n,
      debtUsd: 0n,
    });
    const forged = await forgePacket(p, { srcEid: EID_HUB, sender: await p.hub.getAddress(), dstEid: EID_A, receiver: vault, message });
    const uln = await forgeWithOneKey(p, EID_A, forged);
    await expect(uln.getFunction('commitVerification')(forged.header, forged.payloadHash)).to.be.revertedWithCustomError(uln, 'LZ_ULN_Verifying');
    await expect(executeForged(p, EID_A, EID_HUB, vault, forged)).to.be.reverted;
    expect(await p.weth.balanceOf(thief)).to.equal(0n);
    expect((await p.vaultA.balanceOf(p.alice.address, WETH)).free).to.equal(parseEther('50'));
    // Control: the packet is well formed — with the verifier's signature as well it commits.
    await (await lzContract('ReceiveUln302', p.endpoints[EID_A].receiveUln302, p.verifier).verify(forged.header, forged.payloadHash, 1)).wait();
    await expect(uln.getFunction('commitVerification')(forged.header, forged.payloadHash)).to.not.be.reverted;
  });

  it('a forged approval of a pending withdrawal is never committed: the request stays locked, nothing paid', async () => {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, WETH, parseEther('10'));
    await p.settle();
    const requestId = await requestWithdraw(p, p.alice, WETH, parseEther('10')); // not delivered: no push, the hub would reject
    const vault = await p.vaultA.getAddress();
    const message = encodeWithdrawDecision({ requestId, approved: true, reason: 0 });
    const forged = await forgePacket(p, { srcEid: EID_HUB, sender: await p.hub.getAddress(), dstEid: EID_A, receiver: vault, message });
    const uln = await forgeWithOneKey(p, EID_A, forged);
    await expect(uln.getFunction('commitVerification')(forged.header, forged.payloadHash)).to.be.revertedWithCustomError(uln, 'LZ_ULN_Verifying');
    await expect(executeForged(p, EID_A, EID_HUB, vault, forged)).to.be.reverted;
    expect((await p.vaultA.balanceOf(p.alice.address, WETH)).locked).to.equal(parseEther('10'));
    expect(await p.weth.balanceOf(vault)).to.equal(parseEther('10'));
  });

  it('a forged ATTEST of a million WETH is never committed at the hub: no collateral, no credit', async () => {
    const p = await loadFixture(deployProtocol);
    const hub = await p.hub.getAddress();
    const message = encodeAttest({ account: p.bob.address, assetId: WETH, balance: parseEther('1000000'), sequence: 99n, requestId: 0n });
    const forged = await forgePacket(p, { srcEid: EID_A, sender: await p.vaultA.getAddress(), dstEid: EID_HUB, receiver: hub, message });
    const uln = await forgeWithOneKey(p, EID_HUB, forged);
    await expect(uln.getFunction('commitVerification')(forged.header, forged.payloadHash)).to.be.revertedWithCustomError(uln, 'LZ_ULN_Verifying');
    await expect(executeForged(p, EID_HUB, EID_A, hub, forged)).to.be.reverted;
    expect((await p.hub.attestation(p.bob.address, EID_A, WETH)).balance).to.equal(0n);
    expect(await p.hub.collateralValue(p.bob.address)).to.equal(0n);
    // The verifier's key alone is no better.
    const other = await forgePacket(p, { srcEid: EID_A, sender: await p.vaultA.getAddress(), dstEid: EID_HUB, receiver: hub, message, salt: 'v' });
    const byVerifier = await forgeWithOneKey(p, EID_HUB, other, p.verifier);
    await expect(byVerifier.getFunction('commitVerification')(other.header, other.payloadHash)).to.be.revertedWithCustomError(
      byVerifier,
      'LZ_ULN_Verifying',
    );
  });

  it('ULN302 itself: a pathway configured with two required DVNs commits only once both verified', async () => {
    const [deployer, first, second] = await ethers.getSigners();
    const EID_X = 40201;
    const EID_Y = 40202;
    const endpoints: Record<number, EndpointDeployment> = {
      [EID_X]: await deployEndpoint(deployer, EID_X),
      [EID_Y]: await deployEndpoint(deployer, EID_Y),
    };
    const apps: Record<number, PingOApp> = {
      [EID_X]: await new PingOApp__factory(deployer).deploy(endpoints[EID_X].endpoint, deployer.address),
      [EID_Y]: await new PingOApp__factory(deployer).deploy(endpoints[EID_Y].endpoint, deployer.address),
    };
    for (const [local, remote] of [
      [EID_X, EID_Y],
      [EID_Y, EID_X],
    ]) {
      const worker = await new RelayerWorker__factory(deployer).deploy(deployer.address, [endpoints[local].sendUln302]);
      await worker.setDstConfig(remote, { enabled: true, dvnFee: 1n, executorFee: 1n });
      const workerAddress = await worker.getAddress();
      await wireDefaultPathway(deployer, endpoints[local], {
        remoteEid: remote,
        confirmations: 1,
        sendDvns: [workerAddress],
        receiveDvns: [first.address, second.address],
        executor: workerAddress,
      });
      await apps[local].setPeer(remote, addressToBytes32(await apps[remote].getAddress()));
    }
    const options = lzReceiveOptions(100_000);
    const fee = await apps[EID_X].quote(EID_Y, '0x01', options);
    const receipt = await (await apps[EID_X].ping(EID_Y, '0x01', options, { value: fee.nativeFee })).wait();
    const endpoint = lzContract('EndpointV2', endpoints[EID_X].endpoint, deployer);
    const sent = receipt!.logs.map((l) => endpoint.interface.parseLog(l)).find((l) => l?.name === 'PacketSent')!;
    const { decodePacket } = await import('../../lib');
    const packet = decodePacket(sent.args.encodedPayload);
    const uln = lzContract('ReceiveUln302', endpoints[EID_Y].receiveUln302, first);
    await (await uln.verify(packet.header, packet.payloadHash, 1)).wait();
    await expect(uln.getFunction('commitVerification')(packet.header, packet.payloadHash)).to.be.revertedWithCustomError(uln, 'LZ_ULN_Verifying');
    await (await (uln.connect(second) as typeof uln).getFunction('verify')(packet.header, packet.payloadHash, 1)).wait();
    await (await uln.getFunction('commitVerification')(packet.header, packet.payloadHash)).wait();
    const destination = lzContract('EndpointV2', endpoints[EID_Y].endpoint, deployer);
    const origin = { srcEid: EID_X, sender: packet.sender, nonce: packet.nonce };
    await (await destination.lzReceive(origin, packet.receiver, packet.guid, packet.message, '0x')).wait();
    expect(await apps[EID_Y].received()).to.equal(1n);
  });
});
