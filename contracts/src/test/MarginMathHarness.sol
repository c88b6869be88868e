// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {MarginMath} from "../libraries/MarginMath.sol";

/// @notice Exposes MarginMath to tests.
contract MarginMathHarness {
    function haircutValue(uint256 amount, uint8 decimals, uint256 price, uint256 weight) external pure returns (uint256) {
        return MarginMath.haircutValue(amount, decimals, price, weight);
    }

    function margin(uint256 absSize, uint256 price, uint256 ratio) external pure returns (uint256) {
        return MarginMath.margin(absSize, price, ratio);
    }

    function readPrice(AggregatorV3Interface feed, uint256 maxAge) external view returns (uint256) {
        return MarginMath.readPrice(feed, maxAge);
    }

    function abs(int256 x) external pure returns (uint256) {
        return MarginMath.abs(x);
    }
}
