/**
 * The liquidation keeper's decisions as plain functions (no I/O): one run per account and episode walks
 * `marked → liquidating → seizing → auctioning → settling → done` (docs/liquidation.md). Every step is guarded by
 * a fingerprint of the on-chain state it changes, written (with the signed transaction's nonce) before the
 * transaction is broadcast: after a crash the keeper reads the chain again and knows whether the step landed
 * (fingerprint moved), is still pending (nonce not mined yet) or failed (nonce mined, fingerprint unchanged) —
 * so no step is ever sent twice.
 */

export const KEEPER_STAGES = ['marked', 'liquidating', 'seizing', 'auctioning', 'settling', 'done'] as const;
export type KeeperStage = (typeof KEEPER_STAGES)[number];

export type KeeperStep = 'liquidate' | 'seize' | 'settle';

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

/** One hub-attested balance the hub could seize (token units), with what is needed to value it. */
export interface SeizableBalance {
  eid: number;
  assetId: number;
  /** Hub-attested balance not yet reserved by a seizure in flight (token base units). */
  amount: bigint;
  decimals: number;
  /** Oracle price, 1e18 USD per whole token. */
  price: bigint;
  /** Maintenance weight (1e18 = 1): the lowest is the riskiest and goes first. */
  maintWeight: bigint;
}

/** What the keeper reads from the chain (and the risk book) right before deciding. */
export interface KeeperObservation {
  now: number;
  /** Risk engine: health < 1. */
  liquidatable: boolean;
  /** The risk book already reflects the on-chain positions and cash (never decide on a stale book). */
  bookInSync: boolean;
  /** CreditManager: a fresh liquidatable mark. */
  marked: boolean;
  /** On-chain position sizes, canonical (the liquidate fingerprint); '' when there are none. */
  positionsKey: string;
  /** Signed cash, 1e18 USD (the settle fingerprint). */
  cash: bigint;
  /** Bad debt recorded for the account (1e18 USD): what the insurance fund could not pay. */
  badDebt: bigint;
  /** Seizures sent by the hub for this account (a counter: the seize fingerprint). */
  seizureCount: number;
  /** Value (1e18 USD) of the seizures in flight (sent, no AUCTION_RESULT yet). */
  inFlightValue: bigint;
  seizable: readonly SeizableBalance[];
  /** Latest mined nonce count of the keeper's key (`eth_getTransactionCount(latest)`). */
  minedNonce: number;
}

export type KeeperAction =
  | { kind: 'wait'; reason: string }
  | { kind: 'await-tx'; raw: string | null }
  | { kind: 'liquidate' }
  | { kind: 'seize'; eid: number; assetId: number; amount: bigint }
  | { kind: 'settle' }
  | { kind: 'finish' };

export interface KeeperDecision {
  run: KeeperRun;
  action: KeeperAction;
}

const WAD = 10n ** 18n;

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
export function fingerprint(step: KeeperStep, o: Pick<KeeperObservation, 'positionsKey' | 'seizureCount' | 'cash'>): string {
  if (step === 'liquidate') return `positions:${o.positionsKey}`;
  if (step === 'seize') return `seizures:${o.seizureCount}`;
  return `cash:${o.cash}`;
}

/** A run records a landed step: counters and first-time timestamps. */
function landed(run: KeeperRun, step: KeeperStep, now: number): KeeperRun {
  const r = { ...run, intent: null, failures: 0, nextAttemptAt: 0, error: null, updatedAt: now };
  if (step === 'liquidate') return { ...r, liquidations: r.liquidations + 1, liquidatedAt: r.liquidatedAt ?? now };
  if (step === 'seize') return { ...r, seizures: r.seizures + 1, seizedAt: r.seizedAt ?? now };
  return { ...r, settlements: r.settlements + 1 };
}

function outcomeOf(run: KeeperRun, o: KeeperObservation): KeeperOutcome {
  if (o.badDebt > 0n) return 'bad-debt';
  if (run.settlements > 0) return 'fund-paid';
  return run.seizures > 0 ? 'repaid' : 'restored';
}

/**
 * The next action of a run, given what the chain says now. Pure: the caller persists the returned run before
 * acting (a step's intent is written again with its nonce once signed, through the sender's journal).
 */
export function decide(current: KeeperRun, o: KeeperObservation, penaltyWad: bigint): KeeperDecision {
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
  if (o.positionsKey !== '') {
    if (!o.liquidatable) return finish(run, o);
    if (!o.marked) return wait(run.liquidations ? 'liquidating' : 'marked', 'waiting for the on-chain mark');
    if (backedOff) return wait('liquidating', 'backing off after a failure');
    return { run: { ...run, stage: 'liquidating' }, action: { kind: 'liquidate' } };
  }
  if (o.cash >= 0n) return finish(run, o);
  const seizure = nextSeizure(-o.cash, penaltyWad, o.inFlightValue, o.seizable);
  if (seizure) {
    if (backedOff) return wait('seizing', 'backing off after a failure');
    return { run: { ...run, stage: 'seizing' }, action: { kind: 'seize', ...seizure } };
  }
  if (o.inFlightValue > 0n) return wait('auctioning', 'auctions in flight');
  if (run.settlements > 0) return finish(run, o); // the fund paid what it had; the rest is recorded as bad debt
  if (backedOff) return wait('settling', 'backing off after a failure');
  return { run: { ...run, stage: 'settling' }, action: { kind: 'settle' } };
}

function finish(run: KeeperRun, o: KeeperObservation): KeeperDecision {
  return {
    run: { ...run, stage: 'done', outcome: outcomeOf(run, o), doneAt: o.now, updatedAt: o.now, intent: null },
    action: { kind: 'finish' },
  };
}

/**
 * The next seizure of a debt: collateral worth `debt × (1 + π)` minus what is already in flight, from the
 * riskiest balance (lowest maintenance weight; ties by eid, asset) — the whole balance when it is worth less,
 * else the amount worth what is still needed, rounded up to one base unit. Null when nothing is needed or left.
 */
export function nextSeizure(
  debt: bigint,
  penaltyWad: bigint,
  inFlightValue: bigint,
  seizable: readonly SeizableBalance[],
): { eid: number; assetId: number; amount: bigint } | null {
  const need = (debt * (WAD + penaltyWad)) / WAD - inFlightValue;
  if (need <= 0n) return null;
  const riskiest = [...seizable]
    .filter((b) => b.amount > 0n && b.price > 0n)
    .sort((a, b) => (a.maintWeight < b.maintWeight ? -1 : a.maintWeight > b.maintWeight ? 1 : a.eid - b.eid || a.assetId - b.assetId))[0];
  if (!riskiest) return null;
  const unit = 10n ** BigInt(riskiest.decimals);
  const amountForNeed = (need * unit + riskiest.price - 1n) / riskiest.price;
  return { eid: riskiest.eid, assetId: riskiest.assetId, amount: amountForNeed < riskiest.amount ? amountForNeed : riskiest.amount };
}

/** USD value (1e18) of a token amount at a 1e18 price. */
export function valueOf(amount: bigint, decimals: number, price: bigint): bigint {
  return (amount * price) / 10n ** BigInt(decimals);
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
