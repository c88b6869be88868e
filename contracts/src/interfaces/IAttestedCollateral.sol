// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IAttestedCollateral
/// @notice What the trading chain itself can see of an account's collateral: the vaults' attested balances at
/// the hub, valued at the oracle price and the hub's initial weight. The CreditManager caps usable credit by it,
/// so a pushed limit never buys more than the chain can see.
interface IAttestedCollateral {
    /// @notice Σ over the hub's listed (eid, asset) pairs of attested balance × oracle price × initial weight
    /// (1e18 USD, rounded down). A pair whose price is stale or unreadable counts 0 (conservative).
    function collateralValue(address account) external view returns (uint256);
}
