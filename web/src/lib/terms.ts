/**
 * What each term of the unified margin means (docs/risk-model.md), shown on hover and focus. Keys are the names the
 * page uses; the text says what the number is and how it moves.
 */
export const TERMS = {
  collateral:
    'Collateral: every balance on every chain × oracle price × the asset’s haircut weight × the chain’s weight v_c, plus cash. “init” uses the stricter weights that set credit; “maint” the looser ones that set health.',
  var: 'Value at risk: z × √horizon × √(eᵀΣe), the portfolio’s stressed one-day loss at the model’s confidence, from every asset’s exposure (collateral and positions together; correlations stressed).',
  floor:
    'Floor: Σ |size| × price × margin ratio of every position (imr for init, mmr for maint). The perp market holds the init floor out of your credit.',
  requirement: 'Requirement: max(VaR, floor). Health compares the maintenance collateral with the maintenance requirement.',
  health:
    'Health = (maintenance collateral + adjusted uPnL) ÷ maintenance requirement. Below 1 the account is liquidatable; ∞ when nothing is required (no positions, no exposure to cover).',
  creditLimit:
    'Credit limit the trading chain applies now: the limit the aggregator last pushed plus cash realized since. The model’s limit L = max(0, C_init + Ua − max(0, VaR_init − F_init)).',
  modelCredit: 'The aggregator’s live credit limit L from the risk model; the pusher brings the chain’s limit in line with it (within 1 % or 1 USD).',
  used: 'Used: the initial margin your open positions hold out of the credit limit.',
  available: 'Available: what a new trade or a withdrawal may still take now (credit limit − used − reserved), as the CreditManager computes it.',
  cash: 'Cash: realized PnL − trading fees + repayments − cash withdrawn (USD). Positive cash can be withdrawn as USDC; negative cash is a debt backed by your collateral.',
  withdrawableCash:
    'Withdrawable cash: the largest withdrawCash the settlement pool allows now (positive cash, within your free credit and the pool’s liquidity).',
  withdrawable:
    'Withdrawable: the largest withdrawal of this asset on this chain that both the aggregator (post-withdrawal risk) and the hub (on-chain credit) would approve now.',
  upnl: 'Unrealized PnL: Σ size × (price − entry). A gain counts at the model’s pnl weight; a loss counts in full.',
  price:
    'Oracle price the risk engine uses, with its guard: “stale” (too old) or “deviating” (jumped past the guard) freezes credit increases for accounts holding the asset.',
  chainWeight: 'Chain weight v_c: how much collateral on the chain counts (1 = fully). It decays to 0 when the chain stops delivering messages.',
  inFlight: 'In flight: the vault attested a newer balance that the hub has not applied yet (LayerZero delivery in progress).',
} as const;

export type TermKey = keyof typeof TERMS;
