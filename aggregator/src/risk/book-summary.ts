import type { AccountRisk } from './risk-reader';

/** Health buckets of the book-wide histogram: [from, to) each; `null` bounds are open. Unbounded health (nothing required) has its own. */
export const HEALTH_BUCKETS: readonly { label: string; from: number | null; to: number | null }[] = [
  { label: '< 1 (liquidatable)', from: null, to: 1 },
  { label: '1 – 1.2', from: 1, to: 1.2 },
  { label: '1.2 – 1.5', from: 1.2, to: 1.5 },
  { label: '1.5 – 2', from: 1.5, to: 2 },
  { label: '2 – 3', from: 2, to: 3 },
  { label: '3 – 5', from: 3, to: 5 },
  { label: '≥ 5', from: 5, to: null },
];

export interface BookSummary {
  accounts: number;
  liquidatable: number;
  /** Accounts with credit increases frozen by a price guard. */
  frozen: number;
  /** Accounts whose health is unbounded (no requirement: no positions and no exposure to cover). */
  unbounded: number;
  buckets: { label: string; from: number | null; to: number | null; count: number }[];
  /** The accounts with the lowest finite health, lowest first. */
  nearest: {
    account: string;
    health: number;
    liquidatable: boolean;
    creditLimit: number;
    collateralMaint: number;
    requirementMaint: number;
    frozen: boolean;
  }[];
}

/** The risk book at a glance: how many accounts sit in each health band, and which are nearest to liquidation. */
export function summarizeBook(risks: readonly AccountRisk[], nearest: number): BookSummary {
  const buckets = HEALTH_BUCKETS.map((b) => ({ ...b, count: 0 }));
  let unbounded = 0;
  const bounded: AccountRisk[] = [];
  for (const risk of risks) {
    const health = risk.result.health;
    if (health === null) {
      unbounded++;
      continue;
    }
    bounded.push(risk);
    const bucket = buckets.find((b) => (b.from === null || health >= b.from) && (b.to === null || health < b.to));
    if (bucket) bucket.count++;
  }
  bounded.sort((a, b) => a.result.health! - b.result.health! || a.account.localeCompare(b.account));
  return {
    accounts: risks.length,
    liquidatable: risks.filter((r) => r.result.liquidatable).length,
    frozen: risks.filter((r) => r.frozen.length > 0).length,
    unbounded,
    buckets,
    nearest: bounded.slice(0, nearest).map((r) => ({
      account: r.account,
      health: r.result.health!,
      liquidatable: r.result.liquidatable,
      creditLimit: r.result.creditLimit,
      collateralMaint: r.result.collateralMaint,
      requirementMaint: r.result.requirementMaint,
      frozen: r.frozen.length > 0,
    })),
  };
}
