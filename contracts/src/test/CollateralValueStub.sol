// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IAttestedCollateral} from "../interfaces/IAttestedCollateral.sol";
import {IMarginHub} from "../interfaces/IMarginHub.sol";
import {AssetId} from "../types/Ids.sol";

/// @notice Stand-in for the hub's attested collateral (unit tests of the CreditManager and the PerpMarket): a value
/// per account, and the hub's per-chain attested balances the PerpMarket's exposure cap reads.
contract CollateralValueStub is IAttestedCollateral {
    mapping(address => uint256) public collateralValue;
    mapping(address => mapping(uint32 => mapping(AssetId => uint128))) private _balances;
    mapping(uint32 => mapping(AssetId => uint8)) private _decimals;
    uint32[] private _eids;
    AssetId[] private _assets;

    function set(address account, uint256 value) external {
        collateralValue[account] = value;
    }

    /// @notice Lists (eid, asset) with `decimals` on first use and sets the account's attested balance there.
    function setBalance(address account, uint32 eid, AssetId assetId, uint8 decimals, uint128 balance) external {
        if (_decimals[eid][assetId] == 0) {
            _eids.push(eid);
            _assets.push(assetId);
        }
        _decimals[eid][assetId] = decimals;
        _balances[account][eid][assetId] = balance;
    }

    function chainAssetKeys() external view returns (uint32[] memory, AssetId[] memory) {
        return (_eids, _assets);
    }

    function attestation(address account, uint32 eid, AssetId assetId) external view returns (IMarginHub.Attestation memory) {
        return IMarginHub.Attestation(_balances[account][eid][assetId], 1);
    }

    function chainAsset(uint32 eid, AssetId assetId) external view returns (bool listed, uint8 decimals) {
        decimals = _decimals[eid][assetId];
        listed = decimals != 0;
    }
}
