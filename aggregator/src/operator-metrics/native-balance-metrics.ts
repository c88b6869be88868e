import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Wallet } from 'ethers';
import { Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@tributary/service-kit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ChainRegistry, type RegisteredChain } from '../chain/chain-registry';
import { NativeBalanceRepository } from '../chain/native-balance.repository';

/** How often the watched balances are read (one eth_getBalance per target). */
export const NATIVE_BALANCE_REFRESH_MS = 30_000;

/** hub and vault pay protocol replies from their own balance; pusher and liquidator pay their transactions' gas. */
export type BalanceRole = 'hub' | 'vault' | 'pusher' | 'liquidator';

export interface BalanceTarget {
  chain: RegisteredChain;
  role: BalanceRole;
  address: string;
}

/** The hub (trading chain), every vault (collateral chains), and the pusher/liquidator keys on the trading chain. */
export function balanceTargets(registry: ChainRegistry, keys: { pusher?: string; liquidator?: string }): BalanceTarget[] {
  const targets: BalanceTarget[] = [];
  for (const chain of registry.chains) {
    for (const contract of chain.contracts) {
      if (contract.role === 'hub' || contract.role === 'vault') targets.push({ chain, role: contract.role, address: contract.address });
    }
  }
  const trading = registry.tradingChain;
  if (trading && keys.pusher) {
    const pusher = new Wallet(keys.pusher).address;
    targets.push({ chain: trading, role: 'pusher', address: pusher });
    const liquidator = keys.liquidator ? new Wallet(keys.liquidator).address : pusher;
    if (liquidator !== pusher) targets.push({ chain: trading, role: 'liquidator', address: liquidator });
  }
  return targets;
}

/**
 * `tributary_aggregator_native_balance_wei{chain,role,address}`: the hub's and each vault's native balance
 * (a reply they cannot pay reverts its delivery) and the pusher's and liquidator's gas money, read every
 * NATIVE_BALANCE_REFRESH_MS. A failed read keeps the last value and is logged once per failure streak.
 */
@Injectable()
export class NativeBalanceMetrics implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NativeBalanceMetrics.name);
  private readonly gauge: Gauge<'chain' | 'role' | 'address'>;
  private readonly targets: BalanceTarget[];
  private readonly failing = new Set<BalanceTarget>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(
    registry: ChainRegistry,
    private readonly balances: NativeBalanceRepository,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    this.targets = balanceTargets(registry, { pusher: config.AGGREGATOR_PUSHER_PRIVATE_KEY, liquidator: config.AGGREGATOR_LIQUIDATOR_PRIVATE_KEY });
    this.gauge = new Gauge({
      name: 'tributary_aggregator_native_balance_wei',
      help: 'Native balance (wei) of the hub and each vault (they pay protocol replies) and of the pusher and liquidator keys',
      labelNames: ['chain', 'role', 'address'],
      registers: [metrics],
    });
  }

  onApplicationBootstrap(): void {
    if (!this.targets.length) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), NATIVE_BALANCE_REFRESH_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.refreshing;
  }

  /** Reads every target once (a refresh already running is awaited instead); never throws. */
  refresh(): Promise<void> {
    this.refreshing ??= Promise.all(this.targets.map((t) => this.read(t)))
      .then(() => undefined)
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async read(target: BalanceTarget): Promise<void> {
    try {
      const balance = await this.balances.balance(target.chain, target.address);
      this.gauge.set({ chain: target.chain.name, role: target.role, address: target.address }, Number(balance));
      this.failing.delete(target);
    } catch (error) {
      if (!this.failing.has(target))
        this.logger.warn(`cannot read the ${target.role} balance on ${target.chain.name}: ${(error as Error).message.slice(0, 300)}`);
      this.failing.add(target);
    }
  }
}
