/** The dampener part of a preview-params answer (POST /v1/risk/preview-params `stable`). */
export interface StablePreview {
  horizonSeconds: number | null;
  blockSeconds: number;
  assets: {
    assetId: number;
    oraclePrice: number;
    stablePrice: number;
    units: number;
    current: StableOutcome;
    proposed: StableOutcome;
  }[];
  now: { creditLimit: number; liquidatable: number };
  current: { creditLimit: number; liquidatable: number };
  proposed: { creditLimit: number; liquidatable: number };
  creditAdded: number;
  creditRemoved: number;
}

interface StableOutcome {
  maxStep: number;
  intervalSeconds: number;
  stablePriceAtHorizon: number;
  blockJumpPerUnit: number;
  blockJumpUsd: number;
}

const n = (x: number, digits = 2) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
const params = (o: StableOutcome) => `δ ${n(o.maxStep * 100, 4)} % per τ ${o.intervalSeconds} s`;

export function formatStable(p: StablePreview, lines: string[]): void {
  lines.push(`  stable price, the oracle standing still for ${p.horizonSeconds === null ? 'one current τ' : `${p.horizonSeconds} s`}:`);
  for (const a of p.assets) {
    lines.push(`    asset ${a.assetId}: oracle ${n(a.oraclePrice, 6)}, s now ${n(a.stablePrice, 6)}, ${n(a.units, 6)} units held long`);
    for (const [label, o] of [
      ['current ', a.current],
      ['proposed', a.proposed],
    ] as const)
      lines.push(
        `      ${label} ${params(o)}: s → ${n(o.stablePriceAtHorizon, 6)}; one ${p.blockSeconds} s block of a spike adds ≤ ${n(o.blockJumpPerUnit, 8)} USD/unit, ${n(o.blockJumpUsd)} USD book-wide`,
      );
  }
  lines.push(
    `    book credit now ${n(p.now.creditLimit)} USD (${p.now.liquidatable} liquidatable); at the horizon: current ${n(p.current.creditLimit)} USD (${p.current.liquidatable}), proposed ${n(p.proposed.creditLimit)} USD (${p.proposed.liquidatable})`,
    `    proposed vs current: credit added ${n(p.creditAdded)} USD, removed ${n(p.creditRemoved)} USD (liquidations read the oracle alone)`,
  );
}
