import { z } from 'zod';
import { evaluateRisk } from './evaluate-risk';
import { riskRequestSchema, type RiskRequestInput } from './risk-request.schema';

export const DEFAULT_TARGET_HEALTH = 1.2;
export const DEFAULT_LIQUIDATION_PENALTY = 0.02;
/** The plan tries fractions 0.1, 0.2, …, 1.0 (k / 10, so each is the nearest double to its decimal). */
const FRACTION_STEPS = 10;

/** Request body of `POST /v1/risk/liquidation-plan`: an evaluate request plus the plan's two parameters. */
export const liquidationPlanRequestSchema = riskRequestSchema.and(
  z.object({
    params: z.object({
      targetHealth: z
        .number({ error: 'targetHealth must be a finite number' })
        .gt(0, { error: 'targetHealth must be > 0' })
        .default(DEFAULT_TARGET_HEALTH),
      liquidationPenalty: z
        .number({ error: 'liquidationPenalty must be a finite number' })
        .min(0, { error: 'liquidationPenalty must be in [0, 1]' })
        .max(1, { error: 'liquidationPenalty must be in [0, 1]' })
        .default(DEFAULT_LIQUIDATION_PENALTY),
    }),
  }),
);

export type LiquidationPlanRequestInput = RiskRequestInput & {
  params: RiskRequestInput['params'] & { targetHealth?: number; liquidationPenalty?: number };
};

export interface LiquidationPlan {
  /** Fraction of every position closed, one of 0.1 … 1.0. */
  fraction: number;
  /** USD notional closed: `f · Σ|q|·p`. */
  closedNotional: number;
  /** `π · closedNotional`, charged to cash. */
  penalty: number;
  /** Cash after the realized PnL of the closed part and the penalty. */
  cashAfter: number;
  /** Health after the plan; `null` when nothing is required any more (unbounded). */
  healthAfter: number | null;
}

/**
 * The smallest fraction f ∈ {0.1, …, 1.0} of every position to close at the oracle price so that the
 * account's health reaches `targetHealth` (or becomes unbounded); 1.0 when none does. Closing f moves
 * `f·q·(p − entry)` into cash, charges `π·f·Σ|q|·p` and leaves sizes `(1 − f)·q`.
 */
export function planLiquidation(request: LiquidationPlanRequestInput): LiquidationPlan {
  const priceOf = new Map(request.assets.map((asset) => [asset.id, asset.price]));
  return planLiquidationWith(
    {
      positions: request.positions ?? [],
      cash: request.cash ?? 0,
      priceOf: (assetId) => priceOf.get(assetId) ?? Number.NaN,
      targetHealth: request.params.targetHealth ?? DEFAULT_TARGET_HEALTH,
      liquidationPenalty: request.params.liquidationPenalty ?? DEFAULT_LIQUIDATION_PENALTY,
    },
    (positions, cash) => evaluateRisk({ ...request, cash, positions }).health,
  );
}

/** What a plan needs besides the risk function: the positions, cash, prices and the plan's two parameters. */
export interface PlanInputs<P extends PlanPosition> {
  positions: readonly P[];
  cash: number;
  priceOf: (assetId: string) => number;
  targetHealth: number;
  liquidationPenalty: number;
}

export interface PlanPosition {
  assetId: string;
  size: number;
  entryPrice: number;
}

/**
 * The plan rule with any health function (the what-if's `evaluateRisk`, or the live book's preview of an
 * account's holdings): `healthOf(positionsAfter, cashAfter)` is the health once f is closed.
 */
export function planLiquidationWith<P extends PlanPosition>(
  inputs: PlanInputs<P>,
  healthOf: (positions: P[], cash: number) => number | null,
): LiquidationPlan {
  const { positions, cash, targetHealth, liquidationPenalty: penaltyRate } = inputs;
  const priceOfPosition = positions.map((position) => inputs.priceOf(position.assetId));
  let plan: LiquidationPlan | undefined;
  for (let step = 1; step <= FRACTION_STEPS; step++) {
    const fraction = step / FRACTION_STEPS;
    let closedNotional = 0;
    let realized = 0;
    positions.forEach((position, m) => {
      closedNotional += fraction * Math.abs(position.size) * priceOfPosition[m];
      realized += fraction * position.size * (priceOfPosition[m] - position.entryPrice);
    });
    const penalty = penaltyRate * closedNotional;
    const cashAfter = cash + realized - penalty;
    const healthAfter = healthOf(
      positions.map((position) => ({ ...position, size: (1 - fraction) * position.size })),
      cashAfter,
    );
    plan = { fraction, closedNotional, penalty, cashAfter, healthAfter };
    if (healthAfter === null || healthAfter >= targetHealth) return plan;
  }
  return plan as LiquidationPlan;
}
