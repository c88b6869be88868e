// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IAttestedCollateral} from "../interfaces/IAttestedCollateral.sol";

/// @notice Stand-in for the hub's attested collateral (unit tests of the CreditManager and the PerpMarket).
contract CollateralValueStub is IAttestedCollateral {
    mapping(address => uint256) public collateralValue;

    function set(address account, uint256 value) external {
        collateralValue[account] = value;
    }
}
