import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@tributary/service-kit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RiskHistoryRepository, type RiskSnapshot } from './risk-history.repository';
import type { AccountRisk } from './risk-reader';

/**
 * Risk history: at most one `risk_snapshots` row per account per RISK_SNAPSHOT_INTERVAL_MS, except that a
 * liquidatable flip is always written; a change held back by the throttle is written once the interval passed.
 */
@Injectable()
export class RiskSnapshotRecorder {
  private readonly logger = new Logger(RiskSnapshotRecorder.name);
  /** Per account: when its last snapshot was taken, and whether its risk changed since. */
  private readonly last = new Map<string, { at: number; dirty: boolean }>();
  private buffer: RiskSnapshot[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly history: RiskHistoryRepository,
    private readonly clock: Clock,
  ) {}

  /** Snapshots taken but not written yet. */
  get pending(): boolean {
    return this.buffer.length > 0;
  }

  /** An account's risk changed (`before`: its previous risk, if any). */
  note(risk: AccountRisk, before: AccountRisk | undefined): void {
    const last = this.last.get(risk.account);
    const flipped = before !== undefined && before.result.liquidatable !== risk.result.liquidatable;
    if (!last || flipped || risk.computedAt - last.at >= this.config.RISK_SNAPSHOT_INTERVAL_MS) {
      this.buffer.push(snapshotOf(risk));
      this.last.set(risk.account, { at: risk.computedAt, dirty: false });
    } else last.dirty = true;
  }

  /** Throttled changes whose interval has passed are taken with the account's current risk. */
  takeDue(current: (account: string) => AccountRisk | undefined): void {
    const now = this.clock.now();
    for (const [account, last] of this.last) {
      if (!last.dirty || now - last.at < this.config.RISK_SNAPSHOT_INTERVAL_MS) continue;
      const risk = current(account);
      if (!risk) continue;
      this.buffer.push(snapshotOf({ ...risk, computedAt: now }));
      this.last.set(account, { at: now, dirty: false });
    }
  }

  /** Writes the snapshots taken so far (a failed write is logged; those rows are dropped). */
  async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const rows = this.buffer;
    this.buffer = [];
    try {
      await this.history.insert(rows);
    } catch (error) {
      this.logger.error(`saving ${rows.length} risk snapshots failed: ${(error as Error).message}`);
    }
  }
}

function snapshotOf(risk: AccountRisk): RiskSnapshot {
  const r = risk.result;
  return {
    account: risk.account,
    computedAt: risk.computedAt,
    health: r.health,
    creditLimit: r.creditLimit,
    collateralInit: r.collateralInit,
    collateralMaint: r.collateralMaint,
    requirementInit: r.requirementInit,
    requirementMaint: r.requirementMaint,
    unrealizedPnl: r.unrealizedPnl,
    liquidatable: r.liquidatable,
  };
}
