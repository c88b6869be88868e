import { ApiError, TributaryError } from '../core/errors';
import type {
  AccountRiskBody,
  CashHistoryBody,
  ChainsBody,
  CreditStatusBody,
  InsuranceFundBody,
  LiquidationBody,
  LiquidationsBody,
  LotsBody,
  OraclePricesBody,
  PoolBody,
  RiskBookBody,
  RiskChainsBody,
  RiskHistoryBody,
  RiskRequestBody,
  RiskResultBody,
  TolerantAccountLedger,
  WithdrawalsPageBody,
} from './types';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Typed client of the aggregator's REST API (`/v1`, OpenAPI at `/docs`). Routes that answer 404 for an account the
 * ledger does not know yet return null; any other error status is an `ApiError`, a refused connection
 * `api-unreachable`.
 */
export class AggregatorApi {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** The account's ledger; `cash`, `withdrawable`, `withdrawableCash` and withdrawal `reasonName`/`deadline` are absent on aggregators older than issue 14. */
  account(address: string): Promise<TolerantAccountLedger | null> {
    return this.get<TolerantAccountLedger>(`/v1/accounts/${address}`, true);
  }

  accountRisk(address: string): Promise<AccountRiskBody | null> {
    return this.get<AccountRiskBody>(`/v1/accounts/${address}/risk`, true);
  }

  /** Risk snapshots of the account, newest first (null: unknown account). */
  riskHistory(address: string, query: { limit?: number; offset?: number } = {}): Promise<RiskHistoryBody | null> {
    return this.get<RiskHistoryBody>(`/v1/accounts/${address}/risk/history${searchOf(query)}`, true);
  }

  withdrawals(address: string, query: { limit?: number; offset?: number; status?: string } = {}): Promise<WithdrawalsPageBody | null> {
    return this.get<WithdrawalsPageBody>(`/v1/accounts/${address}/withdrawals${searchOf(query)}`, true);
  }

  /** Changes of the account's cash, newest first (null: unknown account, or an aggregator without the route). */
  cashHistory(address: string, query: { limit?: number; offset?: number } = {}): Promise<CashHistoryBody | null> {
    return this.get<CashHistoryBody>(`/v1/accounts/${address}/cash-history${searchOf(query)}`, true);
  }

  /** The settlement pool's solvency (null on an aggregator without the route). */
  pool(): Promise<PoolBody | null> {
    return this.get<PoolBody>('/v1/pool', true);
  }

  chains(): Promise<ChainsBody> {
    return this.required(this.get<ChainsBody>('/v1/chains'));
  }

  riskChains(): Promise<RiskChainsBody> {
    return this.required(this.get<RiskChainsBody>('/v1/risk/chains'));
  }

  oraclePrices(): Promise<OraclePricesBody> {
    return this.required(this.get<OraclePricesBody>('/v1/oracle/prices'));
  }

  /** The live risk book: health histogram and the accounts nearest to liquidation. */
  riskBook(query: { nearest?: number } = {}): Promise<RiskBookBody> {
    return this.required(this.get<RiskBookBody>(`/v1/risk/book${searchOf(query)}`));
  }

  /** Each account's liquidation stage (the keeper's latest run). */
  liquidations(query: { limit?: number; offset?: number } = {}): Promise<LiquidationsBody> {
    return this.required(this.get<LiquidationsBody>(`/v1/liquidations${searchOf(query)}`));
  }

  /** One liquidation of the registry (null when not indexed). */
  liquidation(liquidationId: string | bigint): Promise<LiquidationBody | null> {
    return this.get<LiquidationBody>(`/v1/liquidations/${liquidationId}`, true);
  }

  /** Auction lots on every collateral chain (open ones with their price now). */
  lots(query: { status?: 'open' | 'closed' | 'all'; limit?: number; offset?: number } = {}): Promise<LotsBody> {
    return this.required(this.get<LotsBody>(`/v1/auctions/lots${searchOf(query)}`));
  }

  /** The insurance fund: balance, inflows, payouts and bad debt. */
  insuranceFund(): Promise<InsuranceFundBody> {
    return this.required(this.get<InsuranceFundBody>('/v1/insurance-fund'));
  }

  creditStatus(): Promise<CreditStatusBody> {
    return this.required(this.get<CreditStatusBody>('/v1/credit/status'));
  }

  /** POST /v1/risk/evaluate: the risk model on the given inputs. */
  evaluate(body: RiskRequestBody): Promise<RiskResultBody> {
    return this.required(this.request<RiskResultBody>('/v1/risk/evaluate', { method: 'POST', body: JSON.stringify(body) }));
  }

  /** The URL of an account's event stream (server-sent events). */
  eventsUrl(address: string): string {
    return `${this.baseUrl}/v1/accounts/${address}/events`;
  }

  /** Raw fetch with the API's error handling (the event stream uses it). */
  async open(path: string, init: RequestInit = {}): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, init);
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new TributaryError('api-unreachable', `aggregator at ${this.baseUrl} is unreachable (${causeOf(error)})`, { url });
    }
    return response;
  }

  private get<T>(path: string, nullOn404 = false): Promise<T | null> {
    return this.request<T>(path, { method: 'GET' }, nullOn404);
  }

  private async request<T>(path: string, init: RequestInit, nullOn404 = false): Promise<T | null> {
    const response = await this.open(path, { ...init, headers: { accept: 'application/json', 'content-type': 'application/json' } });
    if (response.status === 404 && nullOn404) return null;
    if (!response.ok) throw new ApiError(response.status, `${this.baseUrl}${path}`, await errorMessage(response));
    return (await response.json()) as T;
  }

  private async required<T>(value: Promise<T | null>): Promise<T> {
    return (await value)!;
  }
}

function searchOf(query: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])));
  return search.size ? `?${search}` : '';
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    return Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? '');
  } catch {
    return '';
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
