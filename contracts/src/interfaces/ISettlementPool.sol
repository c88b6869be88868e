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
interface ISettlementPool {
    /// @notice Why an account's cash changed. Append-only: the ledger stores the number.
    enum CashReason {
        RealizedPnl,
        TradingFee,
        Repayment,
        Withdrawal
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

    /// @notice Emitted on every change of an account's cash.
    /// @param delta signed change (1e18 USD); `cashAfter` the account's cash after it.
    event CashChanged(address indexed account, CashReason indexed reason, int256 delta, int256 cashAfter);
    /// @notice Emitted when someone adds pool equity (no cash credited).
    event Funded(address indexed from, uint256 tokenAmount);

    /// @notice Role of the PerpMarket (the only caller of `settle`).
    function MARKET_ROLE() external view returns (bytes32);

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
