import type { SignedTx, TxJournal, TxRequest } from '@tributary/service-kit';

/** An on-chain position of the account (PerpMarket), exact. */
export interface ChainPosition {
  marketId: number;
  /** Signed size, 1e18. */
  size: bigint;
}

/** What the keeper reads from the chains about one account right before deciding. */
export interface ChainObservation {
  marked: boolean;
  positions: ChainPosition[];
  /** SettlementPool cash, 1e18 USD signed. */
  cash: bigint;
  /** SettlementPool.badDebtOf, 1e18 USD. */
  badDebt: bigint;
  /** LiquidationRegistry.activeLiquidation (0n: none). */
  activeLiquidation: bigint;
  /** LiquidationRegistry.liquidation(active).seizures (0 without one). */
  seizureCount: number;
  /** MarginHub.debtInFlight (1e18 USD). */
  inFlightDebt: bigint;
  /** MarginHub.seizuresInFlight > 0. */
  inFlight: boolean;
  /** LiquidationRegistry.uncoveredDebt > 0 and MarginHub.quoteSeize answers. */
  canSeize: boolean;
  /** LiquidationRegistry.collateralExhausted. */
  exhausted: boolean;
  /** eth_getTransactionCount(keeper, latest). */
  minedNonce: number;
}

export interface SentTx {
  hash: string;
  reverted: boolean;
}

/**
 * The liquidation contracts as the keeper uses them (PerpMarket.liquidate, LiquidationRegistry.openLiquidation /
 * closeLiquidation, MarginHub.seize, InsuranceFund.cover). Requests are simulated when built: a step that would revert throws
 * with the decoded error, so nothing is sent.
 */
export interface KeeperChain {
  readonly disabledReason: string | null;
  observe(account: string): Promise<ChainObservation>;
  liquidateRequest(account: string, fractionWad: bigint): Promise<TxRequest>;
  openRequest(account: string): Promise<TxRequest>;
  /** seize(account) paying quoteSeize's fee as value. */
  seizeRequest(account: string): Promise<TxRequest>;
  settleRequest(account: string): Promise<TxRequest>;
  closeRequest(account: string): Promise<TxRequest>;
  /** Signs (recording in `journal` before broadcast), broadcasts and waits until mined. */
  send(request: TxRequest, journal: TxJournal): Promise<SentTx>;
  /** Broadcasts a signed transaction again (after a restart while its nonce is unmined). */
  rebroadcast(raw: string): Promise<void>;
}

/** The risk side the keeper needs, in the book's terms. */
export interface KeeperRiskView {
  /** Accounts the risk engine sees with health < 1 (lower-case). */
  liquidatable(): string[];
  isLiquidatable(account: string): boolean;
  /** True when the book's positions and cash of the account equal the chain's. */
  inSync(account: string, chain: Pick<ChainObservation, 'positions' | 'cash'>): boolean;
  /** The plan's fraction for the account on the live book (DESIGN liquidation plan), 0.1 … 1.0. */
  planFraction(account: string): number;
}

/** A journal that hands every signed transaction to `write` before it is broadcast. */
export function journalOf(write: (tx: SignedTx) => Promise<void>): TxJournal {
  return { record: write };
}
