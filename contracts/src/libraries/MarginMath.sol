// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @title MarginMath
/// @notice Fixed-point helpers shared by the hub and the market. WAD = 1e18; prices are 1e18 USD per unit.
library MarginMath {
    uint256 internal constant WAD = 1e18;

    error PriceStale(address feed, uint256 updatedAt);
    error PriceNotPositive(address feed, int256 answer);

    /// @notice USD value (1e18) of `amount` token units with `decimals`, at `price`, times `weight` (1e18 = 1).
    function haircutValue(uint256 amount, uint8 decimals, uint256 price, uint256 weight) internal pure returns (uint256) {
        return (((amount * price) / (10 ** decimals)) * weight) / WAD;
    }

    /// @notice |size| × price × ratio, all 1e18 fixed point; rounds up (margin is a requirement).
    function margin(uint256 absSize, uint256 price, uint256 ratio) internal pure returns (uint256) {
        uint256 notional = _mulDivUp(absSize, price, WAD);
        return _mulDivUp(notional, ratio, WAD);
    }

    /// @notice Taker fee |size| × price × rate, all 1e18 fixed point; rounds up (charged to the trader).
    function fee(uint256 absSize, uint256 price, uint256 rate) internal pure returns (uint256) {
        return margin(absSize, price, rate);
    }

    /// @notice Price (1e18) from a Chainlink-compatible feed; reverts if non-positive or older than `maxAge`.
    function readPrice(AggregatorV3Interface feed, uint256 maxAge) internal view returns (uint256) {
        (, int256 answer,, uint256 updatedAt,) = feed.latestRoundData();
        if (answer <= 0) revert PriceNotPositive(address(feed), answer);
        if (block.timestamp > updatedAt + maxAge) revert PriceStale(address(feed), updatedAt);
        uint8 decimals = feed.decimals();
        uint256 value = uint256(answer);
        return decimals <= 18 ? value * 10 ** (18 - decimals) : value / 10 ** (decimals - 18);
    }

    /// @notice `readPrice` that never reverts: `ok` false (price 0) when the feed reverts, answers a non-positive
    /// price or is older than `maxAge`. For valuations that must stay computable and count the unknown as 0.
    function tryReadPrice(AggregatorV3Interface feed, uint256 maxAge) internal view returns (bool ok, uint256 price) {
        try feed.latestRoundData() returns (uint80, int256 answer, uint256, uint256 updatedAt, uint80) {
            if (answer <= 0 || (block.timestamp > updatedAt && block.timestamp - updatedAt > maxAge)) return (false, 0);
            try feed.decimals() returns (uint8 decimals) {
                uint256 value = uint256(answer);
                if (decimals > 36 || value > type(uint128).max) return (false, 0);
                return (true, decimals <= 18 ? value * 10 ** (18 - decimals) : value / 10 ** (decimals - 18));
            } catch {
                return (false, 0);
            }
        } catch {
            return (false, 0);
        }
    }

    function abs(int256 x) internal pure returns (uint256) {
        return x >= 0 ? uint256(x) : uint256(-x);
    }

    function _mulDivUp(uint256 a, uint256 b, uint256 d) private pure returns (uint256) {
        uint256 product = a * b;
        return product == 0 ? 0 : (product - 1) / d + 1;
    }
}
