import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { Clock, METRICS_REGISTRY } from '@tributary/service-kit';
import { ChainWeights } from '../risk/chain-weights';

/**
 * Chain weights v_c as the risk engine applies them, computed at scrape time: the live (decayed) weight, the
 * configured one, the heartbeat after which a silent chain starts to decay, and how long it has been silent.
 */
@Injectable()
export class ChainWeightMetrics {
  constructor(weights: ChainWeights, clock: Clock, @Inject(METRICS_REGISTRY) registry: Registry) {
    const labelNames = ['chain', 'eid'] as const;
    const states = () => weights.all().map((s) => ({ labels: { chain: s.chain.name, eid: String(s.chain.eid) }, state: s }));
    new Gauge({
      name: 'tributary_aggregator_chain_weight',
      help: 'Chain weight v_c the risk engine applies now (decays to 0 once the chain is silent past its heartbeat)',
      labelNames,
      registers: [registry],
      collect() {
        for (const { labels, state } of states()) this.set(labels, state.weight);
      },
    });
    new Gauge({
      name: 'tributary_aggregator_chain_weight_configured',
      help: 'Configured chain weight v_c (RiskParameters; the manifest on older deployments)',
      labelNames,
      registers: [registry],
      collect() {
        for (const { labels, state } of states()) this.set(labels, weights.configuredWeight(state.chain.eid));
      },
    });
    new Gauge({
      name: 'tributary_aggregator_chain_heartbeat_seconds',
      help: 'Silence after which the chain weight starts to decay (manifest heartbeatSeconds)',
      labelNames,
      registers: [registry],
      collect() {
        for (const { labels, state } of states()) this.set(labels, state.chain.manifest.heartbeatSeconds);
      },
    });
    new Gauge({
      name: 'tributary_aggregator_chain_silence_seconds',
      help: "Seconds since the trading-chain block of the chain's last delivered vault message of any type, heartbeats included (absent until one was delivered)",
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        const now = clock.now() / 1000;
        for (const { labels, state } of states()) if (state.lastMessageAt !== null) this.set(labels, Math.max(0, now - state.lastMessageAt));
      },
    });
  }
}
