// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ILayerZeroDVN} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/uln/interfaces/ILayerZeroDVN.sol";
import {ILayerZeroExecutor} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/interfaces/ILayerZeroExecutor.sol";
import {ExecutorOptions} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/libs/ExecutorOptions.sol";
import {IRelayerWorker} from "./interfaces/IRelayerWorker.sol";

interface ISendLibFees {
    function withdrawFee(address to, uint256 amount) external;
}

/// @notice Send-side DVN + executor worker of the Tributary relayer (see IRelayerWorker).
/// @dev Receive-side verification is done by the relayer's key directly on ReceiveUln302, so this
/// contract holds no verification logic; it only prices and records jobs.
contract RelayerWorker is IRelayerWorker, ILayerZeroDVN, ILayerZeroExecutor, Ownable {
    uint256 private constant WAD = 1e18;

    mapping(uint32 dstEid => DstConfig) public dstConfigs;
    mapping(uint32 dstEid => DstPricing) public dstPricing;
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

    function setDstPricing(uint32 dstEid, DstPricing calldata pricing) external onlyOwner {
        dstPricing[dstEid] = pricing;
        emit DstPricingSet(dstEid, pricing.gasPrice, pricing.nativePriceRatio);
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

    function assignJob(uint32 dstEid, address sender, uint256 calldataSize, bytes calldata options) external returns (uint256 fee) {
        if (!allowedLibraries[msg.sender]) revert UnauthorizedLibrary(msg.sender);
        fee = executorFeeOf(dstEid, options);
        emit ExecutorJobAssigned(dstEid, sender, calldataSize, fee);
    }

    function getFee(uint32 dstEid, address, uint256, bytes calldata options) external view returns (uint256) {
        return executorFeeOf(dstEid, options);
    }

    function executorFeeOf(uint32 dstEid, bytes calldata options) public view returns (uint256 fee) {
        fee = _config(dstEid).executorFee;
        DstPricing memory pricing = dstPricing[dstEid];
        (uint256 gas, uint256 value) = _lzReceiveTotals(options);
        uint256 ratio = pricing.nativePriceRatio == 0 ? WAD : pricing.nativePriceRatio;
        fee += gas * pricing.gasPrice + (value * ratio) / WAD;
    }

    /// @dev Σ gas and Σ value of the executor's lzReceive options (other executor options are not priced).
    function _lzReceiveTotals(bytes calldata options) private pure returns (uint256 gas, uint256 value) {
        uint256 cursor;
        while (cursor < options.length) {
            (uint8 optionType, bytes calldata option, uint256 next) = ExecutorOptions.nextExecutorOption(options, cursor);
            cursor = next;
            if (optionType != ExecutorOptions.OPTION_TYPE_LZRECEIVE) continue;
            (uint128 g, uint128 v) = ExecutorOptions.decodeLzReceiveOption(option);
            gas += g;
            value += v;
        }
    }

    function _config(uint32 dstEid) private view returns (DstConfig storage config) {
        config = dstConfigs[dstEid];
        if (!config.enabled) revert UnsupportedDestination(dstEid);
    }
}
