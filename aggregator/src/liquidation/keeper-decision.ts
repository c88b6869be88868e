/**
 * The liquidation keeper's decisions as plain functions (no I/O): one run per account and episode walks
 * `marked → liquidating → seizing → auctioning → settling → done` (docs/liquidation.md). The chain decides
 * amounts (PerpMarket.liquidate takes the plan's fraction; MarginHub.seize picks the riskiest asset and the
 * amount; InsuranceFund.cover pays what it can); the keeper decides which call is due. Every step is guarded by
 * a fingerprint of the on-chain state it changes, written (with the signed transaction's nonce) before the
 * transaction is broadcast: after a crash the keeper reads the chain again and knows whether the step landed
 * (fingerprint moved), is still pending (nonce not mined yet) or failed (nonce mined, fingerprint unchanged) —
 * so no step is ever sent twice.
 */
import type { ChainObservation } from './keeper-ports';

export const KEEPER_STAGES = ['marked', 'liquidating', 'seizing', 'auctioning', 'settling', 'done'] as const;
export type KeeperStage = (typeof KEEPER_STAGES)[number];

/** PerpMarket.liquidate, LiquidationRegistry.openLiquidation, MarginHub.seize, InsuranceFund.cover, LiquidationRegistry.closeLiquidation. */
export type KeeperStep = 'liquidate' | 'open' | 'seize' | 'settle' | 'close';

/** How a finished run ended. */
export type KeeperOutcome = 'restored' | 'repaid' | 'fund-paid' | 'bad-debt';

/** A step written down before its transaction is broadcast. */
export interface KeeperIntent {
  step: KeeperStep;
  /** `fingerprint(step, observed)` when the step was decided: the step landed once it changes. */
  key: string;
  /** Nonce of the signed transaction (null until signed: nothing was broadcast). */
  nonce: number | null;
  txHash: string | null;
  /** The signed transaction (hex), rebroadcast after a restart while its nonce is unmined. */
  raw: string | null;
  at: number;
}

/** The persisted state of one liquidation run (one row of `liquidation_run`). */
export interface KeeperRun {
  account: string;
  /** 1, 2, … per account: a new run starts after the previous one is done and the account is liquidatable again. */
  run: number;
  stage: KeeperStage;
  outcome: KeeperOutcome | null;
  intent: KeeperIntent | null;
  /** Steps that landed. */
  liquidations: number;
  seizures: number;
  settlements: number;
  /** Last plan fraction sent (0.1 … 1.0). */
  fraction: number | null;
  failures: number;
  nextAttemptAt: number;
  error: string | null;
  lastTxHash: string | null;
  /** ms since epoch: run start (risk saw H < 1), first liquidation landed, first seizure landed, run done. */
  startedAt: number;
  liquidatedAt: number | null;
  seizedAt: number | null;
  doneAt: number | null;
  updatedAt: number;
}

/** What the keeper reads from the chain (and the risk book) right before deciding. */
/** What the keeper decides on: the chain's observation (positions as their fingerprint) plus the risk engine's view. */
export interface KeeperObservation extends Omit<ChainObservation, 'positions'> {
  now: number;
  /** Risk engine: health < 1. */
  liquidatable: boolean;
  /** The risk book already reflects the on-chain positions and cash (never decide on a stale book). */
  bookInSync: boolean;
  /** On-chain position sizes, canonical (the liquidate fingerprint); '' when there are none. */
  positionsKey: string;
}

export type KeeperAction =
  | { kind: 'wait'; reason: string }
  | { kind: 'await-tx'; raw: string | null }
  | { kind: 'liquidate' }
  | { kind: 'open' }
  | { kind: 'seize' }
  | { kind: 'settle' }
  | { kind: 'close' }
  | { kind: 'finish' };

export interface KeeperDecision {
  run: KeeperRun;
  action: KeeperAction;
}

export function newRun(account: string, run: number, now: number): KeeperRun {
  return {
    account,
    run,
    stage: 'marked',
    outcome: null,
    intent: null,
    liquidations: 0,
    seizures: 0,
    settlements: 0,
    fraction: null,
    failures: 0,
    nextAttemptAt: 0,
    error: null,
    lastTxHash: null,
    startedAt: now,
    liquidatedAt: null,
    seizedAt: null,
    doneAt: null,
    updatedAt: now,
  };
}

/** The on-chain state a step changes: the step landed once this differs from the value written with its intent. */
export function fingerprint(step: KeeperStep, o: Pick<KeeperObservation, 'positionsKey' | 'seizureCount' | 'cash' | 'activeLiquidation'>): string {
  if (step === 'liquidate') return `positions:${o.positionsKey}`;
  if (step === 'seize') return `seizures:${o.activeLiquidation}:${o.seizureCount}`;
  if (step === 'settle') return `cash:${o.cash}`;
  return `liquidation:${o.activeLiquidation}`; // open, close
}

/** A run records a landed step: counters and first-time timestamps. */
function landed(run: KeeperRun, step: KeeperStep, now: number): KeeperRun {
  const r = { ...run, intent: null, failures: 0, nextAttemptAt: 0, error: null, updatedAt: now };
  if (step === 'liquidate') return { ...r, liquidations: r.liquidations + 1, liquidatedAt: r.liquidatedAt ?? now };
  if (step === 'seize') return { ...r, seizures: r.seizures + 1, seizedAt: r.seizedAt ?? now };
  if (step === 'settle') return { ...r, settlements: r.settlements + 1 };
  return r;
}

function outcomeOf(run: KeeperRun, o: KeeperObservation): KeeperOutcome {
  if (run.settlements > 0) return o.badDebt > 0n ? 'bad-debt' : 'fund-paid';
  return run.seizures > 0 ? 'repaid' : 'restored';
}

/**
 * The next action of a run, given what the chain says now. Pure: the caller persists the returned run before
 * acting (a step's intent is written again with its nonce once signed, through the sender's journal).
 */
export function decide(current: KeeperRun, o: KeeperObservation): KeeperDecision {
  let run = current;
  if (run.stage === 'done') return { run, action: { kind: 'wait', reason: 'done' } };
  const intent = run.intent;
  if (intent) {
    if (fingerprint(intent.step, o) !== intent.key) run = landed(run, intent.step, o.now);
    else if (intent.nonce !== null && o.minedNonce <= intent.nonce) return { run, action: { kind: 'await-tx', raw: intent.raw } };
    else run = { ...run, intent: null }; // never broadcast, or mined without effect (reverted): may be decided again
  }
  if (!o.bookInSync) return { run, action: { kind: 'wait', reason: 'risk book behind the chain' } };
  const wait = (stage: KeeperStage, reason: string): KeeperDecision => ({ run: { ...run, stage }, action: { kind: 'wait', reason } });
  const backedOff = o.now < run.nextAttemptAt;
  const act = (stage: KeeperStage, kind: KeeperStep): KeeperDecision =>
    backedOff ? wait(stage, 'backing off after a failure') : { run: { ...run, stage }, action: { kind } };
  const open = o.activeLiquidation !== 0n;
  if (o.positionsKey !== '') {
    if (!o.liquidatable) {
      // healthy again: the hub's liquidation (opened by liquidate) closes once the pusher cleared the mark
      if (!open || o.inFlight) return finish(run, o);
      return o.marked ? wait('liquidating', 'waiting for the mark to clear') : act('liquidating', 'close');
    }
    if (!o.marked) return wait(run.liquidations ? 'liquidating' : 'marked', 'waiting for the on-chain mark');
    return act('liquidating', 'liquidate');
  }
  if (o.cash >= 0n) {
    if (o.inFlight) return wait('auctioning', 'auctions in flight');
    return open ? act(run.stage, 'close') : finish(run, o);
  }
  if (!open) {
    if (run.settlements > 0) return finish(run, o);
    return o.marked ? act('seizing', 'open') : wait('marked', 'debt without positions: waiting for the on-chain mark');
  }
  if (o.canSeize) return act('seizing', 'seize');
  if (o.inFlight) return wait('auctioning', 'auctions in flight');
  if (o.exhausted) return act('settling', 'settle');
  return wait('seizing', 'debt left but nothing seizable now (no fresh price or no auction on its chain)');
}

function finish(run: KeeperRun, o: KeeperObservation): KeeperDecision {
  return {
    run: { ...run, stage: 'done', outcome: outcomeOf(run, o), doneAt: o.now, updatedAt: o.now, intent: null },
    action: { kind: 'finish' },
  };
}

/** The intent of a step about to be sent (nonce and raw transaction filled in by the journal once signed). */
export function withIntent(run: KeeperRun, step: KeeperStep, o: KeeperObservation, fraction: number | null = run.fraction): KeeperRun {
  return {
    ...run,
    fraction,
    intent: { step, key: fingerprint(step, o), nonce: null, txHash: null, raw: null, at: o.now },
    updatedAt: o.now,
  };
}

/** A step failed before or at sending (simulation revert, RPC error, mined revert): back off, keep the stage. */
export function withFailure(run: KeeperRun, error: string, now: number, backoff: (failures: number) => number): KeeperRun {
  const failures = run.failures + 1;
  return { ...run, intent: null, failures, error, nextAttemptAt: now + backoff(failures), updatedAt: now };
}
