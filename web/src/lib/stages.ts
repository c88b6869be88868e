import type { Stage } from '@tributary/sdk';

/** The actions the trader view runs, and the stages each goes through (sdk/README.md). */
export type ActionKind = 'deposit' | 'withdraw' | 'trade' | 'close' | 'repay' | 'withdraw-cash';

export const STAGE_PLANS: Record<ActionKind, string[]> = {
  deposit: ['sent', 'confirmed', 'delivered', 'indexed', 'credited'],
  withdraw: ['sent', 'confirmed', 'delivered', 'indexed', 'decided', 'paid'],
  trade: ['sent', 'confirmed', 'indexed', 'risk'],
  close: ['sent', 'confirmed', 'indexed', 'risk'],
  repay: ['sent', 'confirmed', 'indexed'],
  'withdraw-cash': ['sent', 'confirmed', 'indexed'],
};

/** What each stage means, for the tracker's labels. */
export const STAGE_LABELS: Record<string, string> = {
  approved: 'token approved',
  sent: 'transaction sent',
  confirmed: 'confirmed on chain',
  delivered: 'delivered to the hub (LayerZero)',
  indexed: 'in the aggregator’s ledger',
  credited: 'credit pushed to the trading chain',
  decided: 'decided by the hub',
  paid: 'paid out by the vault',
  queued: 'queued by the vault’s rate limit',
  unlocked: 'rejected: amount unlocked',
  risk: 'counted by the risk engine',
};

export type StageState = 'done' | 'skipped' | 'active' | 'pending' | 'failed';

export interface TrackedStage {
  name: string;
  label: string;
  state: StageState;
  stage?: Stage;
}

/**
 * The tracker's rows: the plan's stages in order with the observed ones filled in (an extra observed stage such as
 * `approved`, `queued` or `unlocked` is placed where it happened); the first unobserved one is active while running,
 * failed after an error.
 */
export function trackStages(kind: ActionKind, observed: readonly Stage[], status: 'idle' | 'running' | 'done' | 'failed'): TrackedStage[] {
  const names = [...STAGE_PLANS[kind]];
  observed.forEach((stage, i) => {
    if (names.includes(stage.name)) return;
    const before = observed[i - 1]?.name;
    names.splice(before ? names.indexOf(before) + 1 : 0, 0, stage.name);
  });
  if (observed.some((s) => s.name === 'queued')) names.splice(names.indexOf('paid'), 1);
  if (observed.some((s) => s.name === 'unlocked')) names.splice(names.indexOf('paid'), 1);
  let marked = false;
  return names.map((name) => {
    const stage = observed.find((s) => s.name === name);
    const label = STAGE_LABELS[name] ?? name;
    if (stage) return { name, label, stage, state: stage.skipped ? 'skipped' : 'done' };
    if (!marked && (status === 'running' || status === 'failed')) {
      marked = true;
      return { name, label, state: status === 'running' ? 'active' : 'failed' };
    }
    return { name, label, state: 'pending' };
  });
}
