// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title StablePrice
/// @notice The dampener's stable price on chain (docs/breakers-and-dampeners.md#stable-price-the-dampener), the twin of
/// risk/src/stable-price.ts: between two updates `elapsed` seconds of on-chain time apart, s moves toward the oracle
/// price p by min(|p − s|, s · δ · elapsed / τ), never past p. δ is 1e18 fixed point; prices in any one unit.
library StablePrice {
    uint256 internal constant WAD = 1e18;

    function step(uint256 stable, uint256 oracle, uint256 elapsed, uint256 maxStep, uint256 interval)
        internal
        pure
        returns (uint256)
    {
        uint256 allowance = (stable * maxStep * elapsed) / (interval * WAD);
        if (oracle > stable) return oracle - stable <= allowance ? oracle : stable + allowance;
        return stable - oracle <= allowance ? oracle : stable - allowance;
    }
}
