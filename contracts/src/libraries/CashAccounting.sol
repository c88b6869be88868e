// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title CashAccounting
/// @notice Signed cash balances and the pool-wide totals kept beside them: Σ positive cash (claims on the
/// pool) and Σ debt (what accounts owe it). Every balance change moves the totals by the change of each
/// sign part, so the totals always equal the sums over accounts without iterating them.
library CashAccounting {
    /// @dev One slot: both totals are rewritten on every change (1e18 USD; 2^128 ≈ 3.4e20 USD).
    struct Totals {
        uint128 positiveCash;
        uint128 debt;
    }

    /// @notice max(0, x).
    function positivePart(int256 x) internal pure returns (uint256) {
        return x > 0 ? uint256(x) : 0;
    }

    /// @notice max(0, −x).
    function negativePart(int256 x) internal pure returns (uint256) {
        return x < 0 ? uint256(-x) : 0;
    }

    /// @notice Moves the totals from an account's cash `before` to `after`. The positive total saturates at 0 when
    /// removing: after a socialized loss each balance is read rounded down through an index while the total moved by
    /// the exact loss, so the total may differ from the sum by rounding dust (see SettlementPool).
    function replace(Totals storage totals, int256 before, int256 after_) internal {
        Totals memory t = totals;
        uint256 removed = positivePart(before);
        uint256 kept = t.positiveCash > removed ? t.positiveCash - removed : 0;
        totals.positiveCash = SafeCast.toUint128(kept + positivePart(after_));
        totals.debt = SafeCast.toUint128(t.debt - negativePart(before) + negativePart(after_));
    }

    /// @notice equity = tokens (USD) + debt − positive cash: what the pool keeps once every account settles.
    function equity(Totals memory totals, uint256 tokenBalanceUsd) internal pure returns (int256) {
        return SafeCast.toInt256(tokenBalanceUsd) + int256(uint256(totals.debt)) - int256(uint256(totals.positiveCash));
    }
}
