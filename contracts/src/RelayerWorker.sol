// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ILayerZeroDVN} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/uln/interfaces/ILayerZeroDVN.sol";
import {ILayerZeroExecutor} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/interfaces/ILayerZeroExecutor.sol";
import {IRelayerWorker} from "./interfaces/IRelayerWorker.sol";

interface ISendLibFees {
    function withdrawFee(address to, uint256 amount) external;
}

/// @notice Send-side DVN + executor worker of the Tributary relayer (see IRelayerWorker).
/// @dev Receive-side verification is done by the relayer's key directly on ReceiveUln302, so this
/// contract holds no verification logic; it only prices and records jobs.
contract RelayerWorker is IRelayerWorker, ILayerZeroDVN, ILayerZeroExecutor, Ownable {
    mapping(uint32 dstEid => DstConfig) public dstConfigs;
    mapping(address lib => bool) public allowedLibraries;

    constructor(address owner_, address[] memory sendLibraries) Ownable(owner_) {
        for (uint256 i; i < sendLibraries.length; ++i) {
            allowedLibraries[sendLibraries[i]] = true;
            emit LibrarySet(sendLibraries[i], true);
        }
    }

    function setDstConfig(uint32 dstEid, DstConfig calldata config) external onlyOwner {
        dstConfigs[dstEid] = config;
        emit DstConfigSet(dstEid, config.enabled, config.dvnFee, config.executorFee);
    }

    function setLibrary(address lib, bool allowed) external onlyOwner {
        allowedLibraries[lib] = allowed;
        emit LibrarySet(lib, allowed);
    }

    function withdrawFee(address lib, address to, uint256 amount) external onlyOwner {
        ISendLibFees(lib).withdrawFee(to, amount);
    }

    // ---- ILayerZeroDVN ----

    function assignJob(AssignJobParam calldata param, bytes calldata) external payable returns (uint256 fee) {
        if (!allowedLibraries[msg.sender]) revert UnauthorizedLibrary(msg.sender);
        fee = _config(param.dstEid).dvnFee;
        emit DVNJobAssigned(param.dstEid, param.sender, param.payloadHash, param.confirmations, fee);
    }

    function getFee(uint32 dstEid, uint64, address, bytes calldata) external view returns (uint256) {
        return _config(dstEid).dvnFee;
    }

    // ---- ILayerZeroExecutor ----

    function assignJob(uint32 dstEid, address sender, uint256 calldataSize, bytes calldata) external returns (uint256 fee) {
        if (!allowedLibraries[msg.sender]) revert UnauthorizedLibrary(msg.sender);
        fee = _config(dstEid).executorFee;
        emit ExecutorJobAssigned(dstEid, sender, calldataSize, fee);
    }

    function getFee(uint32 dstEid, address, uint256, bytes calldata) external view returns (uint256) {
        return _config(dstEid).executorFee;
    }

    function _config(uint32 dstEid) private view returns (DstConfig storage config) {
        config = dstConfigs[dstEid];
        if (!config.enabled) revert UnsupportedDestination(dstEid);
    }
}
