import { processCpuSeconds, processRssMb } from '@tributary/contracts';

/** Seconds of the idle yardstick: each node's CPU with the devnet running and no deposits. */
const IDLE_SECONDS = 5;

/**
 * What each chain's node process spends per deposit: its CPU over the run less its idle rate (blocks and the
 * services' polling, measured for IDLE_SECONDS before the first deposit: the yardstick), and its peak RSS.
 */
export class NodeLoad {
  private readonly idleMsPerSecond = new Map<number, number>();
  private readonly peakRss = new Map<number, number>();
  private readonly sampler: NodeJS.Timeout;
  private window?: { startedAt: number; endedAt?: number; cpuStart: Map<number, number>; cpuEnd?: Map<number, number> };

  private constructor(
    private readonly pids: Map<number, number>,
    private readonly roles: Map<number, string>,
    private readonly log: (line: string) => void,
  ) {
    this.sampler = setInterval(() => this.sampleRss(), 500);
  }

  static async start(
    chains: { rpcUrl: string; process: { pid?: number } }[],
    manifestChains: { eid: number; rpcUrl: string; role: string; name: string }[],
    log: (line: string) => void,
  ): Promise<NodeLoad> {
    const pids = new Map<number, number>();
    for (const c of manifestChains) {
      const pid = chains.find((chain) => chain.rpcUrl === c.rpcUrl)?.process.pid;
      if (pid) pids.set(c.eid, pid);
    }
    const load = new NodeLoad(pids, new Map(manifestChains.map((c) => [c.eid, `${c.name} (${c.role})`])), log);
    const before = load.cpu();
    const started = Date.now();
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const seconds = (Date.now() - started) / 1000;
    for (const [eid, cpu] of load.cpu()) load.idleMsPerSecond.set(eid, ((cpu - before.get(eid)!) * 1000) / seconds);
    return load;
  }

  begin(): void {
    this.window = { startedAt: Date.now(), cpuStart: this.cpu() };
  }

  end(): void {
    if (this.window) Object.assign(this.window, { endedAt: Date.now(), cpuEnd: this.cpu() });
  }

  stop(): void {
    clearInterval(this.sampler);
  }

  /** `deposits` per collateral chain; the trading node's cost is per delivered deposit. */
  report(deposits: Map<number, number>, delivered: number): void {
    const w = this.window;
    if (!w?.cpuEnd || !w.endedAt) return;
    const seconds = (w.endedAt - w.startedAt) / 1000;
    this.log(`node processes over the ${seconds.toFixed(0)} s from the first deposit to the drain (CPU less the idle rate):`);
    for (const [eid, pid] of this.pids) {
      const idle = this.idleMsPerSecond.get(eid) ?? 0;
      const busyMs = (w.cpuEnd.get(eid)! - w.cpuStart.get(eid)!) * 1000 - idle * seconds;
      const count = deposits.get(eid) ?? delivered;
      const perDeposit = count ? busyMs / count : NaN;
      this.log(
        `  ${this.roles.get(eid)!.padEnd(24)} idle ${idle.toFixed(0)} ms/s   ${perDeposit.toFixed(1)} ms per deposit (${count})` +
          `   → one core: ${(1000 / perDeposit).toFixed(0)} deposits/s   peak RSS ${(this.peakRss.get(eid) ?? processRssMb(pid)).toFixed(0)} MiB`,
      );
    }
  }

  private cpu(): Map<number, number> {
    return new Map([...this.pids].map(([eid, pid]) => [eid, processCpuSeconds(pid)]));
  }

  private sampleRss(): void {
    for (const [eid, pid] of this.pids) {
      try {
        this.peakRss.set(eid, Math.max(this.peakRss.get(eid) ?? 0, processRssMb(pid)));
      } catch {
        // the node exited (the devnet is stopping)
      }
    }
  }
}
