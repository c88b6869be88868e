import { ApiError, TributaryError } from '../core/errors';
import type {
  AccountLedgerBody,
  AccountRiskBody,
  ChainsBody,
  CreditStatusBody,
  OraclePricesBody,
  RiskChainsBody,
  RiskRequestBody,
  RiskResultBody,
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

  account(address: string): Promise<AccountLedgerBody | null> {
    return this.get<AccountLedgerBody>(`/v1/accounts/${address}`, true);
  }

  accountRisk(address: string): Promise<AccountRiskBody | null> {
    return this.get<AccountRiskBody>(`/v1/accounts/${address}/risk`, true);
  }

  withdrawals(address: string, query: { limit?: number; offset?: number; status?: string } = {}): Promise<WithdrawalsPageBody | null> {
    const search = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])));
    return this.get<WithdrawalsPageBody>(`/v1/accounts/${address}/withdrawals${search.size ? `?${search}` : ''}`, true);
  }

  /** GET /v1/accounts/:address/cash-history (newer aggregators; null where the route does not exist). */
  cashHistory(address: string): Promise<unknown> {
    return this.get<unknown>(`/v1/accounts/${address}/cash-history`, true);
  }

  /** GET /v1/pool: the settlement pool's solvency (newer aggregators; null where the route does not exist). */
  pool(): Promise<unknown> {
    return this.get<unknown>('/v1/pool', true);
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
