import request from 'supertest';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CollateralEntity } from '../../src/ledger/entities/ledger.entities';
import { parseEther, parseUnits } from 'ethers';
import { MSG_ATTEST, MSG_HEARTBEAT, packCreditEntry, pushCredit } from '@tributary/contracts';
import { startAggregator, type Aggregator } from '../support/aggregator';
import { HUB_EID, USDC, VAULT_EID, WETH, startDevnet, type Devnet } from '../support/devnet';

/**
 * Real contracts on two `hardhat node` chains, real LayerZero delivery (deliverPending), the aggregator
 * indexing both chains: live ledger, replay = live, reorg rollback, reconciliation.
 */
describe('ledger indexed from the chains', () => {
  let net: Devnet;
  let agg: Aggregator;

  beforeAll(async () => {
    // Distinct ports per database so the sql.js and PostgreSQL runs may overlap.
    const base = process.env.DATABASE_URL ? 18721 : 18711;
    net = await startDevnet({ hub: base, vault: base + 1 });
    agg = await startAggregator({ MANIFEST_PATH: net.manifestPath, INDEXER_MAX_BLOCK_RANGE: '50' });
  }, 120_000);

  afterAll(async () => {
    await agg?.close();
    await net?.stop();
  });

  async function sync(): Promise<void> {
    await net.mine(net.vaultSide.provider); // the collateral chain needs one confirmation
    await agg.indexer.syncAll();
  }

  it('follows deposits, credit pushes, trades and a withdrawal round trip, block range by block range', async () => {
    const { alice, vault, creditManager, market } = net;
    await (await vault.connect(alice).deposit(USDC, parseUnits('5000', 6), alice.address, { value: await vault.quote(MSG_ATTEST) })).wait();
    await (await vault.connect(alice).deposit(WETH, parseEther('2'), alice.address, { value: await vault.quote(MSG_ATTEST) })).wait();
    await sync();
    let account = (await request(agg.http).get(`/v1/accounts/${alice.address}`).expect(200)).body;
    // Attested on the vault chain, not yet delivered to the hub.
    expect(account.collateral).toEqual([
      expect.objectContaining({ eid: VAULT_EID, assetId: USDC, symbol: 'USDC', balance: '0', vaultBalance: '5000000000', vaultSequence: '1' }),
      expect.objectContaining({
        eid: VAULT_EID,
        assetId: WETH,
        symbol: 'WETH',
        balance: '0',
        vaultBalance: parseEther('2').toString(),
        vaultSequence: '2',
      }),
    ]);

    expect((await net.toHub()).length).toBe(2);
    await (await pushCredit(creditManager.connect(net.pusher), 1, [packCreditEntry(alice.address, parseEther('7000'))])).wait();
    await (await market.connect(alice.connect(net.hubSide.provider)).modifyPosition(0, parseEther('1'))).wait();
    await sync();
    account = (await request(agg.http).get(`/v1/accounts/${alice.address}`).expect(200)).body;
    expect(account.collateral.map((c: { balance: string; sequence: string }) => [c.balance, c.sequence])).toEqual([
      ['5000000000', '1'],
      [parseEther('2').toString(), '2'],
    ]);
    expect(account.credit).toEqual({
      limit: parseEther('7000').toString(),
      epoch: '1',
      liquidatable: false,
      used: parseEther('200').toString(),
      reserved: '0',
    });
    expect(account.positions).toEqual([
      expect.objectContaining({
        marketId: 0,
        size: parseEther('1').toString(),
        entryPrice: parseEther('2000').toString(),
        margin: parseEther('200').toString(),
      }),
    ]);

    // Withdrawal: request on the vault → hub checks and reserves (pending) → the decider approves → vault releases and
    // re-attests → hub settles.
    await (await vault.connect(alice).requestWithdraw(USDC, parseUnits('1000', 6), { value: await vault.quoteWithdraw() })).wait();
    await sync();
    expect((await request(agg.http).get(`/v1/accounts/${alice.address}/withdrawals`).expect(200)).body.items).toEqual([
      expect.objectContaining({ eid: VAULT_EID, requestId: '1', assetId: USDC, amount: '1000000000', status: 'requested' }),
    ]);
    await net.toHub();
    await sync();
    const pending = (await request(agg.http).get(`/v1/accounts/${alice.address}/withdrawals?status=pending`).expect(200)).body;
    expect(pending.items).toEqual([expect.objectContaining({ requestId: '1', status: 'pending', approved: null, reasonName: null })]);
    expect(pending.items[0].deadline).toBeGreaterThan(0);
    await (await net.hub.connect(net.decider).decideWithdrawal(VAULT_EID, 1, true, 0)).wait();
    await sync();
    const approved = (await request(agg.http).get(`/v1/accounts/${alice.address}/withdrawals?status=approved`).expect(200)).body;
    expect(approved.items).toEqual([expect.objectContaining({ status: 'approved', approved: true })]);
    expect(BigInt(approved.items[0].reservedValue)).toBeGreaterThan(0n);
    await net.settle();
    await sync();
    account = (await request(agg.http).get(`/v1/accounts/${alice.address}`).expect(200)).body;
    expect(account.withdrawals).toEqual([expect.objectContaining({ requestId: '1', status: 'settled' })]);
    expect(account.collateral[0]).toEqual(
      expect.objectContaining({ balance: '4000000000', vaultBalance: '4000000000', sequence: '3', vaultSequence: '3' }),
    );
    expect(account.credit.reserved).toBe('0');
    const hubBlocks = await agg.ledger.lastAttestationBlocks();
    expect([...hubBlocks.keys()]).toEqual([VAULT_EID]);
    expect(hubBlocks.get(VAULT_EID)).toBe(account.collateral[0].attestedBlock);
    expect(hubBlocks.get(VAULT_EID)).toBeLessThanOrEqual(await net.hubSide.provider.getBlockNumber());
    // Every delivered vault message counts for liveness (chain_liveness): the request above, then a heartbeat.
    expect((await agg.ledger.lastMessageBlocks()).get(VAULT_EID)).toBeGreaterThanOrEqual(hubBlocks.get(VAULT_EID)!);
    await (await net.vault.connect(net.bob).heartbeat({ value: await net.vault.quote(MSG_HEARTBEAT) })).wait();
    await net.settle();
    await sync();
    const heard = (await agg.ledger.lastMessageBlocks()).get(VAULT_EID)!;
    expect(heard).toBeGreaterThan(hubBlocks.get(VAULT_EID)!);
    expect(heard).toBeLessThanOrEqual(await net.hubSide.provider.getBlockNumber());

    const chains = (await request(agg.http).get('/v1/chains').expect(200)).body;
    expect(chains.indexingEnabled).toBe(true);
    expect(chains.chains.map((c: { eid: number; indexing: { lagBlocks: number } }) => [c.eid, c.indexing.lagBlocks])).toEqual([
      [HUB_EID, 0],
      [VAULT_EID, 1],
    ]);
  });

  it('indexes the SettlementPool: realized PnL and a repayment become cash and its history; /v1/pool reads the chain', async () => {
    const { alice, market, pool, quoteToken, wethFeed } = net;
    const trader = alice.connect(net.hubSide.provider);
    await (await wethFeed.setPrice(parseUnits('2100', 8))).wait();
    await (await market.connect(trader).modifyPosition(0, -parseEther('1'))).wait(); // closes 1 WETH long: +100 USD
    await (await quoteToken.mint(alice.address, parseUnits('5', 6))).wait();
    await (await quoteToken.connect(trader).approve(await pool.getAddress(), parseUnits('5', 6))).wait();
    await (await pool.connect(trader).repay(alice.address, parseUnits('5', 6))).wait();
    await sync();

    const account = (await request(agg.http).get(`/v1/accounts/${alice.address}`).expect(200)).body;
    expect(account.cash).toBe(parseEther('105').toString());
    expect(await agg.ledger.cashOf(alice.address)).toBe(await pool.cashOf(alice.address));
    const history = (await request(agg.http).get(`/v1/accounts/${alice.address}/cash-history`).expect(200)).body;
    expect(history.items.map((i: { reasonName: string; delta: string; cashAfter: string }) => [i.reasonName, i.delta, i.cashAfter])).toEqual([
      ['Repayment', parseEther('5').toString(), parseEther('105').toString()],
      ['RealizedPnl', parseEther('100').toString(), parseEther('100').toString()],
    ]);

    const body = (await request(agg.http).get('/v1/pool').expect(200)).body;
    const [tokenBalanceUsd, totalPositiveCash, totalDebt, equity] = await pool.solvency();
    expect(body).toEqual({
      address: await pool.getAddress(),
      quoteToken: await quoteToken.getAddress(),
      tokenBalanceUsd: tokenBalanceUsd.toString(),
      totalPositiveCash: totalPositiveCash.toString(),
      totalDebt: totalDebt.toString(),
      equity: equity.toString(),
      solvent: true,
      blockNumber: await net.hubSide.provider.getBlockNumber(),
    });
    expect([body.tokenBalanceUsd, body.totalPositiveCash, body.equity]).toEqual([
      parseEther('100005').toString(),
      parseEther('105').toString(),
      parseEther('99900').toString(),
    ]);
    const chains = (await request(agg.http).get('/v1/chains').expect(200)).body;
    expect(chains.chains[0].contracts.settlementPool).toBe(await pool.getAddress());
  });

  it('reconciles with the vault and the hub, reports in-flight attestations and never overwrites a difference', async () => {
    let report = await agg.reconciliation.reconcile();
    expect(report.differences).toEqual([]);
    expect(report.checked).toBe(2);

    await (await net.vault.connect(net.bob).deposit(WETH, parseEther('3'), net.bob.address, { value: await net.vault.quote(MSG_ATTEST) })).wait();
    await sync();
    report = await agg.reconciliation.reconcile();
    expect(report.differences).toEqual([]);
    expect(report.inFlight).toEqual([{ eid: VAULT_EID, account: net.bob.address, assetId: WETH, hubSequence: 0n, vaultSequence: 4n }]);

    // Corrupt one ledger row behind the indexer's back: reported (API + metric), left as is.
    const ds = agg.app.get<DataSource>(getDataSourceToken());
    await ds.createQueryBuilder().update(CollateralEntity).set({ balance: 1n }).where({ account: net.alice.address, assetId: USDC }).execute();
    await agg.reconciliation.reconcile();
    const body = (await request(agg.http).get('/v1/reconciliation').expect(200)).body;
    expect(body.report.ok).toBe(false);
    expect(body.report.differences).toEqual([
      expect.objectContaining({
        source: 'hub',
        eid: VAULT_EID,
        account: net.alice.address,
        assetId: USDC,
        ledger: '1',
        onChain: '4000000000',
        difference: '3999999999',
      }),
    ]);
    const metrics = (await request(agg.http).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(new RegExp(`tributary_aggregator_reconciliation_differences\\{eid="${VAULT_EID}",source="hub"\\} 1`));
    expect((await agg.ledger.collateralOf(net.alice.address))[0].balance).toBe(1n);
    // Repair for the following tests: a rebuild from the event log restores the row.
    await agg.store.rebuildFromEventLog();
    expect((await agg.reconciliation.reconcile()).differences).toEqual([]);
  });

  it('a ledger replayed from the chains (other range size) and one rebuilt from the event log equal the live one', async () => {
    await net.settle();
    await sync();
    const live = await agg.ledger.snapshot();
    expect(live.accounts).toHaveLength(2);
    // This replay runs the service's own polling loop and scheduled reconciliation (as in production), with small
    // block ranges.
    const replay = await startAggregator({
      MANIFEST_PATH: net.manifestPath,
      INDEXER_MAX_BLOCK_RANGE: '7',
      INDEXER_POLL_MS: '50',
      RECONCILE_INTERVAL_MS: '200',
    });
    try {
      const deadline = Date.now() + 30_000;
      while (
        JSON.stringify((await replay.ledger.cursors()).map((c) => c.nextBlock)) !==
        JSON.stringify((await agg.ledger.cursors()).map((c) => c.nextBlock))
      ) {
        if (Date.now() > deadline) throw new Error('the polling indexer did not catch up');
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await replay.ledger.snapshot()).toEqual(live);
      const started = Date.now();
      while (!replay.reconciliation.lastReport()?.checked) {
        if (Date.now() - started > 10_000) throw new Error('no scheduled reconciliation ran');
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(replay.reconciliation.lastReport()?.differences).toEqual([]);
    } finally {
      await replay.close();
    }
    await agg.store.rebuildFromEventLog();
    expect(await agg.ledger.snapshot()).toEqual(live);
  });

  it('rolls back a reorg of the trading chain and follows the new chain', async () => {
    const hp = net.hubSide.provider;
    const before = await agg.ledger.snapshot();
    const snapshotId: string = await hp.send('evm_snapshot', []);
    await (await net.vault.connect(net.bob).deposit(WETH, parseEther('4'), net.bob.address, { value: await net.vault.quote(MSG_ATTEST) })).wait();
    await net.toHub();
    await (await pushCredit(net.creditManager.connect(net.pusher), 2, [packCreditEntry(net.bob.address, parseEther('5000'))])).wait();
    await sync();
    const bobRow = async () => (await agg.ledger.collateralOf(net.bob.address)).find((r) => r.assetId === WETH)!;
    expect((await bobRow()).balance).toBe(parseEther('7'));
    expect((await agg.ledger.creditOf(net.bob.address))?.epoch).toBe(2n);

    // The trading chain reorganizes: the delivery and the push never happened; other blocks are mined.
    await hp.send('evm_revert', [snapshotId]);
    await net.mine(hp, 5);
    const results = await agg.indexer.syncAll();
    // Orphaned: the attestation, and the push's AccountIndexed, CreditBatchPushed and Bob's entry derived from its calldata.
    expect(results).toContainEqual({ kind: 'reorg', forkBlock: expect.any(Number), orphaned: 4, rebuiltAccounts: 1 });
    expect((await bobRow()).balance).toBe(parseEther('3'));
    expect((await bobRow()).vaultBalance).toBe(parseEther('7'));
    expect(await agg.ledger.creditOf(net.bob.address)).toBeNull();
    const afterReorg = await agg.ledger.snapshot();
    expect(afterReorg.credit).toEqual(before.credit);

    // The pending packet is delivered again on the new chain; the ledger follows and matches a fresh replay.
    await net.toHub();
    await sync();
    expect((await bobRow()).balance).toBe(parseEther('7'));
    const replay = await startAggregator({ MANIFEST_PATH: net.manifestPath });
    try {
      await replay.indexer.syncAll();
      expect(await replay.ledger.snapshot()).toEqual(await agg.ledger.snapshot());
    } finally {
      await replay.close();
    }
    expect((await agg.reconciliation.reconcile()).differences).toEqual([]);
  });
});
