import { Injectable, NotFoundException } from '@nestjs/common';
import { ChainRegistry } from '../chain/chain-registry';
import { SettlementPoolRepository } from '../chain/settlement-pool.repository';
import { LedgerQueryRepository } from '../ledger/ledger-query.repository';
import { WithdrawableService } from '../withdrawal/withdrawable.service';
import type { PageQuery, WithdrawalsQuery } from './schemas';
import { accountView, cashEventView, withdrawalView } from './views';

@Injectable()
export class AccountsService {
  constructor(
    private readonly ledger: LedgerQueryRepository,
    private readonly registry: ChainRegistry,
    private readonly withdrawable: WithdrawableService,
    private readonly pool: SettlementPoolRepository,
  ) {}

  async account(address: string) {
    const ledger = await this.ledger.account(address);
    if (!ledger) throw new NotFoundException(`account ${address} has no ledger entries`);
    // Chain reads: a failing RPC leaves these null rather than failing the ledger view.
    const [withdrawable, withdrawableCash] = await Promise.all([
      this.withdrawable.of(address).catch(() => null),
      this.pool.unavailableReason ? null : this.pool.withdrawableCash(address).catch(() => null),
    ]);
    return {
      ...accountView(ledger, this.registry),
      withdrawable: withdrawable?.map((w) => ({ ...w, chain: this.registry.chain(w.eid)?.name ?? null, amount: w.amount.toString() })) ?? null,
      withdrawableCash: withdrawableCash === null ? null : withdrawableCash.toString(),
    };
  }

  async list(query: PageQuery) {
    const page = await this.ledger.accounts(query.limit, query.offset);
    return { items: page.items.map((address) => ({ address })), total: page.total, limit: query.limit, offset: query.offset };
  }

  async withdrawals(address: string, query: WithdrawalsQuery) {
    await this.requireKnown(address);
    const page = await this.ledger.withdrawals(address, query);
    return { items: page.items.map(withdrawalView), total: page.total, limit: query.limit, offset: query.offset };
  }

  async cashHistory(address: string, query: PageQuery) {
    await this.requireKnown(address);
    const page = await this.ledger.cashHistory(address, query.limit, query.offset);
    return { items: page.items.map(cashEventView), total: page.total, limit: query.limit, offset: query.offset };
  }

  private async requireKnown(address: string): Promise<void> {
    if (!(await this.ledger.account(address))) throw new NotFoundException(`account ${address} has no ledger entries`);
  }
}
