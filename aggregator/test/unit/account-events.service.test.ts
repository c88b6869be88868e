import { NotFoundException, type MessageEvent } from '@nestjs/common';
import type { RiskResult } from '@tributary/risk';
import { AccountEventsService } from '../../src/api/account-events.service';
import type { AccountsService } from '../../src/api/accounts.service';
import { LedgerChanges } from '../../src/ledger/ledger-changes';
import { RiskReader, type AccountRisk } from '../../src/risk/risk-reader';

const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

class FakeRisk extends RiskReader {
  listener: ((changed: AccountRisk[]) => void) | null = null;
  risks = new Map<string, AccountRisk>();
  get(account: string) {
    return this.risks.get(account.toLowerCase());
  }
  all() {
    return [...this.risks.values()];
  }
  subscribe(listener: (changed: AccountRisk[]) => void) {
    this.listener = listener;
    return () => (this.listener = null);
  }
  refresh() {
    return Promise.resolve();
  }
}

const result = (creditLimit: number): RiskResult =>
  ({ creditLimit, health: 2, liquidatable: false, collateralInit: creditLimit, collateralMaint: creditLimit }) as unknown as RiskResult;

const settle = () => new Promise((r) => setTimeout(r, 10));

/** The stream's diffing with fakes: what is sent for a ledger view change, a new field, a risk change, a shutdown. */
describe('AccountEventsService', () => {
  let view: Record<string, unknown> | null;
  let service: AccountEventsService;
  let changes: LedgerChanges;
  let risk: FakeRisk;

  beforeEach(() => {
    view = null;
    changes = new LedgerChanges();
    risk = new FakeRisk();
    const accounts = {
      account: async () => {
        if (!view) throw new NotFoundException();
        return structuredClone(view);
      },
    } as unknown as AccountsService;
    service = new AccountEventsService(changes, risk, accounts);
    service.onModuleInit();
  });

  function collect() {
    const events: MessageEvent[] = [];
    let completed = false;
    const subscription = service.events(ALICE).subscribe({ next: (e) => events.push(e), complete: () => (completed = true) });
    return { events, subscription, completed: () => completed, types: () => events.filter((e) => e.type).map((e) => e.type) };
  }

  it('sends one event per changed item and per changed field, including fields the view gains later (cash)', async () => {
    const stream = collect();
    await settle();
    expect(stream.types()).toEqual(['snapshot']);
    view = { address: ALICE, collateral: [{ eid: 1, assetId: 1, balance: '5' }], positions: [], credit: null, withdrawals: [] };
    changes.announce(new Set([ALICE]));
    await settle();
    expect(stream.types()).toEqual(['snapshot', 'ledger', 'collateral']);

    view = {
      ...view,
      credit: { limit: '10' },
      cash: '-3',
      collateral: [
        { eid: 1, assetId: 1, balance: '5' },
        { eid: 2, assetId: 1, balance: '1' },
      ],
    };
    changes.announce(new Set([ALICE.toLowerCase()]));
    await settle();
    expect(stream.types().slice(3)).toEqual(['ledger', 'collateral', 'credit', 'cash']);
    expect(stream.events.at(-1)!.data).toEqual({ value: '-3' });
    expect((stream.events[3].data as { changed: string[] }).changed).toEqual(['collateral', 'credit', 'cash']);

    // Nothing changed: nothing sent.
    changes.announce(new Set([ALICE]));
    await settle();
    expect(stream.types()).toHaveLength(7);
    stream.subscription.unsubscribe();
  });

  it('sends risk changes of watched accounts only, and ends every stream on shutdown', async () => {
    const stream = collect();
    await settle();
    risk.listener!([
      { account: ALICE.toLowerCase(), result: result(100), assets: [1], frozen: [], computedAt: 0 },
      { account: '0x0000000000000000000000000000000000000001', result: result(5), assets: [1], frozen: [], computedAt: 0 },
    ]);
    expect(stream.types()).toEqual(['snapshot', 'risk']);
    expect(stream.events[1].data).toMatchObject({ computedAt: '1970-01-01T00:00:00.000Z', result: { creditLimit: 100 }, frozen: [] });
    service.onApplicationShutdown();
    expect(stream.completed()).toBe(true);
    expect(service.watchedAccounts).toBe(0);
  });
});
