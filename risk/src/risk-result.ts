/** Response of `POST /v1/risk/evaluate`; all amounts in USD (float64). */
export interface RiskResult {
  collateralInit: number;
  collateralMaint: number;
  unrealizedPnl: number;
  pnlAdjusted: number;
  /** Net USD exposure per asset id (collateral plus perp notional on that asset), for every listed asset. */
  exposure: Record<string, number>;
  varInit: number;
  varMaint: number;
  floorInit: number;
  floorMaint: number;
  requirementInit: number;
  requirementMaint: number;
  /** `(C^maint + Ua) / R^maint`; `null` when nothing is required (unbounded). */
  health: number | null;
  creditLimit: number;
  /** `creditLimit` before its max(0, ·): below 0 by what a debt exceeds the collateral (what the chain pushes, signed). */
  creditLimitSigned: number;
  liquidatable: boolean;
}

export class RiskInputError extends Error {
  override readonly name = 'RiskInputError';
}

/** A `RiskResult` without the exposure map, tagged with its account. */
export type AccountRiskSummary = Omit<RiskResult, 'exposure'> & { accountId: string };
