import { expect } from 'chai';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { parseUnits } from 'ethers';
import { decodeHeartbeat } from '@tributary/protocol';
import { DEFAULT_RECEIVE_GAS, MSG_ATTEST, MSG_HEARTBEAT } from '../lib';
import { DVN_FEE, EID_A, EID_B, EID_HUB, EXECUTOR_FEE, GAS_PRICE, USDC, deployProtocol } from './helpers/fixture';

describe('CollateralVault.heartbeat and MarginHub.lastHeartbeat', () => {
  it('anyone sends a HEARTBEAT (vault sequence, timestamp) and pays exactly its quoted fee; the excess comes back', async () => {
    const p = await loadFixture(deployProtocol);
    const fee = await p.vaultA.quote(MSG_HEARTBEAT);
    expect(fee).to.equal(DVN_FEE + EXECUTOR_FEE + BigInt(DEFAULT_RECEIVE_GAS[MSG_HEARTBEAT]) * GAS_PRICE);
    const tx = p.vaultA.connect(p.bob).heartbeat({ value: fee + 999n });
    await expect(tx).to.changeEtherBalances([p.bob, p.vaultA], [-fee, 0n]);
    const at = BigInt(await time.latest());
    await expect(tx).to.emit(p.vaultA, 'HeartbeatSent').withArgs(p.bob.address, 0n, at);
    expect(await p.vaultA.lastHeartbeatAt()).to.equal(at);
    const [packet] = await p.deliver(EID_A, EID_HUB);
    expect(decodeHeartbeat(packet!.packet.message)).to.deep.equal({ type: MSG_HEARTBEAT, sequence: 0n, timestamp: at });
  });

  it('reverts without the fee: the caller pays, never the vault', async () => {
    const p = await loadFixture(deployProtocol);
    await p.alice.sendTransaction({ to: await p.vaultA.getAddress(), value: 10n ** 18n });
    await expect(p.vaultA.connect(p.bob).heartbeat()).to.be.reverted;
  });

  it('runs at most once per quarter heartbeat period (HeartbeatTooSoon), from any caller', async () => {
    const p = await loadFixture(deployProtocol);
    await (await p.vaultA.setHeartbeatPeriod(400)).wait();
    const fee = await p.vaultA.quote(MSG_HEARTBEAT);
    await (await p.vaultA.connect(p.bob).heartbeat({ value: fee })).wait();
    const first = BigInt(await time.latest());
    await expect(p.vaultA.connect(p.alice).heartbeat({ value: fee }))
      .to.be.revertedWithCustomError(p.vaultA, 'HeartbeatTooSoon')
      .withArgs(first + 100n);
    await time.setNextBlockTimestamp(first + 99n);
    await expect(p.vaultA.connect(p.alice).heartbeat({ value: fee })).to.be.revertedWithCustomError(p.vaultA, 'HeartbeatTooSoon');
    await time.setNextBlockTimestamp(first + 100n);
    await expect(p.vaultA.connect(p.alice).heartbeat({ value: fee })).to.emit(p.vaultA, 'HeartbeatSent');
  });

  it('the heartbeat period is the owner’s, within [4 s, 7 days]', async () => {
    const p = await loadFixture(deployProtocol);
    await expect(p.vaultA.connect(p.bob).setHeartbeatPeriod(60)).to.be.revertedWithCustomError(p.vaultA, 'OwnableUnauthorizedAccount');
    await expect(p.vaultA.setHeartbeatPeriod(3)).to.be.revertedWithCustomError(p.vaultA, 'InvalidHeartbeatPeriod').withArgs(3);
    await expect(p.vaultA.setHeartbeatPeriod(7 * 86400 + 1)).to.be.revertedWithCustomError(p.vaultA, 'InvalidHeartbeatPeriod');
    await expect(p.vaultA.setHeartbeatPeriod(60)).to.emit(p.vaultA, 'HeartbeatPeriodSet').withArgs(60);
    expect(await p.vaultA.heartbeatPeriod()).to.equal(60n);
  });

  it('the hub records the last heartbeat per source chain (vault sequence, sent at, received at) with an event', async () => {
    const p = await loadFixture(deployProtocol);
    expect(await p.hub.lastHeartbeat(EID_A)).to.deep.equal([0n, 0n, 0n]);
    // A deposit first: the heartbeat then carries the vault's sequence 1 (not incremented by the heartbeat).
    await (await p.vaultA.connect(p.alice).deposit(USDC, parseUnits('10', 6), p.alice.address, { value: await p.vaultA.quote(MSG_ATTEST) })).wait();
    await p.deliver(EID_A, EID_HUB);
    await time.increase(30);
    await (await p.vaultA.connect(p.bob).heartbeat({ value: await p.vaultA.quote(MSG_HEARTBEAT) })).wait();
    const sentAt = BigInt(await time.latest());
    await time.increase(5);
    const [delivered] = await p.deliver(EID_A, EID_HUB);
    const receivedAt = BigInt(await time.latest());
    expect(await p.hub.lastHeartbeat(EID_A)).to.deep.equal([1n, sentAt, receivedAt]);
    expect(await p.hub.lastHeartbeat(EID_B)).to.deep.equal([0n, 0n, 0n]);
    const events = delivered!.receiveReceipt.logs.map((log) => p.hub.interface.parseLog(log)).filter((e) => e !== null);
    const heartbeat = events.find((e) => e!.name === 'HeartbeatReceived')!;
    expect([heartbeat.args.eid, heartbeat.args.vaultSequence, heartbeat.args.sentAt]).to.deep.equal([BigInt(EID_A), 1n, sentAt]);
  });
});
