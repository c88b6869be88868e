import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@tributary/service-kit';
import { LiveRiskParams } from '../risk/live-params';

/**
 * The governed risk parameters the live book uses (GET /v1/risk/params), computed at scrape time: one series per
 * parameter, and the trading-chain block they were read at (replicas that agree show the same values).
 */
@Injectable()
export class RiskParamMetrics {
  constructor(params: LiveRiskParams, @Inject(METRICS_REGISTRY) registry: Registry) {
    new Gauge({
      name: 'tributary_aggregator_risk_param',
      help: 'Governed risk parameter the live book uses or the market enforces (kind initWeight|maintWeight|chainWeight|imr|mmr|takerFee|markOverrideHealth|liquidationPenalty|guardCapacity|guardRefill|marketOpenInterestCap|accountOpenInterestCap|accountExposureCap|stableMaxStep|stableInterval; id = asset id, eid, market id or 0; source chain|manifest; guard in USD and USD/s)',
      labelNames: ['kind', 'id', 'source'] as const,
      registers: [registry],
      collect() {
        this.reset();
        const p = params.current;
        for (const [id, w] of p.assets) {
          this.set({ kind: 'initWeight', id: String(id), source: p.source }, w.weightInit);
          this.set({ kind: 'maintWeight', id: String(id), source: p.source }, w.weightMaint);
        }
        for (const [id, weight] of p.chains) this.set({ kind: 'chainWeight', id: String(id), source: p.source }, weight);
        for (const [id, r] of p.markets) {
          this.set({ kind: 'imr', id: String(id), source: p.source }, r.imr);
          this.set({ kind: 'mmr', id: String(id), source: p.source }, r.mmr);
          this.set({ kind: 'takerFee', id: String(id), source: p.source }, r.takerFee);
        }
        if (p.liquidation) {
          this.set({ kind: 'markOverrideHealth', id: '0', source: p.source }, p.liquidation.markOverrideHealth);
          this.set({ kind: 'liquidationPenalty', id: '0', source: p.source }, p.liquidation.penalty);
        }
        if (p.pusherGuard) {
          this.set({ kind: 'guardCapacity', id: '0', source: p.source }, p.pusherGuard.capacityUsd);
          this.set({ kind: 'guardRefill', id: '0', source: p.source }, p.pusherGuard.refillUsdPerSecond);
        }
        for (const [id, c] of p.marketCaps) {
          if (c.openInterestCap !== null) this.set({ kind: 'marketOpenInterestCap', id: String(id), source: p.source }, c.openInterestCap);
          if (c.accountOpenInterestCap !== null)
            this.set({ kind: 'accountOpenInterestCap', id: String(id), source: p.source }, c.accountOpenInterestCap);
        }
        for (const [id, sp] of p.stable) {
          this.set({ kind: 'stableMaxStep', id: String(id), source: p.source }, sp.maxStep);
          this.set({ kind: 'stableInterval', id: String(id), source: p.source }, sp.intervalSeconds);
        }
        for (const [id, cap] of p.exposureCaps) if (cap !== null) this.set({ kind: 'accountExposureCap', id: String(id), source: p.source }, cap);
      },
    });
    new Gauge({
      name: 'tributary_aggregator_risk_params_block',
      help: 'Trading-chain block the risk parameters were last read or checked at (absent when they come from the manifest)',
      registers: [registry],
      collect() {
        this.reset();
        if (params.current.block !== null) this.set(params.current.block);
      },
    });
  }
}
