import { expect } from 'chai';
import { ethers } from 'hardhat';
import { impersonateAccount, loadFixture, setBalance } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, type Signer } from 'ethers';
import { MESSAGE_LENGTHS, encodeAttest, encodeSeize, encodeWithdrawDecision } from '@tributary/protocol';
import {
  MSG_ATTEST,
  MSG_SEIZE,
  MSG_WITHDRAW_DECISION,
  MSG_WITHDRAW_REQUEST,
  VAULT_TO_HUB_GAS,
  addressToBytes32,
  lzContract,
  setEnforcedOptions,
} from '../../lib';
import { EID_A, EID_HUB, WETH, deployProtocol, type Protocol } from '../helpers/fixture';

/** The endpoint of `eid` as a signer: lzReceive straight from it, without DVN and executor. */
async function asEndpoint(p: Protocol, eid: number): Promise<Signer> {
  const address = p.endpoints[eid].endpoint;
  await impersonateAccount(address);
  await setBalance(address, parseEther('1'));
  return ethers.getSigner(address);
}

const NO_GUID = ethers.ZeroHash;

describe('TributaryOApp (the base of CollateralVault and MarginHub)', () => {
  describe('receive', () => {
    it('accepts a delivery only from the endpoint and only from the source chain peer', async () => {
      const p = await loadFixture(deployProtocol);
      const attest = encodeAttest({ account: p.alice.address, assetId: WETH, balance: 5n, sequence: 1n, requestId: 0n });
      const fromVault = { srcEid: EID_A, sender: addressToBytes32(await p.vaultA.getAddress()), nonce: 1n };
      await expect(p.hub.connect(p.alice).lzReceive(fromVault, NO_GUID, attest, ethers.ZeroAddress, '0x'))
        .to.be.revertedWithCustomError(p.hub, 'OnlyEndpoint')
        .withArgs(p.alice.address);
      const endpoint = await asEndpoint(p, EID_HUB);
      const stranger = addressToBytes32(p.alice.address);
      await expect(p.hub.connect(endpoint).lzReceive({ ...fromVault, sender: stranger }, NO_GUID, attest, ethers.ZeroAddress, '0x'))
        .to.be.revertedWithCustomError(p.hub, 'OnlyPeer')
        .withArgs(EID_A, stranger);
      await expect(p.hub.connect(endpoint).lzReceive({ ...fromVault, srcEid: 40999 }, NO_GUID, attest, ethers.ZeroAddress, '0x'))
        .to.be.revertedWithCustomError(p.hub, 'NoPeer')
        .withArgs(40999);
      await expect(p.hub.connect(endpoint).lzReceive(fromVault, NO_GUID, attest, ethers.ZeroAddress, '0x'))
        .to.emit(p.hub, 'AttestationApplied')
        .withArgs(p.alice.address, EID_A, WETH, 5n, 1n);
    });

    it('validates the message before the app sees it, and the app refuses types it does not receive', async () => {
      const p = await loadFixture(deployProtocol);
      const toHub = await asEndpoint(p, EID_HUB);
      const fromVault = { srcEid: EID_A, sender: addressToBytes32(await p.vaultA.getAddress()), nonce: 1n };
      const seize = encodeSeize({
        account: p.alice.address,
        assetId: WETH,
        amount: 1n,
        recipient: p.bob.address,
        liquidationId: 1n,
        seizureId: 1n,
        debtUsd: 0n,
      });
      await expect(p.hub.connect(toHub).lzReceive(fromVault, NO_GUID, seize, ethers.ZeroAddress, '0x'))
        .to.be.revertedWithCustomError(p.hub, 'UnexpectedMessageType')
        .withArgs(MSG_SEIZE);
      await expect(p.hub.connect(toHub).lzReceive(fromVault, NO_GUID, seize + '00', ethers.ZeroAddress, '0x'))
        .to.be.revertedWithCustomError(p.hub, 'InvalidMessageLength')
        .withArgs(MSG_SEIZE, MESSAGE_LENGTHS[MSG_SEIZE] + 1);
      await expect(p.hub.connect(toHub).lzReceive(fromVault, NO_GUID, '0x0109', ethers.ZeroAddress, '0x'))
        .to.be.revertedWithCustomError(p.hub, 'UnknownMessageType')
        .withArgs(9);

      const toVault = await asEndpoint(p, EID_A);
      const fromHub = { srcEid: EID_HUB, sender: addressToBytes32(await p.hub.getAddress()), nonce: 1n };
      const attest = encodeAttest({ account: p.alice.address, assetId: WETH, balance: 5n, sequence: 1n, requestId: 0n });
      await expect(p.vaultA.connect(toVault).lzReceive(fromHub, NO_GUID, attest, ethers.ZeroAddress, '0x'))
        .to.be.revertedWithCustomError(p.vaultA, 'UnexpectedMessageType')
        .withArgs(MSG_ATTEST);
      const decision = encodeWithdrawDecision({ requestId: 1n, approved: true, reason: 0 });
      await p.vaultA.connect(p.guardian).setPaused(true);
      await expect(p.vaultA.connect(toVault).lzReceive(fromHub, NO_GUID, decision, ethers.ZeroAddress, '0x')).to.be.revertedWithCustomError(
        p.vaultA,
        'VaultPaused',
      );
    });

    it('reports the OAppSender and OAppReceiver versions as LayerZero OApp does', async () => {
      const p = await loadFixture(deployProtocol);
      expect(await p.vaultA.oAppVersion()).to.deep.equal([1n, 2n]);
      expect(await p.hub.oAppVersion()).to.deep.equal([1n, 2n]);
    });
  });

  describe('quote and send', () => {
    it('quotes a message of the type length under the type enforced options, and refuses unknown types', async () => {
      const p = await loadFixture(deployProtocol);
      const quoteOnEndpoint = async (eid: number, dstEid: number, sender: string, kind: number, options: string) => {
        const endpoint = lzContract('EndpointV2', p.endpoints[eid].endpoint, p.deployer);
        const receiver = addressToBytes32(eid === EID_HUB ? await p.vaultA.getAddress() : await p.hub.getAddress());
        const message = '0x' + '00'.repeat(MESSAGE_LENGTHS[kind as keyof typeof MESSAGE_LENGTHS]);
        return (await endpoint.quote({ dstEid, receiver, message, options, payInLzToken: false }, sender)).nativeFee as bigint;
      };
      const vault = await p.vaultA.getAddress();
      const hub = await p.hub.getAddress();
      for (const kind of [MSG_ATTEST, MSG_WITHDRAW_REQUEST]) {
        const expected = await quoteOnEndpoint(EID_A, EID_HUB, vault, kind, await p.vaultA.enforcedOptions(EID_HUB, kind));
        expect(await p.vaultA.quote(kind), `vault type ${kind}`).to.equal(expected);
      }
      for (const kind of [MSG_WITHDRAW_DECISION, MSG_SEIZE]) {
        const expected = await quoteOnEndpoint(EID_HUB, EID_A, hub, kind, await p.hub.enforcedOptions(EID_A, kind));
        expect(await p.hub.quote(EID_A, kind), `hub type ${kind}`).to.equal(expected);
      }
      await expect(p.vaultA.quote(9)).to.be.revertedWithCustomError(p.vaultA, 'UnknownMessageType').withArgs(9);
      await expect(p.hub.quote(EID_A, 0)).to.be.revertedWithCustomError(p.hub, 'UnknownMessageType').withArgs(0);
    });

    it('pays a reply with the value the request forwarded; without it, from the OApp balance, keeping the refund', async () => {
      const p = await loadFixture(deployProtocol);
      await p.vaultA.connect(p.alice).deposit(WETH, parseEther('5'), p.alice.address, { value: await p.vaultA.quote(MSG_ATTEST) });
      await p.settle();
      const replyFee = await p.hub.quote(EID_A, MSG_WITHDRAW_DECISION);
      expect(await p.vaultA.quoteWithdraw()).to.equal(await p.vaultA.quote(MSG_WITHDRAW_REQUEST));
      const hub = await p.hub.getAddress();
      const before = await ethers.provider.getBalance(hub);
      await p.vaultA.connect(p.alice).requestWithdraw(WETH, parseEther('1'), { value: await p.vaultA.quoteWithdraw() });
      await p.deliver(EID_A, EID_HUB); // no push: rejected on arrival, paid with the forwarded value
      expect(await ethers.provider.getBalance(hub)).to.equal(before);
      // An owner that forgot the forwarded value: the hub's float pays the exact fee.
      await p.settle();
      await setEnforcedOptions(p.vaultA, EID_HUB, { [MSG_WITHDRAW_REQUEST]: VAULT_TO_HUB_GAS[MSG_WITHDRAW_REQUEST] });
      const float = await ethers.provider.getBalance(hub);
      await p.vaultA.connect(p.alice).requestWithdraw(WETH, parseEther('1'), { value: await p.vaultA.quoteWithdraw() });
      await p.deliver(EID_A, EID_HUB);
      expect(float - (await ethers.provider.getBalance(hub))).to.equal(replyFee);
    });

    it('sends a caller-paid message with msg.value and refunds the excess to the caller', async () => {
      const p = await loadFixture(deployProtocol);
      await p.vaultA.connect(p.alice).deposit(WETH, parseEther('5'), p.alice.address, { value: await p.vaultA.quote(MSG_ATTEST) });
      await p.settle();
      await p.pool.connect(p.deployer).settle(p.alice.address, -parseEther('1000'), 0n);
      await p.push([p.alice.address, 0n, true]);
      await p.registry.connect(p.deployer).openLiquidation(p.alice.address);
      const fee = await p.hub.quote(EID_A, MSG_SEIZE);
      const seize = p.hub.connect(p.liquidator).seize(p.alice.address, { value: fee + 777n });
      await expect(seize).to.changeEtherBalances([p.liquidator, p.hub], [-fee, 0n]);
    });
  });
});
