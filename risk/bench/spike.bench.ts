/**
 * The dampener's figures: how far a one-block 40 % ETH spike moves credit, with and without the stable price, at
 * the default δ = 2 % per τ = 1 h, for a 12 s (Ethereum) and a 1 s (devnet) block; and the recovery case.
 * Run: npx tsx bench/spike.bench.ts   (from risk/)
 */
import { stablePriceAllowance } from '../src';
import { SPIKE_ACCOUNTS, spikeScenario } from './spike-scenario';

const usd = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2 });
for (const [name, account] of Object.entries(SPIKE_ACCOUNTS)) {
  for (const block of [12, 1]) {
    const s = spikeScenario(1.4, block, account);
    console.log(
      `${name.padEnd(10)} block ${String(block).padStart(2)} s: credit ${usd(s.before.creditLimit)} → damped ${usd(s.damped.creditLimit)} ` +
        `(Δ ${usd(s.damped.creditLimit - s.before.creditLimit)}), undamped ${usd(s.undamped.creditLimit)} ` +
        `(Δ ${usd(s.undamped.creditLimit - s.before.creditLimit)}); s 2,000 → ${s.stable.toFixed(4)}`,
    );
  }
}
const G = 100 * 0.8 + 20;
console.log(`bound G·s·δ·Δt/τ for the realistic account (G = ${G} ETH): ${usd(G * stablePriceAllowance(2_000, 12))} USD per 12 s block`);
