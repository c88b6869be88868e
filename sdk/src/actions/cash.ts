import { getAddress, type TransactionReceipt } from 'ethers';
import { ensureAllowance, read, transact, waitStage, type TraderContext } from '../chain/context';
import { TributaryError } from '../core/errors';
import { Operation, type StageListener, type StageRecorder } from '../core/operation';
import { explainError } from '../chain/revert';
import { formatAmount, parseAmount, usd } from '../core/units';

export interface CashResult {
  account: string;
  txHash: string;
  /** Quote tokens moved (human units) and the account's cash after it (USD, signed). */
  amount: string;
  token: string;
  cashAfter: number;
}

/**
 * Withdraws positive cash as the quote token (`SettlementPool.withdrawCash`), `amount` in USD (whole token units).
 * Checked first against `withdrawableCash`; a refusal names the check that failed (`insufficient-cash`,
 * `insufficient-credit`, `credit-stale`, `account-liquidatable`, `pool-liquidity`). Stages: sent → confirmed (cash
 * after) → indexed (the ledger's cash, where the aggregator has it).
 */
export function withdrawCash(ctx: TraderContext, params: { amount: string }, listener?: StageListener): Operation<CashResult> {
  return new Operation(
    'withdraw-cash',
    async (recorder) => {
      const d = ctx.deployment;
      const pool = d.settlementPool(ctx.signer(d.trading));
      const quote = await read('reading the quote token', () => d.quoteToken());
      const tokens = parseAmount(params.amount, quote.decimals);
      const usdAmount = tokens * 10n ** BigInt(18 - quote.decimals);
      const [withdrawable, cash] = await read('reading cash', () => Promise.all([pool.withdrawableCash(ctx.address), pool.cashOf(ctx.address)]));
      if (usdAmount > withdrawable) {
        // The pool's own checks name the reason; a plain shortfall of cash says how much there is.
        try {
          await pool.withdrawCash.staticCall(usdAmount);
        } catch (error) {
          throw explainError(error, `withdraw ${params.amount} USD of cash`);
        }
        throw new TributaryError(
          'insufficient-cash',
          `${ctx.address} may withdraw ${formatAmount(withdrawable, 18)} USD of cash now (cash ${usd(cash).toFixed(2)} USD); asked ${params.amount}`,
          { withdrawable: withdrawable.toString(), cash: cash.toString() },
        );
      }
      const receipt = await transact(recorder, `withdraw ${params.amount} USD of cash`, d.trading, () => pool.withdrawCash(usdAmount));
      return settled(ctx, recorder, receipt, params.amount, quote.symbol);
    },
    listener,
  );
}

/** Pays quote tokens (USDC on the trading chain) into the pool for `account` (default the trader): cash rises. */
export function repay(ctx: TraderContext, params: { amount: string; account?: string }, listener?: StageListener): Operation<CashResult> {
  return new Operation(
    'repay',
    async (recorder) => {
      const d = ctx.deployment;
      const signer = ctx.signer(d.trading);
      const pool = d.settlementPool(signer);
      const account = getAddress(params.account ?? ctx.address);
      const quote = await read('reading the quote token', () => d.quoteToken(signer));
      const tokens = parseAmount(params.amount, quote.decimals);
      const held = await read('reading the quote token balance', () => quote.contract.balanceOf(ctx.address));
      if (held < tokens)
        throw new TributaryError(
          'insufficient-balance',
          `${ctx.address} holds ${formatAmount(held, quote.decimals)} ${quote.symbol} on ${d.trading.name}; the repayment needs ${params.amount}`,
        );
      await ensureAllowance(
        recorder,
        quote.contract,
        ctx.address,
        d.trading.contracts.settlementPool!,
        tokens,
        `repay ${params.amount} ${quote.symbol}`,
      );
      const receipt = await transact(recorder, `repay ${params.amount} ${quote.symbol}`, d.trading, () => pool.repay(account, tokens));
      return settled(ctx, recorder, receipt, params.amount, quote.symbol, account);
    },
    listener,
  );
}

/** `confirmed` with the cash after the change, then `indexed` once the ledger shows that cash (skipped where it has none). */
async function settled(
  ctx: TraderContext,
  recorder: StageRecorder,
  receipt: TransactionReceipt,
  amount: string,
  token: string,
  account = ctx.address,
): Promise<CashResult> {
  const pool = ctx.deployment.settlementPool();
  const change = receipt.logs.map((log) => pool.interface.parseLog(log)).find((parsed) => parsed?.name === 'CashChanged');
  if (!change) throw new TributaryError('reverted', `${receipt.hash}: no CashChanged event`);
  const cashAfter = change.args.cashAfter as bigint;
  recorder.stage('confirmed', { block: receipt.blockNumber, cashAfter: usd(cashAfter) });

  const first = await ctx.api.account(account);
  if (first && first.cash === undefined) {
    recorder.stage('indexed', {}, 'the aggregator has no cash field yet');
  } else {
    await waitStage(
      ctx,
      'indexed',
      `the aggregator's ledger to show cash ${usd(cashAfter)}`,
      async () => {
        const ledger = await ctx.api.account(account);
        return ledger?.cash !== undefined && BigInt(ledger.cash) === cashAfter ? true : undefined;
      },
      'is the aggregator indexing the settlement pool?',
    );
    recorder.stage('indexed', { cash: usd(cashAfter) });
  }
  return { account, txHash: receipt.hash, amount, token, cashAfter: usd(cashAfter) };
}
