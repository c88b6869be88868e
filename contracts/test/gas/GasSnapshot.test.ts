import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEther, type TransactionReceipt } from 'ethers';
import {
  DEFAULT_RECEIVE_GAS,
  MSG_ATTEST,
  MSG_AUCTION_RESULT,
  MSG_SEIZE,
  MSG_HEARTBEAT,
  MSG_WITHDRAW_DECISION,
  MSG_WITHDRAW_REQUEST,
  addressToBytes32,
  deployRiskParameters,
  deployStablePriceFeed,
  handOverParams,
  paramKey,
  lzContract,
  lzReceiveOptions,
  packCreditEntry,
  pushCredit,
  type DeliveredPacket,
} from '../../lib';
import { BenchOFT__factory, NoopOApp__factory } from '../../typechain-types';
import { EID_A, EID_HUB, WETH, deployProtocol, type Protocol } from '../helpers/fixture';
import { CONFIRMATIONS, deliveryOf, deployWorkerPathway, sendPing } from '../helpers/delivery-workers';

/**
 * Gas figures of the flows, measured on the real EndpointV2 + ULN302 with the same delivery helper for
 * our messages and for LayerZero's OFT. `npm run gas` (GAS_SNAPSHOT=write) rewrites gas-snapshot.json.
 */
const snapshot: Record<string, unknown> = {};
const gas = (r: TransactionReceipt | null | undefined) => Number(r?.gasUsed ?? 0);

/**
 * lzReceive transaction gas of a no-op OApp for a message of `length` bytes: first and later packets of a
 * fresh pathway. Subtracting it from an app's lzReceive leaves the part the app controls.
 */
async function noopBaseline(p: Protocol, length: number): Promise<{ first: number; later: number }> {
  const [deployer] = await ethers.getSigners();
  const from = await new NoopOApp__factory(deployer).deploy(p.endpoints[EID_A].endpoint, deployer.address);
  const to = await new NoopOApp__factory(deployer).deploy(p.endpoints[EID_HUB].endpoint, deployer.address);
  await from.setPeer(EID_HUB, addressToBytes32(await to.getAddress()));
  await to.setPeer(EID_A, addressToBytes32(await from.getAddress()));
  const message = '0x' + 'ab'.repeat(length);
  const options = lzReceiveOptions(100_000);
  const figures: number[] = [];
  for (let i = 0; i < 2; i++) {
    await from.send(EID_HUB, message, options, { value: await from.quote(EID_HUB, message, options) });
    figures.push(gas((await p.deliver(EID_A, EID_HUB))[0].receiveReceipt));
  }
  return { first: figures[0], later: figures[1] };
}

/** One packet's destination transactions: `verify` is one DVN's, `total` counts every required DVN's verify. */
async function receiveFigures(d: DeliveredPacket) {
  const verify = gas(d.verifyReceipt);
  const verifyAll = verify + (d.otherVerifyReceipts ?? []).reduce((sum, r) => sum + gas(r), 0);
  const commit = gas(d.commitReceipt);
  const lzReceive = gas(d.receiveReceipt);
  return { verify, dvns: 1 + (d.otherVerifyReceipts?.length ?? 0), commitVerification: commit, lzReceive, total: verifyAll + commit + lzReceive };
}

async function deposit(p: Protocol, who = p.alice, amount = parseEther('1')) {
  return (await p.vaultA.connect(who).deposit(WETH, amount, who.address, { value: await p.vaultA.quote(MSG_ATTEST) })).wait();
}

describe('gas snapshot', () => {
  after(() => {
    if (process.env.GAS_SNAPSHOT === 'write') writeFileSync(join(__dirname, '../../gas-snapshot.json'), JSON.stringify(snapshot, null, 2) + '\n');
  });

  it('delivery: two DeliveryWorker batches per block vs three transactions per packet (PingOApp)', async () => {
    const keys = await deployWorkerPathway('keys');
    const endpoint = lzContract('EndpointV2', keys.dst.endpoint, keys.relayerKey);
    const threeTx: number[] = [];
    for (let i = 0; i < 2; i++) {
      const packet = await sendPing(keys, '0x0102');
      let total = 0;
      for (const key of [keys.relayerKey, keys.verifierKey])
        total += gas(
          await (await lzContract('ReceiveUln302', keys.dst.receiveUln302, key).verify(packet.header, packet.payloadHash, CONFIRMATIONS)).wait(),
        );
      total += gas(
        await (
          await lzContract('ReceiveUln302', keys.dst.receiveUln302, keys.relayerKey).getFunction('commitVerification')(
            packet.header,
            packet.payloadHash,
          )
        ).wait(),
      );
      const origin = { srcEid: packet.srcEid, sender: packet.sender, nonce: packet.nonce };
      total += gas(await (await endpoint.lzReceive(origin, packet.receiver, packet.guid, packet.message, '0x')).wait());
      threeTx.push(total);
    }
    const w = await deployWorkerPathway();
    await sendPing(w, '0x0102').then(async (p) => {
      await w.relayerWorker.connect(w.relayerKey).verifyAndDeliver([deliveryOf(p)]);
      await w.verifierWorker.connect(w.verifierKey).verifyAndDeliver([deliveryOf(p)]);
    });
    const batches: Record<string, { firstDvnPerPacket: number; secondDvnPerPacket: number; perPacket: number }> = {};
    for (const size of [1, 10, 100]) {
      const packets = [];
      for (let i = 0; i < size; i++) packets.push(await sendPing(w, '0x0102'));
      const batch = packets.map((p) => deliveryOf(p));
      const first = gas(await (await w.relayerWorker.connect(w.relayerKey).verifyAndDeliver(batch, { gasLimit: 16_000_000 })).wait());
      const second = gas(await (await w.verifierWorker.connect(w.verifierKey).verifyAndDeliver(batch, { gasLimit: 16_000_000 })).wait());
      expect(await w.receiver.lastNonce()).to.equal(packets[size - 1].nonce);
      batches[`batch${size}`] = {
        firstDvnPerPacket: Math.round(first / size),
        secondDvnPerPacket: Math.round(second / size),
        perPacket: Math.round((first + second) / size),
      };
    }
    snapshot.deliveryWorker = { threeTxPerPacket: { first: threeTx[0], later: threeTx[1] }, ...batches };
    expect(batches.batch100.perPacket, 'batched delivery per packet below the three-transaction path').to.be.lt(threeTx[1]);
  });

  it('deposit + send, hub ATTEST receive (first write and update)', async () => {
    const p = await loadFixture(deployProtocol);
    const first = await deposit(p);
    const firstReceive = await receiveFigures((await p.deliver(EID_A, EID_HUB))[0]);
    const second = await deposit(p);
    const updateReceive = await receiveFigures((await p.deliver(EID_A, EID_HUB))[0]);
    snapshot.depositAndSend = { firstDeposit: gas(first), laterDeposit: gas(second) };
    snapshot.hubReceiveAttest = { firstAttestation: firstReceive, update: updateReceive };
  });

  it('LayerZero OFT send and receive (oft-evm 4.0.1, same endpoints and delivery)', async () => {
    const p = await loadFixture(deployProtocol);
    const [deployer, , , alice] = await ethers.getSigners();
    const oftA = await new BenchOFT__factory(deployer).deploy(p.endpoints[EID_A].endpoint, deployer.address);
    const oftHub = await new BenchOFT__factory(deployer).deploy(p.endpoints[EID_HUB].endpoint, deployer.address);
    await oftA.setPeer(EID_HUB, addressToBytes32(await oftHub.getAddress()));
    await oftHub.setPeer(EID_A, addressToBytes32(await oftA.getAddress()));
    await oftA.mint(alice.address, parseEther('100'));
    const send = async () => {
      const param = {
        dstEid: EID_HUB,
        to: addressToBytes32(alice.address),
        amountLD: parseEther('1'),
        minAmountLD: parseEther('1'),
        extraOptions: lzReceiveOptions(100_000),
        composeMsg: '0x',
        oftCmd: '0x',
      };
      const fee = await oftA.quoteSend(param, false);
      return (await oftA.connect(alice).send(param, { nativeFee: fee.nativeFee, lzTokenFee: 0n }, alice.address, { value: fee.nativeFee })).wait();
    };
    const firstSend = await send();
    const firstReceive = await receiveFigures((await p.deliver(EID_A, EID_HUB))[0]);
    const secondSend = await send();
    const updateReceive = await receiveFigures((await p.deliver(EID_A, EID_HUB))[0]);
    snapshot.oft = { send: { first: gas(firstSend), later: gas(secondSend) }, receive: { firstCredit: firstReceive, update: updateReceive } };
    const ours = snapshot.hubReceiveAttest as { firstAttestation: { lzReceive: number }; update: { lzReceive: number } };
    const noopAttest = await noopBaseline(p, 56);
    const noopOft = await noopBaseline(p, 40);
    const app = {
      attestFirst: ours.firstAttestation.lzReceive - noopAttest.first,
      attestUpdate: ours.update.lzReceive - noopAttest.later,
      oftFirst: firstReceive.lzReceive - noopOft.first,
      oftUpdate: updateReceive.lzReceive - noopOft.later,
    };
    snapshot.attestVsOft = {
      noopBaseline: { attestSized56: noopAttest, oftSized40: noopOft },
      appShareOfLzReceive: app,
      appShareRatioFirst: ratio(app.attestFirst, app.oftFirst),
      appShareRatioUpdate: ratio(app.attestUpdate, app.oftUpdate),
      lzReceiveTxRatioFirst: ratio(ours.firstAttestation.lzReceive, firstReceive.lzReceive),
      lzReceiveTxRatioUpdate: ratio(ours.update.lzReceive, updateReceive.lzReceive),
    };
    expect(app.attestFirst, 'ATTEST lzReceive (first) ≤ 0.6 × OFT').to.be.lte(0.6 * app.oftFirst);
    expect(app.attestUpdate, 'ATTEST lzReceive (update) ≤ 0.6 × OFT').to.be.lte(0.6 * app.oftUpdate);
  });

  it('credit push: 200-account batch, first-time writes, paired updates and one-half updates', async () => {
    const p = await loadFixture(deployProtocol);
    const accounts = Array.from({ length: 200 }, (_, i) => ethers.getAddress('0x' + 'cc'.repeat(18) + (i + 1).toString(16).padStart(4, '0')));
    const cm = p.creditManager.connect(p.pusher);
    const push = async (epoch: number, list: string[], limit: bigint) =>
      gas(
        await (
          await pushCredit(
            cm,
            epoch,
            list.map((a) => packCreditEntry(a, limit + BigInt(epoch))),
          )
        ).wait(),
      );
    const empty = async (epoch: number) => gas(await (await pushCredit(cm, epoch, [])).wait());
    // Epochs 1–5 share one epoch-timestamp slot: the baseline (epoch 4) pays what the other pushes pay for it.
    await empty(1);
    const firstTime = await push(2, accounts, parseEther('100'));
    const update = await push(3, accounts, parseEther('90'));
    const base = await empty(4);
    const evens = accounts.filter((_, i) => i % 2 === 0);
    const oneHalf = await push(5, evens, parseEther('80'));
    const perAccountFirst = Math.round((firstTime - base) / 200);
    const perAccountUpdate = Math.round((update - base) / 200);
    const perAccountOneHalf = Math.round((oneHalf - base) / evens.length);
    snapshot.creditPush200 = {
      emptyBatch: base,
      firstTimeBatch: firstTime,
      updateBatch: update,
      oneHalfBatch100: oneHalf,
      perAccountFirstTime: perAccountFirst,
      perAccountUpdate,
      perAccountOneHalfUpdate: perAccountOneHalf,
    };
    expect(perAccountUpdate, 'paired update of existing limits per account').to.be.lte(5500);
  });

  it('withdrawal round trip (two keys: the hub reserves on arrival, the decider approves)', async () => {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, parseEther('5'));
    await p.settle();
    await p.push([p.alice.address, parseEther('8000')]);
    const request = await (
      await p.vaultA.connect(p.alice).requestWithdraw(WETH, parseEther('1'), { value: await p.vaultA.quote(MSG_WITHDRAW_REQUEST) })
    ).wait();
    const atHub = await receiveFigures((await p.deliver(EID_A, EID_HUB))[0]);
    const decide = gas(await (await p.decide(EID_A, 1n, true)).wait());
    const atVault = await receiveFigures((await p.deliver(EID_HUB, EID_A))[0]);
    const settle = await receiveFigures((await p.deliver(EID_A, EID_HUB))[0]);
    snapshot.withdrawalRoundTrip = {
      requestWithdraw: gas(request),
      hubRequest: atHub,
      decideWithdrawal: decide,
      vaultRelease: atVault,
      hubSettle: settle,
      total: gas(request) + atHub.total + decide + atVault.total + settle.total,
    };
    expect((await p.vaultA.withdrawalRequest(1n)).status).to.equal(2n);
    // A request the hub rejects on arrival sends the reply from inside lzReceive (the costlier receive).
    await p.push([p.alice.address, 0n]);
    await p.vaultA.connect(p.alice).requestWithdraw(WETH, parseEther('1'), { value: await p.vaultA.quote(MSG_WITHDRAW_REQUEST) });
    const rejected = await receiveFigures((await p.deliver(EID_A, EID_HUB))[0]);
    const unlock = await receiveFigures((await p.deliver(EID_HUB, EID_A))[0]);
    expect((await p.vaultA.withdrawalRequest(2n)).status).to.equal(3n);
    snapshot.withdrawalRejectedOnArrival = { hubReceive: rejected, vaultUnlock: unlock };
    // The enforced lzReceive gas must cover what the OApp spends (tx gas minus a no-op OApp's receive).
    const noop = await noopBaseline(p, 12);
    expect(Math.max(atHub.lzReceive, rejected.lzReceive) - noop.later).to.be.lte(DEFAULT_RECEIVE_GAS[MSG_WITHDRAW_REQUEST]);
    expect(atVault.lzReceive - noop.later).to.be.lte(DEFAULT_RECEIVE_GAS[MSG_WITHDRAW_DECISION]);
    expect(settle.lzReceive - noop.later).to.be.lte(DEFAULT_RECEIVE_GAS[MSG_ATTEST]);
  });

  it('perp fills (fee and PnL settled into the pool) and cash flows', async () => {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, parseEther('10'));
    await deposit(p, p.bob, parseEther('10'));
    await p.settle();
    await p.push([p.alice.address, parseEther('10000')], [p.bob.address, parseEther('10000')]);
    // Steady state: the pool's totals are already non-zero (another account traded); alice's cash starts at 0.
    await p.market.connect(p.bob).modifyPosition(0, parseEther('1'));
    const m = p.market.connect(p.alice);
    const open = gas(await (await m.modifyPosition(0, parseEther('10'))).wait());
    const add = gas(await (await m.modifyPosition(0, parseEther('1'))).wait());
    await p.wethFeed.setPrice(2100n * 10n ** 8n);
    const reduce = gas(await (await m.modifyPosition(0, parseEther('-5'))).wait());
    const close = gas(await (await m.modifyPosition(0, parseEther('-6'))).wait());
    const withdrawCash = gas(await (await p.pool.connect(p.alice).withdrawCash(parseEther('100'))).wait());
    const repay = gas(await (await p.pool.connect(p.bob).repay(p.alice.address, 1_000_000n)).wait());
    snapshot.perp = { open, add, reduce, close };
    snapshot.cash = { withdrawCash, repay };
  });

  it('perp fills with every cap set: what the cap check adds per trade (exposure walks the hub: 2 chains list WETH)', async () => {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, parseEther('10'));
    await deposit(p, p.bob, parseEther('10'));
    await p.settle();
    await p.push([p.alice.address, parseEther('10000')], [p.bob.address, parseEther('10000')]);
    await p.market.setOpenInterestCaps(0, parseEther('1000'), parseEther('100'));
    await p.market.setExposureCap(WETH, parseEther('1000000'));
    await p.market.connect(p.bob).modifyPosition(0, parseEther('1'));
    const m = p.market.connect(p.alice);
    const open = gas(await (await m.modifyPosition(0, parseEther('10'))).wait());
    const add = gas(await (await m.modifyPosition(0, parseEther('1'))).wait());
    await p.wethFeed.setPrice(2100n * 10n ** 8n);
    const reduce = gas(await (await m.modifyPosition(0, parseEther('-5'))).wait());
    const close = gas(await (await m.modifyPosition(0, parseEther('-6'))).wait());
    const uncapped = snapshot.perp as { open: number; add: number; reduce: number; close: number };
    snapshot.perpCapped = { open, add, reduce, close };
    snapshot.capCheckPerTrade = { open: open - uncapped.open, add: add - uncapped.add, reduce: reduce - uncapped.reduce };
    expect(reduce - uncapped.reduce, 'a reduction never reads a cap').to.be.lte(0);
  });

  it('stable price feed: a poke, and what p⁻ through it adds to a hub valuation', async () => {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, parseEther('10'));
    await p.settle();
    const value = async () => Number(await ethers.provider.estimateGas(await p.hub.collateralValue.populateTransaction(p.alice.address)));
    const oracleRead = await value();
    const stable = await deployStablePriceFeed(p.deployer, { source: await p.wethFeed.getAddress() });
    await p.hub.setAssetRisk(WETH, await stable.getAddress(), (await p.hub.assetRisk(WETH)).initWeight);
    const stableRead = await value();
    await p.wethFeed.setPrice(2100n * 10n ** 8n);
    const poke = gas(await (await stable.poke()).wait());
    const params = await deployRiskParameters(p.deployer, {
      hub: await p.hub.getAddress(),
      market: await p.market.getAddress(),
      creditManager: await p.creditManager.getAddress(),
      delaySeconds: 60,
    });
    await handOverParams(await params.getAddress(), p);
    await (await stable.setParamGovernor(await params.getAddress())).wait();
    const key = paramKey('stableMaxStep', WETH);
    const propose = gas(await (await params.proposeParam(key, parseEther('0.04'))).wait());
    await time.increase(60);
    const execute = gas(await (await params.executeParam(key)).wait());
    snapshot.stablePriceFeed = {
      poke,
      collateralValueOracle: oracleRead,
      collateralValueStable: stableRead,
      added: stableRead - oracleRead,
      proposeStableParam: propose,
      executeStableParam: execute,
    };
  });

  it('liquidation: partial and full liquidate, seize round trip (SEIZE + ATTEST + AUCTION_RESULT), take', async () => {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, parseEther('10'));
    await p.settle();
    await p.push([p.alice.address, parseEther('10000')]);
    await p.market.connect(p.alice).modifyPosition(0, parseEther('20'));
    await p.wethFeed.setPrice(1300n * 10n ** 8n); // 10,400 of collateral against a 14,000 loss: health 0
    await p.push([p.alice.address, 0n, true]);
    const partial = gas(await (await p.market.connect(p.liquidator).liquidate(p.alice.address, 5n * 10n ** 17n)).wait());
    const full = gas(await (await p.market.connect(p.liquidator).liquidate(p.alice.address, 10n ** 18n)).wait());
    const { nativeFee } = await p.hub.quoteSeize(p.alice.address);
    const seize = gas(await (await p.hub.connect(p.liquidator).seize(p.alice.address, { value: nativeFee })).wait());
    const [atVault] = await p.deliver(EID_HUB, EID_A);
    const [attest] = await p.deliver(EID_A, EID_HUB);
    const lotId = await p.hub.nextSeizureId();
    const firstTake = gas(await (await p.auctionA.connect(p.bob).take(lotId, parseEther('1'), ethers.MaxUint256, p.bob.address)).wait());
    const closingTake = gas(await (await p.auctionA.connect(p.bob).take(lotId, parseEther('100'), ethers.MaxUint256, p.bob.address)).wait());
    const [result] = await p.deliver(EID_A, EID_HUB);
    expect(await p.hub.seizuresInFlight(p.alice.address)).to.equal(0n);
    const seizeAtVault = await receiveFigures(atVault);
    const resultAtHub = await receiveFigures(result);
    const attestAtHub = await receiveFigures(attest);
    snapshot.liquidation = {
      liquidatePartial: partial,
      liquidateFull: full,
      seizeRoundTrip: {
        seize,
        seizeAtVault,
        attestAtHub,
        auctionResultAtHub: resultAtHub,
        total: seize + seizeAtVault.total + attestAtHub.total + resultAtHub.total,
      },
      take: { partial: firstTake, closing: closingTake },
    };
    expect(seizeAtVault.lzReceive).to.be.lte(DEFAULT_RECEIVE_GAS[MSG_SEIZE]);
    expect(resultAtHub.lzReceive).to.be.lte(DEFAULT_RECEIVE_GAS[MSG_AUCTION_RESULT]);
  });

  it('heartbeat: vault send, hub receive (first of a chain: fresh slot)', async () => {
    const p = await loadFixture(deployProtocol);
    const send = gas(await (await p.vaultA.connect(p.bob).heartbeat({ value: await p.vaultA.quote(MSG_HEARTBEAT) })).wait());
    const receive = await receiveFigures((await p.deliver(EID_A, EID_HUB))[0]);
    snapshot.heartbeat = { send, ...receive };
  });
});

function ratio(a?: number, b?: number): number | undefined {
  return a && b ? Math.round((a / b) * 1000) / 1000 : undefined;
}
