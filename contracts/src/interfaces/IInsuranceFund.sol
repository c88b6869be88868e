// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ISettlementPool} from "./ISettlementPool.sol";
import {ILiquidationRegistry} from "./ILiquidationRegistry.sol";

/// @title IInsuranceFund
/// @notice The trading chain's insurance fund. Inflows: half of every liquidation penalty, credited as cash of
/// this contract in the SettlementPool (PenaltyCharged), and quote tokens anyone `deposit`s. Outflow: `cover`
/// pays off the debt an account still has once its collateral is exhausted (no positions, no seizure in
/// flight, nothing attested at the hub: ILiquidationRegistry.collateralExhausted) — first from the fund's pool cash (moved to the account), then from
/// its quote tokens (repaid into the pool). If that is not enough the rest is bad debt: the pool records it
/// for the account and socializes it pro rata over positive cash (SettlementPool.socializeLoss).
/// @dev balance() = quote tokens held (USD) + max(0, the fund's pool cash). Anyone may call `cover`: every
/// condition is checked on chain.
interface IInsuranceFund {
    error ZeroAddress();
    error ZeroAmount();
    /// @notice `cover` of an account that has no debt (cash ≥ 0).
    error NoDebt(address account);
    /// @notice `cover` while the account still has collateral, positions or seizures in flight at the hub.
    error CollateralNotExhausted(address account);

    /// @notice Emitted when someone adds quote tokens to the fund.
    event Deposited(address indexed from, uint256 tokenAmount);
    /// @notice Emitted when the fund paid `account`'s debt: `fromCash` (USD 1e18) moved from the fund's pool cash,
    /// `fromTokens` quote tokens repaid into the pool, `badDebt` (USD 1e18) left for socialization.
    event DebtCovered(
        uint64 indexed liquidationId, address indexed account, uint256 debtUsd, uint256 fromCash, uint256 fromTokens, uint256 badDebt
    );
    /// @notice Emitted after every inflow or payout: the fund's balance (USD 1e18) and its two parts.
    event FundBalance(uint256 balanceUsd, uint256 tokenBalance, int256 poolCash);

    function quoteToken() external view returns (IERC20);

    function settlementPool() external view returns (ISettlementPool);

    function registry() external view returns (ILiquidationRegistry);

    /// @notice Quote tokens held (USD 1e18) + the fund's positive cash in the pool.
    function balance() external view returns (uint256 balanceUsd);

    /// @notice Pulls `tokenAmount` quote tokens from the caller into the fund.
    function deposit(uint256 tokenAmount) external;

    /// @notice Pays `account`'s debt once its collateral is exhausted (`CollateralNotExhausted`, `NoDebt`);
    /// the rest becomes socialized bad debt. Closes the account's liquidation in the registry.
    /// @return paidUsd debt paid by the fund (USD 1e18), `badDebt` the rest.
    function cover(address account) external returns (uint256 paidUsd, uint256 badDebt);
}
