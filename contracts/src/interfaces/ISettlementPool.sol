// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ICreditManager} from "./ICreditManager.sol";
import {IMarginHub} from "./IMarginHub.sol";

/// @title ISettlementPool
/// @notice The trading chain's bank: holds the quote token (USDC) and every account's signed USD `cash`.
/// The PerpMarket's counterparty: a winner's realized gain is a claim on the pool, a loser's loss a debt to it.
/// Trading fees are charged to cash. Paying the quote token in (`repay`) raises cash; positive cash is
/// withdrawable as the quote token (`withdrawCash`) under the same checks as a collateral withdrawal.
/// @dev Cash is USD in 1e18 fixed point, signed. The quote token counts at 1 USD per unit:
/// USD = token units × 10^(18 − decimals). `totalPositiveCash` and `totalDebt` are kept incrementally, so
/// `solvency()` is O(1): equity = token balance (USD) + total debt − total positive cash.
/// Socialized loss (bad debt the insurance fund could not pay) lowers every positive cash balance pro rata in O(1):
/// a pool-wide `lossIndex` (1e36 = no loss) multiplies by (1 − loss / totalPositiveCash); each account's positive
/// cash is stored with the index it was last written at and read as stored × lossIndex / storedIndex (negative
/// cash is not touched). The totals move by the loss at once; per-account rounding is down (dust stays in equity).
interface ISettlementPool {
    /// @notice Why an account's cash changed. Append-only: the ledger stores the number.
    enum CashReason {
        RealizedPnl,
        TradingFee,
        Repayment,
        Withdrawal,
        /// @dev Liquidation penalty charged to the liquidated account (negative).
        LiquidationPenalty,
        /// @dev The liquidator's half of a penalty (positive).
        LiquidationReward,
        /// @dev The insurance fund's half of a penalty (positive, on the fund's own cash).
        InsuranceShare,
        /// @dev Auction proceeds of seized collateral (positive; backed by quote tokens the chain's auction holds).
        AuctionProceeds,
        /// @dev The insurance fund paid the account's debt from its cash (positive on the account, negative on the fund).
        InsuranceCover,
        /// @dev Debt the fund could not pay, written off to 0 and socialized (positive).
        BadDebtWriteOff
    }

    error ZeroAddress();
    error ZeroAmount();
    error UnsupportedQuoteDecimals(uint8 decimals);
    /// @notice `withdrawCash` amounts must be whole quote-token units (a multiple of 10^(18 − decimals)).
    error AmountNotTokenMultiple(uint256 usdAmount, uint256 unit);
    error CashOverflow(address account);
    /// @notice The account's push is older than the CreditManager's `staleAfter`.
    error CreditStale(address account, uint256 updatedAt);
    /// @notice The account carries a liquidation mark.
    error AccountLiquidatable(address account);
    /// @notice The hub has a seizure of the account's collateral in flight.
    error SeizureInFlight(address account, uint256 seizures);
    /// @notice On-chain available credit does not cover the withdrawn amount.
    error InsufficientCredit(address account, uint256 requested, uint256 available);
    /// @notice The withdrawal would leave cash below zero.
    error InsufficientCash(address account, uint256 requested, int256 cash);
    /// @notice The pool holds fewer tokens than the withdrawal pays.
    error InsufficientPoolLiquidity(uint256 requestedTokens, uint256 heldTokens);
    /// @notice `coverFromCash` above the fund's positive cash or the account's debt.
    error CoverExceedsAvailable(uint256 requested, uint256 available);
    /// @notice `socializeLoss` above the account's debt.
    error WriteOffExceedsDebt(address account, uint256 amount, uint256 debt);

    /// @notice Emitted on every change of an account's cash.
    /// @param delta signed change (1e18 USD); `cashAfter` the account's cash after it.
    event CashChanged(address indexed account, CashReason indexed reason, int256 delta, int256 cashAfter);
    /// @notice Emitted when someone adds pool equity (no cash credited).
    event Funded(address indexed from, uint256 tokenAmount);
    /// @notice Emitted when a liquidation's penalty is charged: `penalty` off `account`'s cash, `keeperShare` to the
    /// liquidator's cash, `fundShare` (= penalty − keeperShare) to the insurance fund's cash (each also a CashChanged).
    event PenaltyCharged(
        uint64 indexed liquidationId,
        address indexed account,
        address indexed keeper,
        address fund,
        uint256 penalty,
        uint256 keeperShare,
        uint256 fundShare
    );
    /// @notice Emitted when the hub credits auction proceeds (USD 1e18) of seizure `seizureId` to `account`'s cash.
    event AuctionProceedsCredited(uint64 indexed liquidationId, uint64 indexed seizureId, address indexed account, uint256 proceedsUsd);
    /// @notice Emitted when `account`'s unpaid debt `amount` is written off: `socialized` of it lowers positive cash
    /// pro rata (`lossIndex` after, 1e36 scale); `unsocialized` (no positive cash left to bear it) lowers pool equity.
    event LossSocialized(address indexed account, uint256 amount, uint256 socialized, uint256 unsocialized, uint256 lossIndex);

    /// @notice Role of the PerpMarket (the only caller of `settle` and `chargePenalty`).
    function MARKET_ROLE() external view returns (bytes32);

    /// @notice Role of the MarginHub (`creditAuctionProceeds`).
    function HUB_ROLE() external view returns (bytes32);

    /// @notice Role of the InsuranceFund (`coverFromCash`, `socializeLoss`).
    function FUND_ROLE() external view returns (bytes32);

    /// @notice Pool-wide multiplier of positive cash (1e36 = no socialized loss yet; only decreases).
    function lossIndex() external view returns (uint256);

    /// @notice Debt written off for `account` (USD 1e18, cumulative).
    function badDebtOf(address account) external view returns (uint256);

    /// @notice Σ written-off debt (USD 1e18): socialized + unsocialized.
    function totalBadDebt() external view returns (uint256);

    /// @notice Part of written-off debt no positive cash was left to bear (USD 1e18): a loss of pool equity.
    function unsocializedLoss() external view returns (uint256);

    function quoteToken() external view returns (IERC20);

    /// @notice 10^(18 − quote decimals): USD (1e18) per quote-token unit.
    function usdPerTokenUnit() external view returns (uint256);

    function creditManager() external view returns (ICreditManager);

    function hub() external view returns (IMarginHub);

    /// @notice Signed cash of `account` (1e18 USD): realized PnL − fees + repayments − withdrawals.
    function cashOf(address account) external view returns (int256);

    /// @notice Σ max(0, cash) over accounts (1e18 USD).
    function totalPositiveCash() external view returns (uint256);

    /// @notice Σ max(0, −cash) over accounts (1e18 USD).
    function totalDebt() external view returns (uint256);

    /// @notice Token balance in USD, the two totals and equity = tokenBalanceUsd + totalDebt − totalPositiveCash.
    function solvency()
        external
        view
        returns (uint256 tokenBalanceUsd, uint256 totalPositiveCash, uint256 totalDebt, int256 equity);

    /// @notice Largest `withdrawCash` amount (1e18 USD, whole token units) that passes every check right now
    /// for `account`; 0 when a check fails.
    function withdrawableCash(address account) external view returns (uint256);

    /// @notice MARKET_ROLE: cash += realizedPnl − fee. Emits one CashChanged per non-zero part.
    function settle(address account, int256 realizedPnl, uint256 fee) external;

    /// @notice MARKET_ROLE: charges a liquidation penalty to `account`'s cash; `penalty / 2` (rounded down) goes to
    /// `keeper`'s cash, the rest to `fund`'s cash. Cash is conserved: Σ cash does not change.
    function chargePenalty(uint64 liquidationId, address account, uint256 penalty, address keeper, address fund) external;

    /// @notice HUB_ROLE: cash += proceedsUsd for an AUCTION_RESULT (the quote tokens stay in the collateral chain's
    /// auction: this credit is backed by them, not by tokens in this pool).
    function creditAuctionProceeds(uint64 liquidationId, uint64 seizureId, address account, uint256 proceedsUsd) external;

    /// @notice FUND_ROLE: moves `usdAmount` of the caller's (the fund's) positive cash to `account`, whose debt it
    /// pays (`CoverExceedsAvailable` above either).
    function coverFromCash(address account, uint256 usdAmount) external;

    /// @notice FUND_ROLE: writes `account`'s remaining debt `usdAmount` off (cash += usdAmount, ≤ its debt) and
    /// socializes it over positive cash (see the contract notes); records it in `badDebtOf`.
    function socializeLoss(address account, uint256 usdAmount) external;

    /// @notice Pulls `tokenAmount` quote tokens from the caller and credits `account`'s cash (repays a debt,
    /// or tops cash up).
    function repay(address account, uint256 tokenAmount) external;

    /// @notice Pulls `tokenAmount` quote tokens from the caller as pool equity (no cash credited).
    function fund(uint256 tokenAmount) external;

    /// @notice Pays `usdAmount` (1e18 USD, whole token units) of the caller's positive cash as quote tokens.
    /// Requires: fresh push, no liquidation mark, no seizure in flight, available credit ≥ amount (weight 1),
    /// cash ≥ amount, and the pool holding the tokens. Each failure reverts with its own error.
    function withdrawCash(uint256 usdAmount) external;
}
