import { formatEther, type EventLog, type Log } from 'ethers';
import { rejectReasonName } from '@tributary/protocol';
import { read, transact, waitStage, type TraderContext } from '../chain/context';
import { TributaryError, WithdrawalRejectedError } from '../core/errors';
import { Operation, type StageListener } from '../core/operation';
import { formatAmount, parseAmount, usd } from '../core/units';

export interface WithdrawParams {
  chain: string;
  asset: string;
  amount: string;
}

export interface WithdrawResult {
  account: string;
  chain: string;
  asset: string;
  amount: string;
  requestId: string;
  txHash: string;
  /** Paid now, or queued by the vault (outflow rate limit, or the token refused it): claim it later with `vault.claim`. */
  queued: boolean;
}

/** CollateralVault.RequestStatus. */
const Released = 2n;
const Rejected = 3n;

const asEvents = (logs: (Log | EventLog)[]) => logs.filter((l): l is EventLog => 'args' in l);

/**
 * Withdrawal (two keys: the hub reserves, the aggregator's decider approves): checks (listed, not paused, free balance,
 * native fee), `vault.requestWithdraw` paying `vault.quoteWithdraw()` (the request, the hub's decision and the release
 * attestation: the whole round trip), then sent → confirmed (request id) →
 * delivered (the hub reserved it, or rejected it on arrival) → indexed (the ledger shows it) → decided (approved, or
 * rejected with its reason) → paid (the vault released it). A rejection ends with `unlocked` (the amount is free again)
 * and a `WithdrawalRejectedError` naming the reason.
 */
export function withdraw(ctx: TraderContext, params: WithdrawParams, listener?: StageListener): Operation<WithdrawResult> {
  return new Operation(
    'withdraw',
    async (recorder) => {
      const d = ctx.deployment;
      const chain = d.collateralChain(params.chain);
      const asset = d.chainAsset(chain, params.asset);
      const amount = parseAmount(params.amount, asset.decimals);
      const signer = ctx.signer(chain);
      const vault = d.vault(chain, signer);
      const hub = d.hub();
      const human = `${params.amount} ${asset.symbol}`;

      const [config, paused, balance, fee, native, fromBlock, sourceBlock] = await read(`withdraw on ${chain.name}`, () =>
        Promise.all([
          vault.assetConfig(asset.assetId),
          vault.paused(),
          vault.balanceOf(ctx.address, asset.assetId),
          vault.quoteWithdraw(),
          d.provider(chain).getBalance(ctx.address),
          d.provider(d.trading).getBlockNumber(),
          d.provider(chain).getBlockNumber(),
        ]),
      );
      if (!config.listed) throw new TributaryError('unlisted-asset', `${asset.symbol} is not listed by the vault on ${chain.name}`);
      if (paused) throw new TributaryError('vault-paused', `the vault on ${chain.name} is paused: withdrawals resume when its guardian unpauses it`);
      if (balance.free < amount)
        throw new TributaryError(
          'insufficient-balance',
          `${ctx.address} has ${formatAmount(balance.free, asset.decimals)} ${asset.symbol} free in the vault on ${chain.name}` +
            `${balance.locked ? ` (${formatAmount(balance.locked, asset.decimals)} locked by pending withdrawals)` : ''}; the withdrawal needs ${params.amount}`,
          { free: balance.free.toString(), locked: balance.locked.toString(), needed: amount.toString() },
        );
      if (native < fee)
        throw new TributaryError(
          'insufficient-native',
          `the LayerZero fee is ${formatEther(fee)} native on ${chain.name}; ${ctx.address} holds ${formatEther(native)}`,
        );

      const receipt = await transact(
        recorder,
        `withdraw ${human} from ${chain.name}`,
        chain,
        () => vault.requestWithdraw(asset.assetId, amount, { value: fee }),
        {
          fee: formatEther(fee),
        },
      );
      const requested = receipt.logs.map((log) => vault.interface.parseLog(log)).find((parsed) => parsed?.name === 'WithdrawalRequested');
      if (!requested) throw new TributaryError('reverted', `withdrawal ${receipt.hash}: no WithdrawalRequested event`);
      const requestId = requested.args.requestId as bigint;
      recorder.stage('confirmed', { block: receipt.blockNumber, requestId: requestId.toString() });

      const hubEvents = async () => {
        const [pending, decided] = await Promise.all([
          hub.queryFilter(hub.filters.WithdrawalPending(chain.eid, requestId), fromBlock),
          hub.queryFilter(hub.filters.WithdrawalDecided(chain.eid, requestId), fromBlock),
        ]);
        return { pending: asEvents(pending)[0], decided: asEvents(decided)[0] };
      };
      const arrival = await waitStage(
        ctx,
        'delivered',
        `the hub to receive withdrawal request ${requestId}`,
        async () => {
          const events = await hubEvents();
          return events.pending || events.decided ? events : undefined;
        },
        'is the relayer running?',
      );
      recorder.stage(
        'delivered',
        arrival.pending
          ? {
              reservedUsd: usd(arrival.pending.args.reservedValue as bigint),
              deadline: new Date(Number(arrival.pending.args.deadline) * 1000).toISOString(),
            }
          : { decidedOnArrival: true },
      );

      const row = await waitStage(
        ctx,
        'indexed',
        `the aggregator's ledger to show withdrawal ${requestId}`,
        async () => {
          const ledger = await ctx.api.account(ctx.address);
          return ledger?.withdrawals.find((w) => w.eid === chain.eid && w.requestId === requestId.toString());
        },
        'is the aggregator indexing the trading chain?',
      );
      recorder.stage('indexed', { status: row.status });

      const decided = await waitStage(
        ctx,
        'decided',
        `a decision on withdrawal ${requestId}`,
        async () => (await hubEvents()).decided,
        "no decision yet: is the aggregator's withdrawal decider running? Past the hub's deadline anyone may expireWithdrawal",
      );
      const approved = decided.args.approved as boolean;
      const reason = Number(decided.args.reason);
      recorder.stage('decided', { approved, reason, reasonName: approved ? null : rejectReasonName(reason) });

      const status = await waitStage(
        ctx,
        approved ? 'paid' : 'unlocked',
        `the vault on ${chain.name} to ${approved ? 'release' : 'unlock'} withdrawal ${requestId}`,
        async () => {
          const request = await vault.withdrawalRequest(requestId);
          return request.status === Released || request.status === Rejected ? request.status : undefined;
        },
        'is the relayer delivering hub → vault messages?',
      );
      if (status === Rejected) {
        recorder.stage('unlocked', { reasonName: rejectReasonName(reason) });
        throw new WithdrawalRejectedError(requestId, reason, rejectReasonName(reason));
      }
      const released = asEvents(await vault.queryFilter(vault.filters.WithdrawalReleased(requestId), sourceBlock)).at(-1);
      const queued = released
        ? asEvents(await vault.queryFilter(vault.filters.PayoutQueued(ctx.address, asset.assetId), released.blockNumber, released.blockNumber))
            .length > 0
        : false;
      recorder.stage('paid', { amount: formatAmount(amount, asset.decimals), queued, txHash: released?.transactionHash ?? null });
      return {
        account: ctx.address,
        chain: chain.name,
        asset: asset.symbol,
        amount: params.amount,
        requestId: requestId.toString(),
        txHash: receipt.hash,
        queued,
      };
    },
    listener,
  );
}
