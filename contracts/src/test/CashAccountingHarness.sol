// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {CashAccounting} from "../libraries/CashAccounting.sol";

/// @notice Exposes CashAccounting to tests: a cash map with its totals.
contract CashAccountingHarness {
    using CashAccounting for CashAccounting.Totals;

    CashAccounting.Totals public totals;
    mapping(uint256 => int256) public cash;

    function set(uint256 account, int256 value) external {
        totals.replace(cash[account], value);
        cash[account] = value;
    }

    function equity(uint256 tokenBalanceUsd) external view returns (int256) {
        return CashAccounting.equity(totals, tokenBalanceUsd);
    }
}
