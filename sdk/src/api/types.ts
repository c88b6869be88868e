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
/** GET /v1/accounts/:address/risk/history (newest first) */
export type RiskHistoryBody = OkBody<'AccountRiskController_history'>;
/** GET /v1/risk/book */
export type RiskBookBody = OkBody<'RiskController_book'>;
/** GET /v1/liquidations */
export type LiquidationsBody = OkBody<'LiquidationController_list'>;
/** GET /v1/liquidations/:liquidationId */
export type LiquidationBody = OkBody<'LiquidationController_liquidation'>;
/** GET /v1/auctions/lots */
export type LotsBody = OkBody<'LiquidationController_lots'>;
/** GET /v1/insurance-fund */
export type InsuranceFundBody = OkBody<'LiquidationController_fund'>;
/** POST /v1/risk/evaluate: request and result. */
export type RiskRequestBody = RequestBody<'RiskController_evaluate'>;
export type RiskResultBody = OkBody<'RiskController_evaluate'>;

/** GET /v1/accounts/:address/cash-history */
export type CashHistoryBody = OkBody<'AccountsController_cashHistory'>;
/** GET /v1/pool */
export type PoolBody = OkBody<'PoolController_state'>;

/**
 * Fields of the account body that older aggregators (before issue 14's money side) do not send: the SDK reads them
 * through this view and falls back to the chain (or its own search) when one is absent.
 */
type MoneyFields = 'cash' | 'withdrawable' | 'withdrawableCash';
export type TolerantAccountLedger = Omit<AccountLedgerBody, MoneyFields | 'withdrawals'> &
  Partial<Pick<AccountLedgerBody, MoneyFields>> & {
    withdrawals: (Omit<WithdrawalBody, 'reasonName' | 'deadline'> & Partial<Pick<WithdrawalBody, 'reasonName' | 'deadline'>>)[];
  };
/** One entry of the account's `withdrawable`: the largest withdrawal of an asset on a chain both keys approve now. */
export type WithdrawableEntry = NonNullable<AccountLedgerBody['withdrawable']>[number];
