// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title AuctionMath
/// @notice Pure math of the Dutch collateral auction (Maker Clipper's LinearDecrease, with a floor).
/// Prices are 1e18 USD per whole collateral token; amounts are token units of `decimals`.
library AuctionMath {
    uint256 internal constant WAD = 1e18;

    /// @notice Price `elapsed` seconds into a curve from `start` to `floor` over `duration`: linear, then `floor`.
    /// Non-increasing in `elapsed` whenever floor ≤ start.
    function price(uint256 start, uint256 floor, uint256 elapsed, uint256 duration) internal pure returns (uint256) {
        if (elapsed >= duration || start <= floor) return start <= floor ? start : floor;
        return start - ((start - floor) * elapsed) / duration;
    }

    /// @notice USD (1e18) value of `amount` token units at `px` (rounded down).
    function value(uint256 amount, uint8 decimals, uint256 px) internal pure returns (uint256) {
        return Math.mulDiv(amount, px, 10 ** decimals);
    }

    /// @notice Token units worth `usd` at `px`, rounded up (what covers a USD amount).
    function amountFor(uint256 usd, uint8 decimals, uint256 px) internal pure returns (uint256) {
        return Math.mulDiv(usd, 10 ** decimals, px, Math.Rounding.Ceil);
    }

    /// @notice One take: buys at most `maxAmount` of `remaining`, and no more than what raises `owedUsd`.
    /// @return bought token units sold, `costUsd` their price (USD 1e18, rounded up, ≤ owedUsd when capped).
    function take(uint256 remaining, uint256 maxAmount, uint256 owedUsd, uint8 decimals, uint256 px)
        internal
        pure
        returns (uint256 bought, uint256 costUsd)
    {
        bought = maxAmount < remaining ? maxAmount : remaining;
        costUsd = Math.mulDiv(bought, px, 10 ** decimals, Math.Rounding.Ceil);
        if (costUsd > owedUsd) {
            // Sell only what covers the debt: the rest of the lot goes back to the account.
            bought = amountFor(owedUsd, decimals, px);
            if (bought > remaining) bought = remaining;
            costUsd = owedUsd;
        }
    }

    /// @notice Quote-token units paying `usd` (rounded up): the taker never underpays.
    function quoteUnits(uint256 usd, uint256 usdPerUnit) internal pure returns (uint256) {
        return Math.ceilDiv(usd, usdPerUnit);
    }
}
