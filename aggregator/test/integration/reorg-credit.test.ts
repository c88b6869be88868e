import { Transaction, parseUnits } from 'ethers';
import { MSG_ATTEST } from '@tributary/contracts';
import { CreditPusherService, targetLimit, type PushOutcome } from '../../src/credit/credit-pusher.service';
import { OracleService } from '../../src/oracle/oracle.service';
import { RiskService } from '../../src/risk/risk.service';
import { startAggregator, type Aggregator } from '../support/aggregator';
import { USDC, startDevnet, type Devnet } from '../support/devnet';

/**
 * The trading chain indexed at its latest block (confirmations 0) over real hardhat nodes: a deposit delivered
 * to the hub is credited from the head block; then the hub chain reorganizes (evm_snapshot / evm_revert, a
 * different history mined) and the ledger, the live risk book and the credit on chain follow the new chain.
 */
describe('reorg of the trading chain: ledger, risk book and pushed credit follow the canonical chain', () => {
  let net: Devnet;
  let agg: Aggregator;
  let risk: RiskService;
  let pusher: CreditPusherService;

  beforeAll(async () => {
    const base = process.env.DATABASE_URL ? 18746 : 18744;
    net = await startDevnet({ hub: base, vault: base + 1 });
    agg = await startAggregator({
      MANIFEST_PATH: net.manifestPath,
      AGGREGATOR_PUSHER_PRIVATE_KEY: net.pusher.privateKey,
      ORACLE_POLL_MS: '0',
      RISK_TICK_MS: '0',
      RISK_SNAPSHOT_INTERVAL_MS: '0',
      CREDIT_PUSH_INTERVAL_MS: '0',
      CREDIT_TX_POLL_MS: '20',
      LIQUIDATION_INTERVAL_MS: '0',
      WITHDRAWAL_DECIDER_INTERVAL_MS: '0',
      STABLE_FEED_POKE_MS: '0',
    });
    risk = agg.app.get(RiskService);
    pusher = agg.app.get(CreditPusherService);
  }, 120_000);

  afterAll(async () => {
    await agg?.close();
    await net?.stop();
  });

  const hub = () => net.hubSide.provider;
  const bob = () => net.bob.address;
  const hubBalance = async () => (await agg.ledger.collateralOf(bob())).find((r) => r.assetId === USDC)?.balance ?? 0n;
  const onChainLimit = async () => (await net.creditManager.account(bob())).limit;
  const target = () => targetLimit(risk.get(bob())!);

  /** What the aggregator does on a new head: index it, read prices, re-derive risk, push. */
  async function react(): Promise<{ indexed: Awaited<ReturnType<Aggregator['indexer']['syncAll']>>; push: PushOutcome }> {
    const indexed = await agg.indexer.syncAll();
    await agg.app.get(OracleService).poll();
    await risk.refresh();
    return { indexed, push: await pusher.pushNow() };
  }

  async function deposit(usdc: string): Promise<void> {
    await (await net.vault.connect(net.bob).deposit(USDC, parseUnits(usdc, 6), bob(), { value: await net.vault.quote(MSG_ATTEST) })).wait();
    await net.mine(net.vaultSide.provider); // the collateral chain's one confirmation before the DVN attests
  }

  it('credits a delivery from the head block, then converges after the delivery is reorged out and delivered again', async () => {
    await deposit('1000');
    await net.toHub();
    expect((await react()).push).toMatchObject({ kind: 'pushed' });
    const limitBefore = await onChainLimit();
    const resultBefore = risk.get(bob())!.result;
    expect(limitBefore).toBeGreaterThan(0n);
    expect(limitBefore).toBe(target());
    // Block N delivers a second deposit; the aggregator reads block N itself (no confirmation) and pushes.
    const forkPoint = await hub().getBlockNumber();
    const snapshot: string = await hub().send('evm_snapshot', []);
    await deposit('2000');
    await net.toHub();
    const deliveryBlock = await hub().getBlockNumber();
    const { push } = await react();
    expect(push).toMatchObject({ kind: 'pushed' });
    const pushed = push as Extract<PushOutcome, { kind: 'pushed' }>;
    const pushTx = (await hub().getTransaction(pushed.txHash))!;
    expect(pushTx.blockNumber).toBe(deliveryBlock + 1);
    expect(await hubBalance()).toBe(parseUnits('3000', 6));
    const limitAfterDeposit = await onChainLimit();
    const resultAfterDeposit = risk.get(bob())!.result;
    expect(limitAfterDeposit).toBeGreaterThan(limitBefore);

    // Reorg: the delivery and the push are gone. A node puts an orphaned transaction back into its pool, so the
    // push (signed from the reorged-out state) is mined again on the new branch: the chain now holds a limit the
    // canonical ledger does not back.
    await hub().send('evm_revert', [snapshot]);
    await hub().send('eth_sendRawTransaction', [Transaction.from(pushTx).serialized]);
    await net.mine(hub(), 3);
    expect(await onChainLimit()).toBe(limitAfterDeposit);

    const afterReorg = await react();
    expect(afterReorg.indexed).toContainEqual(expect.objectContaining({ kind: 'reorg', forkBlock: forkPoint }));
    expect(await hubBalance()).toBe(parseUnits('1000', 6)); // ledger back at the fork point
    expect(risk.get(bob())!.result.creditLimit).toBeCloseTo(resultBefore.creditLimit, 6); // the book too
    // The next push corrects the limit the orphaned push left on chain.
    const corrected = target();
    expect(corrected).toBeLessThan(limitAfterDeposit);
    expect(afterReorg.push).toMatchObject({ kind: 'pushed', entries: [expect.objectContaining({ account: bob().toLowerCase(), limit: corrected })] });
    expect(await onChainLimit()).toBe(corrected);
    await agg.indexer.syncAll();
    expect((await agg.ledger.creditOf(bob()))?.limit).toBe(corrected);

    // A different history: the packet (still pending on the new branch) is delivered in another block.
    await net.toHub();
    expect((await react()).push).toMatchObject({ kind: 'pushed' });
    expect(await hubBalance()).toBe(parseUnits('3000', 6));
    expect(risk.get(bob())!.result.creditLimit).toBeCloseTo(resultAfterDeposit.creditLimit, 6);
    expect(await onChainLimit()).toBe(target());

    // Everything derived equals a fresh replay of the canonical chains (the last push indexed first).
    await agg.indexer.syncAll();
    const replay = await startAggregator({ MANIFEST_PATH: net.manifestPath });
    try {
      await replay.indexer.syncAll();
      expect(await replay.ledger.snapshot()).toEqual(await agg.ledger.snapshot());
    } finally {
      await replay.close();
    }
  });

  it('a push sent from a state that is then reorged out, and not mined again, is simply redone from the canonical state', async () => {
    const snapshot: string = await hub().send('evm_snapshot', []);
    const limitBefore = await onChainLimit();
    await deposit('500');
    await net.toHub();
    expect((await react()).push).toMatchObject({ kind: 'pushed' });
    expect(await onChainLimit()).toBeGreaterThan(limitBefore);

    await hub().send('evm_revert', [snapshot]); // delivery and push gone, nothing mined again
    await net.mine(hub(), 2);
    const { indexed, push } = await react();
    expect(indexed).toContainEqual(expect.objectContaining({ kind: 'reorg' }));
    expect(await onChainLimit()).toBe(limitBefore);
    // Nothing to correct: the pusher re-read the chain and the book is back where the chain is.
    expect(push).toEqual({ kind: 'idle' });
    expect(target()).toBe(limitBefore);
  });
});
