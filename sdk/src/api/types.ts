import type { operations } from '../../generated/aggregator-openapi';

/**
 * The aggregator API's bodies, taken from the types generated from its OpenAPI document
 * (sdk/generated/aggregator-openapi.d.ts, `npm run generate -w @tributary/sdk`), never written by hand.
 */
type JsonBody<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type OkBody<Op extends keyof operations> = operations[Op] extends { responses: { 200: infer R } } ? JsonBody<R> : never;
export type RequestBody<Op extends keyof operations> = operations[Op] extends { requestBody?: infer R } ? JsonBody<NonNullable<R>> : never;

/** GET /v1/accounts/:address */
export type AccountLedgerBody = OkBody<'AccountsController_account'>;
/** GET /v1/accounts/:address/risk */
export type AccountRiskBody = OkBody<'AccountRiskController_account'>;
/** GET /v1/accounts/:address/withdrawals */
export type WithdrawalsPageBody = OkBody<'AccountsController_withdrawals'>;
export type WithdrawalBody = WithdrawalsPageBody['items'][number];
/** GET /v1/chains */
export type ChainsBody = OkBody<'ChainsController_list'>;
/** GET /v1/risk/chains */
export type RiskChainsBody = OkBody<'RiskController_chains'>;
/** GET /v1/oracle/prices */
export type OraclePricesBody = OkBody<'OracleController_prices'>;
/** GET /v1/credit/status */
export type CreditStatusBody = OkBody<'CreditController_status'>;
/** POST /v1/risk/evaluate: request and result. */
export type RiskRequestBody = RequestBody<'RiskController_evaluate'>;
export type RiskResultBody = OkBody<'RiskController_evaluate'>;

/**
 * Fields the aggregator is gaining (issue 14's money: cash, withdrawable amounts, withdrawal reason names, the
 * settlement pool). Read through these when the generated types do not have them yet: each is optional, and the SDK
 * falls back to the chain when one is absent.
 */
export interface UpcomingAccountFields {
  /** Signed cash, 1e18 USD, decimal string. */
  cash?: string;
  /** Per chain and asset: what the decider would approve now (base units, decimal string). */
  withdrawable?: { eid: number; assetId: number; amount: string }[];
}
export interface UpcomingWithdrawalFields {
  reasonName?: string | null;
}
