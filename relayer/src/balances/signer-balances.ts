import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { Clock, METRICS_REGISTRY, messageOf } from '@tributary/service-kit';
import { ChainRegistry, RELAYER_SETUP, type RelayerSetup } from '../chain/chain-registry';

/** How often the destination signers' balances are read (each read is one eth_getBalance per chain). */
export const SIGNER_BALANCE_REFRESH_MS = 30_000;

/** The last reading of one destination chain's signer (the key that verifies, commits and executes there). */
export interface SignerBalance {
  chain: string;
  eid: number;
  address: string;
  /** null until the first successful read. */
  balanceWei: bigint | null;
  /** ms since epoch of the last successful read. */
  readAt: number | null;
  /** The last read's failure; null once a read succeeds again. */
  error: string | null;
}

/**
 * Native balance of each destination signer, read through the chain RPC layer every SIGNER_BALANCE_REFRESH_MS
 * (when the loops auto-start) and exported as `tributary_relayer_signer_balance_wei{chain}`. A failed read keeps
 * the last value (the failure is counted in rpc_errors_total{method="eth_getBalance"} and shown on /v1/pathways).
 */
@Injectable()
export class SignerBalances implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SignerBalances.name);
  private readonly gauge: Gauge<'chain'>;
  private readonly readings = new Map<number, SignerBalance>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private attempted = false;

  constructor(
    private readonly chains: ChainRegistry,
    private readonly clock: Clock,
    @Inject(RELAYER_SETUP) private readonly setup: RelayerSetup,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.gauge = new Gauge({
      name: 'tributary_relayer_signer_balance_wei',
      help: 'Native balance of the relayer signer on each destination chain (wei; pays verify, commit and lzReceive gas)',
      labelNames: ['chain'],
      registers: [registry],
    });
    for (const chain of chains.destinations()) {
      this.readings.set(chain.config.eid, {
        chain: chain.config.name,
        eid: chain.config.eid,
        address: chain.submitter!.address,
        balanceWei: null,
        readAt: null,
        error: null,
      });
    }
  }

  onApplicationBootstrap(): void {
    if (!this.setup.autoStart) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), SIGNER_BALANCE_REFRESH_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.refreshing;
  }

  /** Every destination signer, in configuration order. */
  current(): SignerBalance[] {
    return [...this.readings.values()].map((r) => ({ ...r }));
  }

  /** Reads every signer's balance (a refresh already running is awaited instead of starting another); never throws. */
  refresh(): Promise<void> {
    this.attempted = true;
    this.refreshing ??= Promise.all([...this.readings.values()].map((reading) => this.read(reading)))
      .then(() => undefined)
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Reads once if no read was ever tried (the API's first call before the loop ran); never re-reads a failing RPC. */
  async ensureRead(): Promise<void> {
    if (!this.attempted) await this.refresh();
  }

  private async read(reading: SignerBalance): Promise<void> {
    try {
      const balance = await this.chains.get(reading.eid).rpc.balance(reading.address);
      reading.balanceWei = balance;
      reading.readAt = this.clock.now();
      reading.error = null;
      this.gauge.set({ chain: reading.chain }, Number(balance));
    } catch (error) {
      if (reading.error === null)
        this.logger.warn({ msg: 'cannot read the signer balance', chain: reading.chain, error: messageOf(error).slice(0, 300) });
      reading.error = messageOf(error).slice(0, 300);
    }
  }
}
