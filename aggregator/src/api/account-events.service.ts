import { Injectable, Logger, NotFoundException, type OnApplicationShutdown, type OnModuleInit, type MessageEvent } from '@nestjs/common';
import { Observable, type Subscriber, type Subscription } from 'rxjs';
import { LedgerChanges } from '../ledger/ledger-changes';
import { RiskReader, type AccountRisk } from '../risk/risk-reader';
import { AccountsService } from './accounts.service';

/** Seconds between keep-alive comments on an idle stream (proxies close silent connections). */
export const KEEP_ALIVE_MS = 15_000;

/** Ledger view sections whose items are sent one event each when they change (key of an item → event type). */
const ITEM_SECTIONS: Record<string, { type: string; key: (item: Record<string, unknown>) => string }> = {
  collateral: { type: 'collateral', key: (c) => `${c.eid}:${c.assetId}` },
  positions: { type: 'position', key: (p) => String(p.marketId) },
  withdrawals: { type: 'withdrawal', key: (w) => `${w.eid}:${w.requestId}` },
};

type LedgerView = Record<string, unknown>;

/** One account's open streams, the ledger view they last saw and the risk it last had. */
class AccountStream {
  readonly subscribers = new Set<Subscriber<MessageEvent>>();
  view: LedgerView | null = null;
  private nextId = 1;
  private refreshing: Promise<void> = Promise.resolve();

  /** `address`: EIP-55 (the ledger's spelling); `account`: lower case (the map key). */
  constructor(
    readonly address: string,
    readonly account: string,
  ) {}

  send(type: string, data: object, to?: Subscriber<MessageEvent>): void {
    const event: MessageEvent = { type, id: String(this.nextId++), data };
    for (const subscriber of to ? [to] : this.subscribers) subscriber.next(event);
  }

  /** Serialized: two commits in a row are diffed in order. */
  queue(work: () => Promise<void>): Promise<void> {
    this.refreshing = this.refreshing.then(work, work);
    return this.refreshing;
  }
}

/**
 * The account stream behind `GET /v1/accounts/:address/events` (server-sent events). It listens to what the
 * aggregator already announces — committed ledger changes (LedgerChanges: deposits and withdrawals attested,
 * positions, credit pushes, withdrawal decisions) and risk changes (RiskReader: limit, health, liquidatable,
 * freezes) — and, for accounts someone is watching, re-reads the ledger view and sends what changed:
 * - `snapshot` once on connect: `{ account: <GET /v1/accounts/:a body or null>, risk: <risk result or null> }`;
 * - `ledger` after each committed change of the view: `{ changed: [<top-level keys>], account: <view> }`;
 * - then one event per changed item: `collateral`, `position`, `withdrawal` (the item's view), and per other changed
 *   top-level field its own event named after it (`credit`, and `cash`, `withdrawable`… as the view gains them),
 *   `{ value }`;
 * - `risk` when the live risk moved: `{ computedAt, result, frozen }`.
 * Events carry increasing ids per account. A comment every 15 s keeps idle connections open.
 */
@Injectable()
export class AccountEventsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AccountEventsService.name);
  private readonly streams = new Map<string, AccountStream>();
  private subscriptions: (Subscription | (() => void))[] = [];

  constructor(
    private readonly changes: LedgerChanges,
    private readonly risk: RiskReader,
    private readonly accounts: AccountsService,
  ) {}

  onModuleInit(): void {
    this.subscriptions.push(this.changes.changes.subscribe(({ accounts }) => this.onLedgerChange(accounts)));
    this.subscriptions.push(this.risk.subscribe((changed) => this.onRiskChange(changed)));
  }

  /** Ends every open stream (so a shutting-down server does not wait for its clients). */
  onApplicationShutdown(): void {
    for (const s of this.subscriptions) {
      if (typeof s === 'function') s();
      else s.unsubscribe();
    }
    for (const stream of this.streams.values()) for (const subscriber of stream.subscribers) subscriber.complete();
    this.streams.clear();
  }

  /** Number of accounts with at least one open stream (tests, metrics). */
  get watchedAccounts(): number {
    return this.streams.size;
  }

  /** `address` as the API's address parameter gives it (EIP-55 checksummed). */
  events(address: string): Observable<MessageEvent> {
    const account = address.toLowerCase();
    return new Observable<MessageEvent>((subscriber) => {
      let stream = this.streams.get(account);
      if (!stream) {
        stream = new AccountStream(address, account);
        this.streams.set(account, stream);
      }
      const own = stream;
      own.subscribers.add(subscriber);
      void own.queue(async () => {
        if (own.subscribers.size === 1 || own.view === null) own.view = await this.readView(address);
        const risk = this.risk.get(account);
        own.send('snapshot', { account: own.view, risk: risk ? riskEvent(risk) : null }, subscriber);
      });
      const keepAlive = setInterval(() => subscriber.next({ comment: 'keep-alive' } as MessageEvent), KEEP_ALIVE_MS);
      keepAlive.unref();
      return () => {
        clearInterval(keepAlive);
        own.subscribers.delete(subscriber);
        if (own.subscribers.size === 0 && this.streams.get(account) === own) this.streams.delete(account);
      };
    });
  }

  private onLedgerChange(accounts: ReadonlySet<string>): void {
    for (const changed of accounts) {
      const stream = this.streams.get(changed.toLowerCase());
      if (!stream) continue;
      void stream.queue(() => this.refresh(stream)).catch((error: Error) => this.logger.warn(`account stream ${stream.account}: ${error.message}`));
    }
  }

  private onRiskChange(changed: AccountRisk[]): void {
    for (const risk of changed) this.streams.get(risk.account.toLowerCase())?.send('risk', riskEvent(risk));
  }

  private async refresh(stream: AccountStream): Promise<void> {
    const before = stream.view;
    const after = await this.readView(stream.address);
    if (!after) return;
    stream.view = after;
    // An account's first view is compared with an empty one (no rows, null fields).
    const previous = (key: string) => before?.[key] ?? (Array.isArray(after[key]) ? [] : null);
    const changed = Object.keys(after).filter((key) => !sameJson(previous(key), after[key]));
    if (changed.length === 0) return;
    stream.send('ledger', { changed, account: after });
    for (const key of changed) {
      const section = ITEM_SECTIONS[key];
      if (!section) {
        if (key !== 'address') stream.send(key, { value: after[key] });
        continue;
      }
      const items = new Map((previous(key) as Record<string, unknown>[]).map((item) => [section.key(item), item]));
      for (const item of after[key] as Record<string, unknown>[]) {
        if (!sameJson(items.get(section.key(item)), item)) stream.send(section.type, item);
      }
    }
  }

  /** The account's ledger view (GET /v1/accounts/:a body), null while the ledger has no entry for it. */
  private async readView(address: string): Promise<LedgerView | null> {
    try {
      return (await this.accounts.account(address)) as LedgerView;
    } catch (error) {
      if (error instanceof NotFoundException) return null;
      throw error;
    }
  }
}

const riskEvent = (risk: AccountRisk) => ({ computedAt: new Date(risk.computedAt).toISOString(), result: risk.result, frozen: risk.frozen });

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
