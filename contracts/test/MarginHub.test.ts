import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import fc from 'fast-check';
import { parseEther } from 'ethers';
import { MSG_ATTEST, RejectReason, lzContract, packCreditEntry, pushCredit } from '../lib';
import { RelayerWorker__factory } from '../typechain-types';
import { EID_A, EID_B, EID_HUB, STALE_AFTER, USDC, WETH, deployProtocol, type Protocol } from './helpers/fixture';
import { execute, sentPackets, verifyAndCommit } from './helpers/packets';

async function depositWeth(p: Protocol, amount: bigint, who = p.alice, vault = p.vaultA) {
  const fee = await vault.quote(MSG_ATTEST);
  await vault.connect(who).deposit(WETH, amount, who.address, { value: fee });
}

async function requestWithdraw(p: Protocol, amount: bigint, who = p.alice, assetId = WETH) {
  const fee = await p.vaultA.quoteWithdraw();
  await p.vaultA.connect(who).requestWithdraw(assetId, amount, { value: fee });
}

/**
 * Alice: 10 WETH on chain A (16,000 USD after the 0.8 haircut), base 10,010, a 10 ETH long using 2,000 after its
 * 10 USD fee: 8,000 of credit left.
 */
async function aliceTrading() {
  const p = await loadFixture(deployProtocol);
  await depositWeth(p, parseEther('10'));
  await p.settle();
  await pushCredit(p.creditManager.connect(p.pusher), 1, [packCreditEntry(p.alice.address, parseEther('10010'))]);
  await p.market.connect(p.alice).modifyPosition(0, parseEther('10'));
  return p;
}

async function decision(p: Protocol) {
  const logs = await p.hub.queryFilter(p.hub.filters.WithdrawalDecided());
  return logs[logs.length - 1].args;
}

describe('MarginHub', () => {
  describe('attestations', () => {
    it('applies a newer attestation and ignores an older one delivered later (out-of-order execution)', async () => {
      const p = await loadFixture(deployProtocol);
      await depositWeth(p, parseEther('1'));
      await depositWeth(p, parseEther('2'));
      const [first, second] = await sentPackets(p, EID_A, EID_HUB);
      await verifyAndCommit(p, EID_HUB, [first, second]);
      const endpoint = lzContract('EndpointV2', p.endpoints[EID_HUB].endpoint, p.deployer);
      const origin2 = { srcEid: EID_A, sender: second.sender, nonce: 2n };
      await expect(endpoint.lzReceive(origin2, second.receiver, second.guid, second.message, '0x'))
        .to.emit(p.hub, 'AttestationApplied')
        .withArgs(p.alice.address, EID_A, WETH, parseEther('3'), 2n);
      const origin1 = { srcEid: EID_A, sender: first.sender, nonce: 1n };
      await expect(endpoint.lzReceive(origin1, first.receiver, first.guid, first.message, '0x'))
        .to.emit(p.hub, 'AttestationIgnored')
        .withArgs(p.alice.address, EID_A, WETH, parseEther('1'), 1n, 2n);
      const stored = await p.hub.attestation(p.alice.address, EID_A, WETH);
      expect([stored.balance, stored.sequence]).to.deep.equal([parseEther('3'), 2n]);
    });

    it('keys balances by (account, eid, asset)', async () => {
      const p = await loadFixture(deployProtocol);
      await depositWeth(p, parseEther('1'), p.alice, p.vaultA);
      await depositWeth(p, parseEther('5'), p.alice, p.vaultB);
      await p.settle();
      expect((await p.hub.attestation(p.alice.address, EID_A, WETH)).balance).to.equal(parseEther('1'));
      expect((await p.hub.attestation(p.alice.address, EID_B, WETH)).balance).to.equal(parseEther('5'));
      expect((await p.hub.attestation(p.alice.address, EID_A, USDC)).balance).to.equal(0n);
    });

    it('rejects lzReceive from anyone but the endpoint', async () => {
      const p = await loadFixture(deployProtocol);
      const origin = { srcEid: EID_A, sender: ethers.zeroPadValue(await p.vaultA.getAddress(), 32), nonce: 1n };
      await expect(p.hub.connect(p.alice).lzReceive(origin, ethers.ZeroHash, '0x01', ethers.ZeroAddress, '0x')).to.be.revertedWithCustomError(
        p.hub,
        'OnlyEndpoint',
      );
    });

    it('property: any execution order of the same attestations gives the in-order hub state', async () => {
      const base = await loadFixture(deployProtocol);
      const users = [base.alice, base.bob];
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ user: fc.integer({ min: 0, max: 1 }), amount: fc.bigInt({ min: 1n, max: 10n ** 20n }) }), {
            minLength: 2,
            maxLength: 6,
          }),
          fc.func(fc.integer()),
          async (deposits, rank) => {
            const p = await loadFixture(deployProtocol);
            const expected = new Map<string, bigint>();
            for (const d of deposits) {
              const who = users[d.user];
              await depositWeth(p, d.amount, who);
              expected.set(who.address, (expected.get(who.address) ?? 0n) + d.amount);
            }
            const packets = await sentPackets(p, EID_A, EID_HUB);
            await verifyAndCommit(p, EID_HUB, packets);
            const shuffled = packets
              .map((pk, i) => ({ pk, key: rank(i) }))
              .sort((a, b) => a.key - b.key)
              .map((x) => x.pk);
            await execute(p, EID_HUB, shuffled);
            for (const [account, balance] of expected) {
              const stored = await p.hub.attestation(account, EID_A, WETH);
              expect(stored.balance).to.equal(balance);
              expect(stored.sequence).to.equal(await lastSequenceOf(p, account));
            }
          },
        ),
        { numRuns: 8 },
      );
    });
  });

  describe('withdrawal decisions', () => {
    it('rejects a withdrawal of an account with no push (StaleCredit), also when it uses nothing', async () => {
      const p = await loadFixture(deployProtocol);
      await depositWeth(p, parseEther('2'));
      await p.settle();
      await requestWithdraw(p, parseEther('1'));
      await p.deliver(EID_A, EID_HUB);
      const d = await decision(p);
      expect([d.approved, d.reason, d.reservedValue]).to.deep.equal([false, BigInt(RejectReason.StaleCredit), 0n]);
      expect(await p.creditManager.reserved(p.alice.address)).to.equal(0n);
      await p.settle();
      expect((await p.vaultA.balanceOf(p.alice.address, WETH)).free).to.equal(parseEther('2'));
    });

    it('reserves at once when credit after the withdrawal covers what is used; the decider approves; the release settles it', async () => {
      const p = await aliceTrading();
      await requestWithdraw(p, parseEther('5')); // 5 × 2000 × 0.8 = 8000 = 10010 − 10 − 2000
      await p.deliver(EID_A, EID_HUB);
      const [pending] = await p.hub.queryFilter(p.hub.filters.WithdrawalPending());
      expect([pending.args.requestId, pending.args.reservedValue]).to.deep.equal([1n, parseEther('8000')]);
      expect(await p.creditManager.availableCredit(p.alice.address)).to.equal(0n);
      await p.decide(EID_A, 1n, true);
      const d = await decision(p);
      expect([d.approved, d.reservedValue]).to.deep.equal([true, parseEther('8000')]);
      // The reservation blocks new risk until the release attestation arrives.
      await expect(p.market.connect(p.alice).modifyPosition(0, parseEther('1'))).to.be.revertedWithCustomError(p.creditManager, 'InsufficientCredit');
      await p.settle();
      expect(await p.hub.queryFilter(p.hub.filters.WithdrawalSettled())).to.have.length(1);
      expect(await p.creditManager.reserved(p.alice.address)).to.equal(0n);
      // Until the aggregator pushes a limit computed without the withdrawn collateral, its value still counts.
      expect(await p.creditManager.settlingCredit(p.alice.address)).to.equal(parseEther('8000'));
      expect(await p.creditManager.availableCredit(p.alice.address)).to.equal(0n);
      await expect(p.market.connect(p.alice).modifyPosition(0, parseEther('1'))).to.be.revertedWithCustomError(p.creditManager, 'InsufficientCredit');
      await pushCredit(p.creditManager.connect(p.pusher), 2, [packCreditEntry(p.alice.address, parseEther('3010'))]);
      expect(await p.creditManager.settlingCredit(p.alice.address)).to.equal(0n);
      expect(await p.creditManager.availableCredit(p.alice.address)).to.equal(parseEther('1000'));
    });

    it('rejects above available credit with InsufficientCredit and the vault unlocks', async () => {
      const p = await aliceTrading();
      await requestWithdraw(p, parseEther('5.01'));
      await p.deliver(EID_A, EID_HUB);
      const d = await decision(p);
      expect([d.approved, d.reason]).to.deep.equal([false, BigInt(RejectReason.InsufficientCredit)]);
      expect(await p.creditManager.reserved(p.alice.address)).to.equal(0n);
      await p.settle();
      const balance = await p.vaultA.balanceOf(p.alice.address, WETH);
      expect([balance.free, balance.locked]).to.deep.equal([parseEther('10'), 0n]);
    });

    it('rejects with StaleCredit, Liquidatable, PriceUnavailable, InsufficientAttestedBalance, UnlistedAsset', async () => {
      const p = await aliceTrading();
      const cases: [() => Promise<unknown>, bigint, number][] = [
        [() => time.increase(STALE_AFTER + 1), parseEther('1'), RejectReason.StaleCredit],
        [
          () => pushCredit(p.creditManager.connect(p.pusher), 2, [packCreditEntry(p.alice.address, parseEther('10000'), true)]),
          parseEther('1'),
          RejectReason.Liquidatable,
        ],
        [
          async () => {
            await pushCredit(p.creditManager.connect(p.pusher), 3, [packCreditEntry(p.alice.address, parseEther('10000'))]);
            await p.wethFeed.setRoundData(2000n * 10n ** 8n, (await time.latest()) - 4000);
          },
          parseEther('1'),
          RejectReason.PriceUnavailable,
        ],
      ];
      for (const [setup, amount, reason] of cases) {
        await setup();
        await requestWithdraw(p, amount);
        const delivered = await p.deliver(EID_A, EID_HUB);
        expect(delivered.length).to.be.greaterThan(0);
        expect((await decision(p)).reason, `reason ${reason}`).to.equal(BigInt(reason));
        await p.settle();
      }
      // The request overtakes the deposit that funds it (executed first): above the hub's attested balance.
      await p.wethFeed.setPrice(2000n * 10n ** 8n);
      await depositWeth(p, parseEther('1'));
      await requestWithdraw(p, parseEther('10.5'));
      const pending = (await sentPackets(p, EID_A, EID_HUB)).slice(-2);
      await verifyAndCommit(p, EID_HUB, pending);
      await execute(p, EID_HUB, [pending[1], pending[0]]);
      expect((await decision(p)).reason).to.equal(BigInt(RejectReason.InsufficientAttestedBalance));
      await p.settle();
      expect((await p.vaultA.balanceOf(p.alice.address, WETH)).free).to.equal(parseEther('11'));
      // Asset listed on the vault but not configured on the hub for chain B.
      const token = await p.weth.getAddress();
      await p.vaultB.listAsset(USDC, token, parseEther('100'), parseEther('10'), parseEther('1'));
      await p.vaultB.connect(p.alice).deposit(USDC, parseEther('1'), p.alice.address, { value: await p.vaultB.quote(MSG_ATTEST) });
      await p.vaultB.connect(p.alice).requestWithdraw(USDC, parseEther('1'), { value: await p.vaultB.quoteWithdraw() });
      await p.settle();
      const last = await decision(p);
      expect([last.eid, last.reason]).to.deep.equal([BigInt(EID_B), BigInt(RejectReason.UnlistedAsset)]);
    });

    it('answers from the value the request carried, with an empty balance; a fee rise since is paid by its float, or retried', async () => {
      const p = await loadFixture(deployProtocol);
      const hubAddress = await p.hub.getAddress();
      await depositWeth(p, parseEther('1'));
      await p.settle();
      await ethers.provider.send('hardhat_setBalance', [hubAddress, '0x0']);
      // No push yet: rejected on arrival, paid with the request's forwarded value.
      await requestWithdraw(p, parseEther('1'));
      await p.settle();
      expect((await p.vaultA.withdrawalRequest(1n)).status).to.equal(3n);
      expect(await ethers.provider.getBalance(hubAddress)).to.equal(0n);
      // Pending: the forwarded value waits in the hub for the decision.
      await p.push([p.alice.address, parseEther('5000')]);
      await requestWithdraw(p, parseEther('1'));
      await p.deliver(EID_A, EID_HUB);
      expect(await ethers.provider.getBalance(hubAddress)).to.be.greaterThan(0n);
      // The hub's worker raised its fee after the request was paid: without a float the decision reverts (retryable).
      const worker = RelayerWorker__factory.connect(await workerOf(p, EID_HUB), p.deployer);
      const config = await worker.dstConfigs(EID_A);
      await worker.setDstConfig(EID_A, { enabled: true, dvnFee: config.dvnFee * 2n, executorFee: config.executorFee });
      const endpoint = lzContract('EndpointV2', p.endpoints[EID_HUB].endpoint, p.deployer);
      await expect(p.decide(EID_A, 2n, true)).to.be.revertedWithCustomError(endpoint, 'LZ_InsufficientFee');
      expect((await p.hub.pendingWithdrawal(EID_A, 2n)).approved).to.equal(false);
      await p.deployer.sendTransaction({ to: hubAddress, value: parseEther('1') });
      await p.decide(EID_A, 2n, true);
      await p.settle();
      expect((await p.vaultA.withdrawalRequest(2n)).status).to.equal(2n);
      expect(await ethers.provider.getBalance(hubAddress)).to.equal(parseEther('1') - config.dvnFee);
    });
  });

  describe('seize and admin', () => {
    it('seizes only within an open liquidation with uncovered debt, and the liquidator pays the SEIZE', async () => {
      const p = await loadFixture(deployProtocol);
      const asLiquidator = p.hub.connect(p.liquidator);
      // A seizure only follows a liquidation: none open, no SEIZE.
      await expect(asLiquidator.seize(p.alice.address)).to.be.revertedWithCustomError(p.registry, 'NoOpenLiquidation').withArgs(p.alice.address);
      await p.pool.connect(p.deployer).settle(p.alice.address, -parseEther('100'), 0n);
      await p.push([p.alice.address, 0n, true]);
      await p.registry.connect(p.deployer).openLiquidation(p.alice.address);
      // Nothing attested: nothing to seize.
      await expect(asLiquidator.seize(p.alice.address)).to.be.revertedWithCustomError(p.registry, 'NothingToSeize');
      await p.vaultA.connect(p.alice).deposit(USDC, 1_000_000_000n, p.alice.address, { value: await p.vaultA.quote(1) });
      await p.settle();
      // The liquidator pays the SEIZE: never the hub's float.
      const endpoint = lzContract('EndpointV2', p.endpoints[EID_HUB].endpoint, p.deployer);
      await expect(asLiquidator.seize(p.alice.address)).to.be.revertedWithCustomError(endpoint, 'LZ_InsufficientFee');
      const { eid, assetId, amount, debtUsd, nativeFee } = await p.hub.quoteSeize(p.alice.address);
      expect([eid, assetId]).to.deep.equal([BigInt(EID_A), BigInt(USDC)]);
      expect(debtUsd).to.equal(parseEther('100'));
      expect(amount).to.equal(102_000_000n);
      await expect(asLiquidator.seize(p.alice.address, { value: nativeFee }))
        .to.emit(p.hub, 'SeizureSent')
        .withArgs(1n, 1n, p.alice.address, EID_A, USDC, amount, debtUsd, parseEther('102'), await p.auctionA.getAddress());
      expect(await p.hub.seizureReserved(p.alice.address, EID_A, USDC)).to.equal(amount);
      // Covered by the seizure in flight: a second one has nothing left to cover.
      await expect(asLiquidator.seize(p.alice.address, { value: nativeFee })).to.be.revertedWithCustomError(p.registry, 'NoUncoveredDebt');
      await expect(p.hub.connect(p.alice).setMaxPriceAge(1)).to.be.revertedWithCustomError(p.hub, 'OwnableUnauthorizedAccount');
      await expect(p.hub.setAssetRisk(WETH, await p.wethFeed.getAddress(), parseEther('1.1'))).to.be.revertedWithCustomError(p.hub, 'InvalidWeight');
      await expect(p.hub.setAssetRisk(WETH, ethers.ZeroAddress, 1n)).to.be.revertedWithCustomError(p.hub, 'ZeroAddress');
    });

    it("values an account's attested collateral over the listed pairs at price × init weight; a stale price counts 0", async () => {
      const p = await loadFixture(deployProtocol);
      const [eids, assets] = await p.hub.chainAssetKeys();
      expect(eids.map((e, i) => [Number(e), Number(assets[i])])).to.deep.equal([
        [EID_A, USDC],
        [EID_A, WETH],
        [EID_B, WETH],
      ]);
      await depositWeth(p, parseEther('2'));
      await depositWeth(p, parseEther('1'), p.alice, p.vaultB);
      await p.vaultA.connect(p.alice).deposit(USDC, 1_000_000_000n, p.alice.address, { value: await p.vaultA.quote(MSG_ATTEST) });
      await p.settle();
      expect(await p.hub.collateralValue(p.alice.address)).to.equal(parseEther('4800') + parseEther('950')); // 3 × 2000 × 0.8 + 1000 × 0.95
      expect(await p.creditManager.collateralValue(p.alice.address)).to.equal(parseEther('5750'));
      await p.wethFeed.setRoundData(2000n * 10n ** 8n, (await time.latest()) - 4000);
      expect(await p.hub.collateralValue(p.alice.address)).to.equal(parseEther('950'));
      expect(await p.hub.collateralValue(p.bob.address)).to.equal(0n);
    });

    it('lists at most MAX_CHAIN_ASSETS pairs; re-listing a pair changes its decimals, not the list', async () => {
      const p = await loadFixture(deployProtocol);
      const max = Number(await p.hub.MAX_CHAIN_ASSETS());
      await p.hub.setChainAsset(EID_A, WETH, 18);
      for (let i = 3; i < max; i++) await p.hub.setChainAsset(50_000 + i, WETH, 18);
      expect((await p.hub.chainAssetKeys())[0].length).to.equal(max);
      await expect(p.hub.setChainAsset(EID_B, USDC, 6))
        .to.be.revertedWithCustomError(p.hub, 'TooManyChainAssets')
        .withArgs(max);
    });

    it('quotes withdrawal value as amount × price × init weight', async () => {
      const p = await loadFixture(deployProtocol);
      expect(await p.hub.withdrawalValue(EID_A, WETH, parseEther('2'))).to.equal(parseEther('3200'));
      expect(await p.hub.withdrawalValue(EID_A, USDC, 1_000_000n)).to.equal(parseEther('0.95'));
      await expect(p.hub.withdrawalValue(EID_B, USDC, 1n)).to.be.revertedWithCustomError(p.hub, 'AssetNotListed');
    });
  });
});

/** The RelayerWorker that SendUln302 on `eid` uses as executor (the fixture's default executor config). */
async function workerOf(p: Protocol, eid: number): Promise<string> {
  const sendUln = lzContract('SendUln302', p.endpoints[eid].sendUln302, p.deployer);
  const remote = eid === EID_HUB ? EID_A : EID_HUB;
  return (await sendUln.getExecutorConfig(await p.hub.getAddress(), remote)).executor;
}

async function lastSequenceOf(p: Protocol, account: string): Promise<bigint> {
  const logs = await p.vaultA.queryFilter(p.vaultA.filters.BalanceAttested(account));
  return logs[logs.length - 1].args.sequence;
}
