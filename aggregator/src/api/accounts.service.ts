import { Injectable, NotFoundException } from '@nestjs/common';
import { ChainRegistry } from '../chain/chain-registry';
import { LedgerQueryRepository } from '../ledger/ledger-query.repository';
import type { PageQuery, WithdrawalsQuery } from './schemas';
import { accountView, cashEventView, withdrawalView } from './views';

@Injectable()
export class AccountsService {
  constructor(
    private readonly ledger: LedgerQueryRepository,
    private readonly registry: ChainRegistry,
  ) {}

  async account(address: string) {
    const ledger = await this.ledger.account(address);
    if (!ledger) throw new NotFoundException(`account ${address} has no ledger entries`);
    return accountView(ledger, this.registry);
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
