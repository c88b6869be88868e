import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { messageOf, sleep } from '@tributary/service-kit';
import { ChainRegistry, RELAYER_SETUP, type RelayerSetup } from '../chain/chain-registry';
import { ChainWatcher } from '../watcher/chain-watcher';
import { PacketRepository } from '../store/packet.repository';
import { PipelineService } from './pipeline.service';
import { HeartbeatSender } from './heartbeat-sender';

const GAUGE_REFRESH_MS = 2_000;

/** The long-running loops: one watcher per source chain, the pipeline ticks, the gauge refresh. */
@Injectable()
export class RelayerRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RelayerRunner.name);
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly chains: ChainRegistry,
    private readonly watcher: ChainWatcher,
    private readonly pipeline: PipelineService,
    private readonly packets: PacketRepository,
    private readonly heartbeats: HeartbeatSender,
    @Inject(RELAYER_SETUP) private readonly setup: RelayerSetup,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.setup.autoStart) await this.start();
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const released = await this.packets.releaseStaleClaims(this.setup.workerId);
    if (released) this.logger.warn({ msg: 'released claims of an earlier run', workerId: this.setup.workerId, released });
    for (const chain of this.chains.sources()) {
      this.loops.push(this.loop(`watch ${chain.config.name}`, chain.config.pollIntervalMs, () => this.watchOnce(chain.config.eid)));
    }
    this.loops.push(this.loop('pipeline', this.setup.config.pipeline.tickMs, async () => (await this.pipeline.tick()) > 0));
    const heartbeatTargets = this.heartbeats.targets();
    if (heartbeatTargets.length) {
      // At least 16 checks per shortest heartbeat: the heartbeat leaves between heartbeat_c/2 and 9/16 of it.
      const shortest = Math.min(...heartbeatTargets.map((c) => c.config.heartbeatSeconds! * 1000));
      const every = Math.max(250, Math.min(this.setup.config.pipeline.heartbeatCheckMs, Math.floor(shortest / 16)));
      this.loops.push(this.loop('heartbeats', every, async () => (await this.heartbeats.tick(), false)));
    }
    this.loops.push(this.loop('gauges', GAUGE_REFRESH_MS, async () => (await this.pipeline.refreshGauges(), false)));
    this.logger.log({
      msg: `${this.setup.role ?? 'relayer'} started`,
      workerId: this.setup.workerId,
      chains: this.setup.config.chains.map((c) => c.name),
      pathways: this.setup.config.pathways.length,
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.loops = [];
  }

  /** Loops stop before any provider closes (RPC wrappers close at application shutdown). */
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  private async watchOnce(eid: number): Promise<boolean> {
    return (await this.watcher.scanOnce(eid)).behind;
  }

  /** Runs `body` until stopped; sleeps `intervalMs` unless it reports more work; errors back off. */
  private async loop(name: string, intervalMs: number, body: () => Promise<boolean>): Promise<void> {
    let failures = 0;
    while (this.running) {
      let busy = false;
      try {
        busy = await body();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.logger.warn({ msg: `${name} failed`, error: messageOf(error).slice(0, 300), failures });
      }
      if (!this.running) break;
      await sleep(busy ? 0 : failures ? Math.min(intervalMs * 2 ** failures, 10_000) : intervalMs);
    }
  }
}
