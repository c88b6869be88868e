import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUnits } from 'ethers';
import { devWallet } from '@tributary/contracts';
import { startDevnet, type Devnet } from '@tributary/deploy';
import { TributaryClient } from '@tributary/sdk';
import { Deployment, getJson, waitFor } from '../support/harness';

// Money adds up, on the devnet's processes and chains: a winner takes a gain out of the settlement pool as USDC; a
// loser's loss is a debt that blocks the withdrawal of the collateral backing it until it is repaid. Traders act through
// the SDK; the checks read the chains directly (harness) and the aggregator's API.
const PORTS = { chain: 19840, aggregator: 19850, relayer: 19851 };
const WINNER = 12;
const LOSER = 13;
const E18 = 10n ** 18n;

interface MoneyAccountView {
  cash: string;
  collateral: { eid: number; symbol: string | null; balance: string }[];
  positions: { marketId: number; size: string }[];
  withdrawals: { eid: number; requestId: string; status: string; reason: number; reasonName: string | null }[];
}

interface PoolView {
  tokenBalanceUsd: string;
  totalPositiveCash: string;
  totalDebt: string;
  equity: string;
  solvent: boolean;
}

describe('money end to end: cash, settlement pool and two-key withdrawals on the devnet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-money-'));
  let devnet: Devnet;
  let d: Deployment;
  const clients: TributaryClient[] = [];

  beforeAll(async () => {
    devnet = await startDevnet({
      dir,
      chainPort: PORTS.chain,
      aggregatorPort: PORTS.aggregator,
      relayerPort: PORTS.relayer,
      blockTimeMs: 1000,
      simulatePrices: false,
      log: () => undefined,
    });
    d = new Deployment(devnet.manifest);
  }, 180_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    d?.close();
    await devnet?.stop();
  });

  const api = <T>(path: string) => getJson<T>(`${devnet.urls.aggregator}${path}`);
  const cashOf = (account: string) => d.pool().cashOf(account);

  function trader(index: number): TributaryClient {
    const client = new TributaryClient({
      manifest: devnet.manifestPath,
      aggregatorUrl: devnet.urls.aggregator,
      privateKey: devWallet(index).privateKey,
    });
    clients.push(client);
    return client;
  }

  /** Deposits USDC on collateral-a through the SDK, which follows it until the trading chain grants the credit. */
  async function fund(index: number, usdc: string): Promise<{ address: string; client: TributaryClient }> {
    const client = trader(index);
    await client.deposit({ chain: 'collateral-a', asset: 'USDC', amount: usdc });
    expect(await d.creditManager().availableCredit(client.address)).toBeGreaterThan(0n);
    return { address: client.address, client };
  }

  /** The ledger shows the chain's cash for the account (indexed from CashChanged). */
  async function ledgerCashMatches(address: string): Promise<void> {
    const onChain = await cashOf(address);
    await waitFor('the ledger cash to equal the pool', async () =>
      BigInt((await api<MoneyAccountView>(`/v1/accounts/${address}`)).cash) === onChain ? true : undefined,
    );
  }

  async function poolTokens(): Promise<bigint> {
    return d.quoteToken().balanceOf(d.trading.contracts.settlementPool!);
  }

  it('a winner closes at a gain and withdraws it as USDC from the settlement pool', async () => {
    const { address, client } = await fund(WINNER, '20000');
    const opened = await client.trade({ asset: 'WBTC', size: '0.5' });
    expect(opened.fee).toBe(15);
    expect(await cashOf(address)).toBe(-15n * E18); // taker fee 0.05 % of 30,000

    await d.setPrice('WBTC', 66_000);
    await waitFor('the aggregator to take the new WBTC price', async () => {
      const risk = await api<{ result: { unrealizedPnl: number } }>(`/v1/accounts/${address}/risk`);
      return risk.result.unrealizedPnl === 3000 ? true : undefined;
    });
    const closed = await client.closePosition({ asset: 'WBTC' });
    expect(closed).toMatchObject({ size: '0', realizedPnl: 3000, fee: 16.5 });
    // +3,000 realized, −15 and −16.5 of fees
    expect(await cashOf(address)).toBe((29_685n * E18) / 10n);
    await ledgerCashMatches(address);

    const usdc = d.quoteToken();
    const [walletBefore, poolBefore] = [await usdc.balanceOf(address), await poolTokens()];
    const solvencyBefore = await d.pool().solvency();
    const paid = await client.withdrawCash({ amount: '2968' });
    expect(paid.cashAfter).toBe(0.5);
    expect((await usdc.balanceOf(address)) - walletBefore).toBe(parseUnits('2968', 6));
    expect(poolBefore - (await poolTokens())).toBe(parseUnits('2968', 6));
    expect(await cashOf(address)).toBe(E18 / 2n);
    // Paying a claim leaves the pool's equity where it was: tokens and positive cash fall by the same amount.
    const solvencyAfter = await d.pool().solvency();
    expect(solvencyAfter.equity).toBe(solvencyBefore.equity);
    expect(solvencyAfter.equity).toBeGreaterThanOrEqual(0n);

    await ledgerCashMatches(address);
    const history = await api<{ items: { reasonName: string; delta: string }[] }>(`/v1/accounts/${address}/cash-history`);
    expect(history.items.map((h) => h.reasonName).sort()).toEqual(['RealizedPnl', 'TradingFee', 'TradingFee', 'Withdrawal']);
    expect(history.items.reduce((sum, h) => sum + BigInt(h.delta), 0n)).toBe(await cashOf(address));
  });

  it('a loser who closed at a loss cannot withdraw the collateral backing the debt: rejected, nothing lost, the debt visible', async () => {
    const { address, client } = await fund(LOSER, '5000');
    await client.trade({ asset: 'WBTC', size: '0.5' }); // at 66,000: fee 16.5
    // −1,500 on the position: health stays above 1 (no liquidation: that is test/e2e/liquidation.test.ts), and the
    // loser closes it: the loss is realized into cash, a debt backed by the 5,000 USDC.
    await d.setPrice('WBTC', 63_000);
    await waitFor('the aggregator to take the new WBTC price', async () => {
      const risk = await api<{ result: { unrealizedPnl: number } }>(`/v1/accounts/${address}/risk`);
      return risk.result.unrealizedPnl === -1500 ? true : undefined;
    });
    await client.closePosition({ asset: 'WBTC' });
    const debt = -(await cashOf(address));
    expect(debt).toBe((153_225n * E18) / 100n); // 1,500 + 16.5 + 15.75 of fees
    await ledgerCashMatches(address);
    const pool = await api<PoolView>('/v1/pool');
    expect(BigInt(pool.totalDebt)).toBeGreaterThanOrEqual(debt);
    expect(pool.solvent).toBe(true);
    expect(await d.creditManager().isLiquidatable(address)).toBe(false);

    const a = d.chain('collateral-a');
    const vault = d.vault(a, d.wallet(LOSER, a));
    const rejection = await client.withdraw({ chain: 'collateral-a', asset: 'USDC', amount: '5000' }).result.then(
      () => null,
      (e: unknown) => e as { code: string; reasonName: string; requestId: bigint },
    );
    expect(rejection).toMatchObject({ code: 'withdrawal-rejected', reasonName: 'InsufficientCredit' });
    const requestId = rejection!.requestId;
    const balance = await vault.balanceOf(address, d.assetId('USDC'));
    expect(balance.free).toBe(parseUnits('5000', 6));
    expect(balance.locked).toBe(0n);
    const row = await waitFor('the ledger to show the rejection with its reason', async () => {
      const view = await api<MoneyAccountView>(`/v1/accounts/${address}`);
      const w = view.withdrawals.find((x) => x.eid === a.eid && x.requestId === requestId.toString());
      return w?.status === 'rejected' ? w : undefined;
    });
    expect(row.reasonName).toBe('InsufficientCredit');
    const view = await api<{ withdrawable: { eid: number; symbol: string; amount: string; limitedBy: string }[] | null }>(`/v1/accounts/${address}`);
    const offered = view.withdrawable?.find((w) => w.eid === a.eid && w.symbol === 'USDC');
    expect(BigInt(offered!.amount)).toBeLessThan(parseUnits('5000', 6)); // the debt holds part of the USDC back
  });

  it('repaying the debt with USDC on the trading chain makes the same withdrawal approvable, and it is paid', async () => {
    const a = d.chain('collateral-a');
    const client = clients.find((c) => c.address === devWallet(LOSER).address)!;
    const address = client.address;
    const poolBefore = await poolTokens();
    const repaid = await client.repay({ amount: '1600' });
    expect(repaid.cashAfter).toBe(67.75);
    expect(poolBefore + parseUnits('1600', 6)).toBe(await poolTokens());
    expect(await cashOf(address)).toBe((6_775n * E18) / 100n);
    await ledgerCashMatches(address);

    // The account view offers the whole 5,000 USDC: the decider's L′ ≥ F^init holds (no position), the hub's credit
    // (≈ 4,823 USD at 0.95 per USDC) covers more than the balance.
    const offer = await waitFor('the account view to offer the withdrawal', async () => {
      const view = await api<{ withdrawable: { eid: number; symbol: string; amount: string; limitedBy: string }[] | null }>(
        `/v1/accounts/${address}`,
      );
      const usdcRow = view.withdrawable?.find((w) => w.eid === a.eid && w.symbol === 'USDC');
      return usdcRow && usdcRow.amount !== '0' ? usdcRow : undefined;
    });
    expect(offer).toMatchObject({ amount: parseUnits('5000', 6).toString(), limitedBy: 'balance' });

    expect(await client.maxWithdrawable({ chain: 'collateral-a', asset: 'USDC' })).toMatchObject({ amount: '5000' });

    const { contract: usdc } = d.token(a, 'USDC', d.wallet(LOSER, a));
    const walletBefore = await usdc.balanceOf(address);
    const paid = await client.withdraw({ chain: 'collateral-a', asset: 'USDC', amount: '5000' });
    expect(paid.queued).toBe(false);
    expect((await usdc.balanceOf(address)) - walletBefore).toBe(parseUnits('5000', 6));
    await waitFor('the hub to hold the post-withdrawal attestation', async () =>
      (await d.hub().attestation(address, a.eid, d.assetId('USDC'))).balance === 0n ? true : undefined,
    );
    const pool = await api<PoolView>('/v1/pool');
    expect(pool.solvent).toBe(true);
  });
});
