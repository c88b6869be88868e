/**
 * The soak: `npm run soak` (10 minutes at 100 deposits/s offered) or `npm run soak:short` (the CI's two minutes).
 * Env: SOAK_SECONDS, SOAK_RATE (deposits/s offered), SOAK_FAULT_RATE (0–1), SOAK_KILL_EVERY_S, SOAK_DRAIN_S.
 * See docs/soak.md. Exits 1 when a check fails.
 */
import { printReport, runSoak } from '../support/soak';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

runSoak({
  seconds: env('SOAK_SECONDS', 600),
  rate: env('SOAK_RATE', 100),
  faultRate: env('SOAK_FAULT_RATE', 0.15),
  killEverySeconds: env('SOAK_KILL_EVERY_S', 30),
  drainTimeoutMs: env('SOAK_DRAIN_S', 1800) * 1000,
  log: (line) => console.log(line),
}).then(
  (report) => {
    console.log('soak report:');
    process.exit(printReport(report, (line) => console.log(line)) ? 0 : 1);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
