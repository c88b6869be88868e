// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice Identifies one collateral asset; the same id names the same asset on every chain.
type AssetId is uint16;

/// @notice Sequence number of a credit-limit batch pushed by the aggregator; strictly increasing.
type Epoch is uint64;

using {assetIdEq as ==} for AssetId global;

function assetIdEq(AssetId a, AssetId b) pure returns (bool) {
    return AssetId.unwrap(a) == AssetId.unwrap(b);
}
