import { messageOf, type SignedTx, type TxRequest } from '@tributary/service-kit';
import {
  decide,
  newRun,
  withFailure,
  withIntent,
  type KeeperAction,
  type KeeperObservation,
  type KeeperRun,
  type KeeperStep,
} from './keeper-decision';
import { journalOf, type ChainObservation, type KeeperChain, type KeeperRiskView } from './keeper-ports';
import type { LiquidationRunStore } from './liquidation-run.repository';

/** What the keeper reports to its owner (metrics, logs). */
export interface KeeperEvents {
  step?(run: KeeperRun, step: KeeperStep, result: 'sent' | 'failed', detail: string): void;
  landed?(before: KeeperRun, after: KeeperRun): void;
}

/** Actions of one account in one round at most (a landed step is followed at once by the next one). */
const MAX_ACTIONS_PER_ROUND = 4;
const WAD = 10n ** 18n;

/** A plan fraction (a tenth) as the 1e18 fixed point the contract takes. */
export const fractionWad = (fraction: number): bigint => (BigInt(Math.round(fraction * 10)) * WAD) / 10n;

/** The canonical position fingerprint: market:size pairs of the non-zero positions, by market. */
export function positionsKey(o: Pick<ChainObservation, 'positions'>): string {
  return o.positions
    .filter((p) => p.size !== 0n)
    .sort((a, b) => a.marketId - b.marketId)
    .map((p) => `${p.marketId}:${p.size}`)
    .join(',');
}

/**
 * The liquidation keeper without the framework: each round reads the runs from the store, starts a run for
 * every account the risk engine sees with health < 1 and no run in progress, and drives every unfinished run
 * one decision at a time (`decide`), persisting before acting. A crash at any point leaves a row from which the
 * next round — in this process or another replica that became leader — continues without repeating a step.
 */
export class LiquidationKeeper {
  constructor(
    private readonly store: LiquidationRunStore,
    private readonly chain: KeeperChain,
    private readonly risk: KeeperRiskView,
    private readonly now: () => number,
    private readonly backoff: (failures: number) => number,
    private readonly events: KeeperEvents = {},
    /** The rate limit's gate for new runs: the accounts it lets through now, in order (none = all). */
    private readonly admit?: (accounts: string[]) => string[],
  ) {}

  /** One round over every run in progress and every newly liquidatable account. */
  async round(shouldStop: () => boolean = () => false): Promise<void> {
    const latest = new Map((await this.store.latest()).map((r) => [r.account, r]));
    const open = [...latest.values()].filter((r) => r.stage !== 'done').map((r) => r.account);
    const openSet = new Set(open);
    const fresh = this.risk
      .liquidatable()
      .map((a) => a.toLowerCase())
      .filter((a) => !openSet.has(a));
    // Runs in progress always continue; new ones only as far as the book-wide rate limit admits (lowest health first).
    const admitted = this.admit ? this.admit(fresh) : fresh;
    for (const account of [...open.sort(), ...admitted]) {
      if (shouldStop()) return;
      const last = latest.get(account);
      if (last && last.stage !== 'done') await this.drive(last, false, shouldStop);
      else await this.drive(newRun(account, (last?.run ?? 0) + 1, this.now()), true, shouldStop);
    }
  }

  private async drive(start: KeeperRun, isNew: boolean, shouldStop: () => boolean): Promise<void> {
    let run = start;
    const fresh = start.liquidations + start.seizures + start.settlements === 0 && start.intent === null;
    let stored = !isNew;
    for (let i = 0; i < MAX_ACTIONS_PER_ROUND && !shouldStop(); i++) {
      const observed = await this.observe(run.account);
      const decision = decide(run, observed);
      const action: KeeperAction = decision.action;
      if (decision.run.liquidations > run.liquidations || decision.run.seizures > run.seizures || decision.run.settlements > run.settlements)
        this.events.landed?.(run, decision.run);
      // a run that would finish before doing anything was never a liquidation (healthy by the time it was read)
      if (action.kind === 'finish' && fresh && decision.run.liquidations + decision.run.seizures + decision.run.settlements === 0) return;
      run = await this.persistIfChanged(run, decision.run, stored);
      stored = true;
      if (action.kind === 'wait' || action.kind === 'finish') return;
      if (action.kind === 'await-tx') {
        if (action.raw) await this.chain.rebroadcast(action.raw).catch(() => undefined);
        return;
      }
      const sent = await this.act(run, action, observed);
      run = sent.run;
      if (!sent.ok) return;
    }
  }

  private async observe(account: string): Promise<KeeperObservation> {
    const chain = await this.chain.observe(account);
    return {
      now: this.now(),
      liquidatable: this.risk.isLiquidatable(account),
      bookInSync: this.risk.inSync(account, chain),
      marked: chain.marked,
      positionsKey: positionsKey(chain),
      cash: chain.cash,
      badDebt: chain.badDebt,
      activeLiquidation: chain.activeLiquidation,
      seizureCount: chain.seizureCount,
      inFlightDebt: chain.inFlightDebt,
      inFlight: chain.inFlight,
      canSeize: chain.canSeize,
      exhausted: chain.exhausted,
      minedNonce: chain.minedNonce,
    };
  }

  /** Writes the intent, builds (simulates) the transaction, sends it with the nonce journaled, records the result. */
  private async act(
    current: KeeperRun,
    action: Exclude<KeeperAction, { kind: 'wait' | 'await-tx' | 'finish' }>,
    o: KeeperObservation,
  ): Promise<{ run: KeeperRun; ok: boolean }> {
    const step: KeeperStep = action.kind;
    const fraction = step === 'liquidate' ? this.risk.planFraction(current.account) : current.fraction;
    let run = withIntent(current, step, o, fraction);
    await this.store.save(run);
    let request: TxRequest;
    try {
      request = await this.request(run, action);
    } catch (error) {
      return this.failed(run, step, `simulation: ${messageOf(error)}`);
    }
    const journal = journalOf(async (tx: SignedTx) => {
      run = { ...run, intent: { ...run.intent!, nonce: tx.nonce, txHash: tx.hash, raw: tx.raw }, lastTxHash: tx.hash };
      await this.store.save(run);
    });
    try {
      const sent = await this.chain.send(request, journal);
      if (sent.reverted) return this.failed(run, step, `reverted in tx ${sent.hash}`);
      this.events.step?.(run, step, 'sent', sent.hash);
      run = { ...run, lastTxHash: sent.hash, error: null };
      await this.store.save(run);
      return { run, ok: true };
    } catch (error) {
      // unknown whether it went out: the journaled nonce (if any) tells the next round
      if (run.intent?.nonce !== null && run.intent?.nonce !== undefined) {
        run = { ...run, error: messageOf(error) };
        await this.store.save(run);
        return { run, ok: false };
      }
      return this.failed(run, step, messageOf(error));
    }
  }

  private request(run: KeeperRun, action: Exclude<KeeperAction, { kind: 'wait' | 'await-tx' | 'finish' }>): Promise<TxRequest> {
    if (action.kind === 'liquidate') return this.chain.liquidateRequest(run.account, fractionWad(run.fraction ?? 1));
    if (action.kind === 'open') return this.chain.openRequest(run.account);
    if (action.kind === 'seize') return this.chain.seizeRequest(run.account);
    if (action.kind === 'settle') return this.chain.settleRequest(run.account);
    return this.chain.closeRequest(run.account);
  }

  private async failed(run: KeeperRun, step: KeeperStep, error: string): Promise<{ run: KeeperRun; ok: boolean }> {
    const next = withFailure(run, error, this.now(), this.backoff);
    await this.store.save(next);
    this.events.step?.(next, step, 'failed', error);
    return { run: next, ok: false };
  }

  private async persistIfChanged(before: KeeperRun, after: KeeperRun, stored: boolean): Promise<KeeperRun> {
    if (stored && JSON.stringify({ ...before, updatedAt: 0 }) === JSON.stringify({ ...after, updatedAt: 0 })) return before;
    const next = { ...after, updatedAt: this.now() };
    await this.store.save(next);
    return next;
  }
}
