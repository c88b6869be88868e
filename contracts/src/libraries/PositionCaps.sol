// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IMarginHub} from "../interfaces/IMarginHub.sol";
import {AssetId} from "../types/Ids.sol";

/// @title PositionCaps
/// @notice The governed "risk appetite" of the perp market (docs/breakers-and-dampeners.md#caps): storage shapes and
/// the reads the checks need. Open interest and its caps are in units of the underlying (1e18), so "the market's
/// open interest never exceeds its cap" holds whatever the price does; the exposure cap is in USD because exposure
/// spans collateral and perps (docs/risk-model.md#4-exposure).
library PositionCaps {
    /// @dev Per market, read by every fill that raises |size| (units 1e18; 0 = no cap).
    struct MarketCaps {
        /// @dev Largest Σ |size| over accounts.
        uint128 openInterest;
        /// @dev Largest |size| of one account.
        uint128 account;
    }

    /// @dev Per asset: read by every fill that raises |size| on a market of the asset.
    struct AssetCaps {
        /// @dev Per-account |exposure| cap, USD 1e18; 0 = no cap.
        uint128 exposureCap;
        /// @dev Bit i set = market i trades this asset (MAX_MARKETS = 32).
        uint32 markets;
    }

    /// @notice The net exposure of `account` in units (1e18): attested collateral plus `perpUnits`.
    function exposureUnits(IMarginHub hub, address account, AssetId assetId, int256 perpUnits) internal view returns (int256) {
        return int256(collateralUnits(hub, account, assetId)) + perpUnits;
    }

    /// @notice Units (1e18) of `assetId` the hub holds attested for `account`, summed over every chain listing it.
    /// @dev Walks the hub's (eid, asset) keys (≤ MAX_CHAIN_ASSETS); one attestation read per chain of the asset.
    function collateralUnits(IMarginHub hub, address account, AssetId assetId) internal view returns (uint256 units) {
        if (address(hub) == address(0)) return 0;
        (uint32[] memory eids, AssetId[] memory assets) = hub.chainAssetKeys();
        for (uint256 i; i < eids.length; ++i) {
            if (!(assets[i] == assetId)) continue;
            uint256 balance = hub.attestation(account, eids[i], assetId).balance;
            if (balance == 0) continue;
            (, uint8 decimals) = hub.chainAsset(eids[i], assetId);
            units += decimals <= 18 ? balance * 10 ** (18 - decimals) : balance / 10 ** (decimals - 18);
        }
    }
}
