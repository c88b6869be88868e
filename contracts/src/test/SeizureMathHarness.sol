// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {SeizureMath} from "../libraries/SeizureMath.sol";

/// @notice Exposes SeizureMath to tests.
contract SeizureMathHarness {
    function plan(uint256 uncoveredDebt, uint256 penalty, uint256 available, uint256 price, uint8 decimals)
        external
        pure
        returns (uint256 amount, uint256 debtUsd, uint256 value)
    {
        return SeizureMath.plan(uncoveredDebt, penalty, available, price, decimals);
    }
}
