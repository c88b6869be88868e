import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, parseUnits } from 'ethers';
import { MSG_ATTEST, VAULT_TO_HUB_GAS, lzContract, lzReceiveOptions, packCreditEntry, pushCredit } from '../lib';
import { FeeOnTransferERC20__factory, PingOApp__factory } from '../typechain-types';
import { DVN_FEE, EID_A, EID_HUB, EXECUTOR_FEE, GAS_PRICE, USDC, WETH, WETH_RATE_CAPACITY, deployProtocol, type Protocol } from './helpers/fixture';
import { decidePending, seize } from './helpers/money';
import { verifyAndCommit } from './helpers/packets';

const usd = (n: string | number) => parseUnits(String(n), 6);

async function deposit(p: Protocol, who = p.alice, amount = usd(1000), assetId = USDC) {
  const fee = await p.vaultA.quote(MSG_ATTEST);
  return p.vaultA.connect(who).deposit(assetId, amount, who.address, { value: fee });
}

async function requestWithdraw(p: Protocol, amount: bigint, assetId = USDC, who = p.alice) {
  const fee = await p.vaultA.quoteWithdraw();
  return p.vaultA.connect(who).requestWithdraw(assetId, amount, { value: fee });
}

describe('CollateralVault', () => {
  describe('deposit', () => {
    it('pulls tokens, credits the account and attests the post-state balance with the next sequence', async () => {
      const p = await loadFixture(deployProtocol);
      await expect(deposit(p))
        .to.emit(p.vaultA, 'Deposited')
        .withArgs(p.alice.address, USDC, p.alice.address, usd(1000), usd(1000))
        .and.to.emit(p.vaultA, 'BalanceAttested')
        .withArgs(p.alice.address, USDC, usd(1000), 1n, 0n);
      await deposit(p, p.alice, usd(500));
      expect(await p.vaultA.sequence()).to.equal(2n);
      expect((await p.vaultA.balanceOf(p.alice.address, USDC)).free).to.equal(usd(1500));
      expect(await p.usdc.balanceOf(await p.vaultA.getAddress())).to.equal(usd(1500));
      await p.deliver(EID_A, EID_HUB);
      const attested = await p.hub.attestation(p.alice.address, EID_A, USDC);
      expect([attested.balance, attested.sequence]).to.deep.equal([usd(1500), 2n]);
    });

    it('credits another account when asked to', async () => {
      const p = await loadFixture(deployProtocol);
      const fee = await p.vaultA.quote(MSG_ATTEST);
      await p.vaultA.connect(p.alice).deposit(USDC, usd(10), p.bob.address, { value: fee });
      expect((await p.vaultA.balanceOf(p.bob.address, USDC)).free).to.equal(usd(10));
      expect((await p.vaultA.balanceOf(p.alice.address, USDC)).free).to.equal(0n);
    });

    it('refunds the fee paid above the quote', async () => {
      const p = await loadFixture(deployProtocol);
      const fee = await p.vaultA.quote(MSG_ATTEST);
      // DVN + executor flat fees, and the enforced lzReceive gas at the workers' gas price.
      expect(fee).to.equal(DVN_FEE + EXECUTOR_FEE + BigInt(VAULT_TO_HUB_GAS[MSG_ATTEST]) * GAS_PRICE);
      const tx = p.vaultA.connect(p.alice).deposit(USDC, usd(1), p.alice.address, { value: fee + 12345n });
      await expect(tx).to.changeEtherBalances([p.alice, p.vaultA], [-fee, 0n]);
    });

    it('reverts without enough fee', async () => {
      const p = await loadFixture(deployProtocol);
      const endpoint = lzContract('EndpointV2', p.endpoints[EID_A].endpoint, p.deployer);
      await expect(p.vaultA.connect(p.alice).deposit(USDC, usd(1), p.alice.address, { value: 10n })).to.be.revertedWithCustomError(
        endpoint,
        'LZ_InsufficientFee',
      );
    });

    it('treats the received amount of a fee-on-transfer token as the truth', async () => {
      const p = await loadFixture(deployProtocol);
      const token = await new FeeOnTransferERC20__factory(p.deployer).deploy();
      await p.vaultA.listAsset(9, await token.getAddress(), parseEther('1000'), parseEther('100'), parseEther('1'));
      await token.mint(p.alice.address, parseEther('100'));
      await token.connect(p.alice).approve(await p.vaultA.getAddress(), ethers.MaxUint256);
      const fee = await p.vaultA.quote(MSG_ATTEST);
      await expect(p.vaultA.connect(p.alice).deposit(9, parseEther('100'), p.alice.address, { value: fee }))
        .to.emit(p.vaultA, 'BalanceAttested')
        .withArgs(p.alice.address, 9, parseEther('99'), 1n, 0n);
      expect(await token.balanceOf(await p.vaultA.getAddress())).to.equal(parseEther('99'));
    });

    it('reverts: unlisted asset, zero amount, zero account, cap exceeded, paused', async () => {
      const p = await loadFixture(deployProtocol);
      const fee = await p.vaultA.quote(MSG_ATTEST);
      const v = p.vaultA.connect(p.alice);
      await expect(v.deposit(77, 1n, p.alice.address, { value: fee }))
        .to.be.revertedWithCustomError(p.vaultA, 'AssetNotListed')
        .withArgs(77);
      await expect(v.deposit(USDC, 0n, p.alice.address, { value: fee })).to.be.revertedWithCustomError(p.vaultA, 'ZeroAmount');
      await expect(v.deposit(USDC, 1n, ethers.ZeroAddress, { value: fee })).to.be.revertedWithCustomError(p.vaultA, 'ZeroAddress');
      await p.vaultA.setDepositCap(USDC, usd(100));
      await deposit(p, p.alice, usd(60));
      await expect(deposit(p, p.alice, usd(41)))
        .to.be.revertedWithCustomError(p.vaultA, 'DepositCapExceeded')
        .withArgs(USDC, usd(101), usd(100));
      await expect(p.vaultA.connect(p.guardian).setPaused(true)).to.emit(p.vaultA, 'PausedSet').withArgs(p.guardian.address, true);
      await expect(deposit(p, p.alice, usd(1))).to.be.revertedWithCustomError(p.vaultA, 'VaultPaused');
      await expect(requestWithdraw(p, usd(1))).to.be.revertedWithCustomError(p.vaultA, 'VaultPaused');
      await expect(p.vaultA.connect(p.alice).setPaused(true)).to.be.revertedWithCustomError(p.vaultA, 'NotGuardianOrOwner');
      await expect(p.vaultA.connect(p.guardian).setPaused(false)).to.be.revertedWithCustomError(p.vaultA, 'NotOwner');
      await p.vaultA.setPaused(false);
      await deposit(p, p.alice, usd(1));
    });

    it('admin functions are owner-only and listing is once per id', async () => {
      const p = await loadFixture(deployProtocol);
      const asAlice = p.vaultA.connect(p.alice);
      await expect(asAlice.listAsset(5, await p.usdc.getAddress(), 1n, 0, 0)).to.be.revertedWithCustomError(p.vaultA, 'OwnableUnauthorizedAccount');
      await expect(asAlice.setDepositCap(USDC, 1n)).to.be.revertedWithCustomError(p.vaultA, 'OwnableUnauthorizedAccount');
      await expect(asAlice.setRateLimit(USDC, true, 1n, 1n)).to.be.revertedWithCustomError(p.vaultA, 'OwnableUnauthorizedAccount');
      await expect(p.vaultA.listAsset(USDC, await p.usdc.getAddress(), 1n, 0, 0)).to.be.revertedWithCustomError(p.vaultA, 'AssetAlreadyListed');
      await expect(p.vaultA.listAsset(5, ethers.ZeroAddress, 1n, 0, 0)).to.be.revertedWithCustomError(p.vaultA, 'ZeroAddress');
      await expect(p.vaultA.setDepositCap(44, 1n)).to.be.revertedWithCustomError(p.vaultA, 'AssetNotListed');
    });
  });

  describe('messages from the hub', () => {
    it('accepts lzReceive only from the endpoint, and only from the hub peer', async () => {
      const p = await loadFixture(deployProtocol);
      const origin = { srcEid: EID_HUB, sender: ethers.zeroPadValue(await p.hub.getAddress(), 32), nonce: 1n };
      await expect(p.vaultA.connect(p.alice).lzReceive(origin, ethers.ZeroHash, '0x0103000000000000000101', ethers.ZeroAddress, '0x'))
        .to.be.revertedWithCustomError(p.vaultA, 'OnlyEndpoint')
        .withArgs(p.alice.address);
      // A real packet from an OApp on the hub chain that is not the vault's peer: the path never opens.
      const impostor = await new PingOApp__factory(p.deployer).deploy(p.endpoints[EID_HUB].endpoint, p.deployer.address);
      await impostor.setPeer(EID_A, ethers.zeroPadValue(await p.vaultA.getAddress(), 32));
      const options = lzReceiveOptions(200_000);
      const fee = await impostor.quote(EID_A, '0x010300000000000000010100', options);
      await impostor.ping(EID_A, '0x010300000000000000010100', options, { value: fee.nativeFee });
      const endpoint = lzContract('EndpointV2', p.endpoints[EID_A].endpoint, p.alice);
      await expect(p.deliver(EID_HUB, EID_A)).to.be.revertedWithCustomError(endpoint, 'LZ_PathNotInitializable');
      const stranger = { srcEid: EID_HUB, sender: ethers.zeroPadValue(await impostor.getAddress(), 32), nonce: 1n };
      expect(await p.vaultA.allowInitializePath(stranger)).to.equal(false);
      expect(await p.vaultA.allowInitializePath(origin)).to.equal(true);
    });
  });

  describe('withdrawal round trip', () => {
    it('locks, gets approved by the hub, releases and attests the new balance', async () => {
      const p = await loadFixture(deployProtocol);
      await deposit(p, p.alice, usd(1000));
      await p.settle();
      await p.push([p.alice.address, parseEther('1000')]);
      await expect(requestWithdraw(p, usd(400)))
        .to.emit(p.vaultA, 'WithdrawalRequested')
        .withArgs(1n, p.alice.address, USDC, usd(400));
      const locked = await p.vaultA.balanceOf(p.alice.address, USDC);
      expect([locked.free, locked.locked]).to.deep.equal([usd(600), usd(400)]);
      await expect(requestWithdraw(p, usd(601)))
        .to.be.revertedWithCustomError(p.vaultA, 'InsufficientFreeBalance')
        .withArgs(usd(601), usd(600));

      const before = await p.usdc.balanceOf(p.alice.address);
      await p.settle();
      expect(await decidePending(p)).to.deep.equal([1n]);
      expect(await p.usdc.balanceOf(p.alice.address)).to.equal(before + usd(400));
      const after = await p.vaultA.balanceOf(p.alice.address, USDC);
      expect([after.free, after.locked]).to.deep.equal([usd(600), 0n]);
      expect((await p.vaultA.withdrawalRequest(1n)).status).to.equal(2n); // Released
      const attested = await p.hub.attestation(p.alice.address, EID_A, USDC);
      expect(attested.balance).to.equal(usd(600));
      expect(await p.creditManager.reserved(p.alice.address)).to.equal(0n);
      expect((await p.vaultA.assetConfig(USDC)).totalDeposits).to.equal(usd(600));
    });

    it('unlocks on rejection (hub sees a withdrawal above the attested balance)', async () => {
      const p = await loadFixture(deployProtocol);
      await deposit(p, p.alice, usd(1000));
      // Request before the deposit attestation reached the hub; deliver the request first out of order.
      await requestWithdraw(p, usd(1000));
      const [attest, request] = await pendingPackets(p);
      await verifyAndCommit(p, EID_HUB, [attest, request]);
      const endpointHub = lzContract('EndpointV2', p.endpoints[EID_HUB].endpoint, p.deployer);
      await endpointHub.lzReceive(originOf(request), request.receiver, request.guid, request.message, '0x');
      await p.deliver(EID_HUB, EID_A);
      const balance = await p.vaultA.balanceOf(p.alice.address, USDC);
      expect([balance.free, balance.locked]).to.deep.equal([usd(1000), 0n]);
      const status = await p.vaultA.withdrawalRequest(1n);
      expect(status.status).to.equal(3n); // Rejected
      await p.settle();
      expect((await p.hub.attestation(p.alice.address, EID_A, USDC)).balance).to.equal(usd(1000));
    });

    it('queues an approved payout above the rate limit and lets it be claimed after refill', async () => {
      const p = await loadFixture(deployProtocol);
      const big = WETH_RATE_CAPACITY + parseEther('10');
      await deposit(p, p.alice, big, WETH);
      await p.settle();
      await p.push([p.alice.address, parseEther('1000000')]);
      await requestWithdraw(p, big, WETH);
      await p.settle();
      await decidePending(p);
      expect(await p.vaultA.owed(p.alice.address, WETH)).to.equal(big);
      expect((await p.vaultA.balanceOf(p.alice.address, WETH)).locked).to.equal(0n);
      expect((await p.hub.attestation(p.alice.address, EID_A, WETH)).balance).to.equal(0n);
      await expect(p.vaultA.connect(p.bob).claim(WETH)).to.be.revertedWithCustomError(p.vaultA, 'NothingOwed');
      // The bucket is full (100): a claim takes what it allows, the rest waits for refill.
      await expect(p.vaultA.connect(p.alice).claim(WETH))
        .to.emit(p.vaultA, 'PayoutClaimed')
        .withArgs(p.alice.address, WETH, WETH_RATE_CAPACITY, p.alice.address);
      expect(await p.vaultA.owed(p.alice.address, WETH)).to.equal(parseEther('10'));
      await time.increase(30);
      await expect(p.vaultA.connect(p.alice).claim(WETH))
        .to.emit(p.vaultA, 'PayoutClaimed')
        .withArgs(p.alice.address, WETH, parseEther('10'), p.alice.address);
      expect(await p.weth.balanceOf(await p.vaultA.getAddress())).to.equal(0n);
      expect(await p.weth.balanceOf(p.alice.address)).to.equal(parseEther('1000'));
    });
  });

  describe('more revert paths', () => {
    it('refuses withdrawal requests of unlisted assets or zero amounts, and claims on an empty bucket', async () => {
      const p = await loadFixture(deployProtocol);
      await expect(requestWithdraw(p, 1n, 77)).to.be.revertedWithCustomError(p.vaultA, 'AssetNotListed');
      await expect(requestWithdraw(p, 0n)).to.be.revertedWithCustomError(p.vaultA, 'ZeroAmount');
      const big = WETH_RATE_CAPACITY * 2n;
      await deposit(p, p.alice, big, WETH);
      await p.settle();
      await p.push([p.alice.address, parseEther('1000000')]);
      await requestWithdraw(p, big, WETH);
      await p.settle();
      await decidePending(p);
      await p.vaultA.setRateLimit(WETH, true, WETH_RATE_CAPACITY, 0); // no refill
      await p.vaultA.connect(p.alice).claim(WETH); // drains the bucket
      await expect(p.vaultA.connect(p.alice).claim(WETH)).to.be.revertedWithCustomError(p.vaultA, 'RateLimited');
      // Disabling the limit lets the rest out.
      await expect(p.vaultA.setRateLimit(WETH, false, 0, 0))
        .to.emit(p.vaultA, 'RateLimitSet')
        .withArgs(WETH, false, 0n, 0n);
      await p.vaultA.connect(p.alice).claim(WETH);
      expect(await p.vaultA.owed(p.alice.address, WETH)).to.equal(0n);
    });

    it('reverts (retryably) on a malformed message from a peer, changing nothing', async () => {
      const p = await loadFixture(deployProtocol);
      const fake = await new PingOApp__factory(p.deployer).deploy(p.endpoints[EID_HUB].endpoint, p.deployer.address);
      await p.vaultA.setPeer(EID_HUB, ethers.zeroPadValue(await fake.getAddress(), 32));
      await fake.setPeer(EID_A, ethers.zeroPadValue(await p.vaultA.getAddress(), 32));
      const options = lzReceiveOptions(200_000);
      for (const message of ['0x0203000000000000000101', '0x0101' + '00'.repeat(54)]) {
        const fee = await fake.quote(EID_A, message, options);
        await fake.ping(EID_A, message, options, { value: fee.nativeFee });
      }
      await expect(p.deliver(EID_HUB, EID_A)).to.be.revertedWithCustomError(p.vaultA, 'UnsupportedVersion');
      expect(await p.vaultA.sequence()).to.equal(0n);
    });
  });

  describe('seizure', () => {
    it('moves collateral to the auction, opens a lot and attests the account', async () => {
      const p = await loadFixture(deployProtocol);
      await deposit(p, p.alice, usd(1000));
      await p.settle();
      const seizureId = await seize(p, p.alice.address, parseEther('300'));
      const [sent] = await p.hub.queryFilter(p.hub.filters.SeizureSent());
      const auction = await p.auctionA.getAddress();
      expect(sent.args.amount).to.equal(usd(306));
      expect(sent.args.recipient).to.equal(auction);
      await p.settle();
      expect(await p.usdc.balanceOf(auction)).to.equal(usd(306));
      expect((await p.auctionA.lot(seizureId)).remaining).to.equal(usd(306));
      expect((await p.vaultA.balanceOf(p.alice.address, USDC)).free).to.equal(usd(694));
      expect((await p.hub.attestation(p.alice.address, EID_A, USDC)).balance).to.equal(usd(694));
    });

    it('a pause holds hub messages (and so every outflow) until unpause', async () => {
      const p = await loadFixture(deployProtocol);
      await deposit(p, p.alice, usd(100));
      await p.settle();
      await seize(p, p.alice.address, parseEther('50'));
      await p.vaultA.connect(p.guardian).setPaused(true);
      await expect(p.deliver(EID_HUB, EID_A)).to.be.revertedWithCustomError(p.vaultA, 'VaultPaused');
      expect(await p.usdc.balanceOf(await p.auctionA.getAddress())).to.equal(0n);
      await p.vaultA.setPaused(false);
      await p.settle();
      expect(await p.usdc.balanceOf(await p.auctionA.getAddress())).to.equal(usd(51));
    });

    it('seizes at most the free balance and reports the shortfall', async () => {
      const p = await loadFixture(deployProtocol);
      await deposit(p, p.alice, usd(100));
      await p.settle();
      // The hub only asks for what is attested; the account withdraws... nothing: a lower vault balance is simulated
      // by a second seizure racing the first at the vault (both reserved at the hub, the vault pays what it has).
      const seizureId = await seize(p, p.alice.address, parseEther('500'));
      expect((await p.hub.seizure(seizureId)).amount).to.equal(usd(100));
      await p.settle();
      expect(await p.usdc.balanceOf(await p.auctionA.getAddress())).to.equal(usd(100));
      expect((await p.vaultA.balanceOf(p.alice.address, USDC)).free).to.equal(0n);
    });
  });

  it('pushes credit with the lib helper format (smoke for the hub path)', async () => {
    const p = await loadFixture(deployProtocol);
    await pushCredit(p.creditManager.connect(p.pusher), 1, [packCreditEntry(p.alice.address, parseEther('5'))]);
    expect((await p.creditManager.account(p.alice.address)).limit).to.equal(parseEther('5'));
  });
});

type Packet = Awaited<ReturnType<typeof pendingPackets>>[number];

async function pendingPackets(p: Protocol) {
  const { decodePacket } = await import('../lib');
  const endpoint = lzContract('EndpointV2', p.endpoints[EID_A].endpoint, p.deployer);
  const logs = await endpoint.queryFilter(endpoint.filters.PacketSent());
  return logs.map((l) => decodePacket((l as unknown as { args: { encodedPayload: string } }).args.encodedPayload));
}

function originOf(packet: Packet) {
  return { srcEid: packet.srcEid, sender: packet.sender, nonce: packet.nonce };
}
