// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IRelayerWorker
/// @notice The send-side face of the Tributary relayer: one contract that SendUln302 calls both as the
/// pathway's DVN and as its executor. It quotes fees, records job assignments as events the relayer
/// watches, and lets its owner withdraw the fees the send library accrued for it.
/// @dev Fees per destination, in this chain's native wei: the DVN charges `dvnFee` (its verify transaction); the
/// executor charges `executorFee` (commit + the endpoint's own lzReceive work) plus, from the message's executor
/// options, every lzReceive gas unit at `gasPrice` and the lzReceive value converted at `nativePriceRatio` (the
/// executor hands that value to the receiving app, so the sender pays for it). Deploy sizes all of them from the
/// gas snapshot and the destination's configured gas price.
interface IRelayerWorker {
    /// @notice Flat fees charged for one destination endpoint id.
    struct DstConfig {
        bool enabled;
        uint128 dvnFee;
        uint128 executorFee;
    }

    /// @notice Per-unit prices of one destination, in this chain's native wei.
    struct DstPricing {
        /// @dev Wei here per unit of lzReceive gas there (destination gas price × native price ratio).
        uint128 gasPrice;
        /// @dev Wei here per wei there, 1e18 = 1 (0 reads as 1: the same native asset).
        uint128 nativePriceRatio;
    }

    /// @notice Thrown when a job or quote names a destination this worker does not serve.
    error UnsupportedDestination(uint32 dstEid);
    /// @notice Thrown when a message library not registered with the worker assigns a job.
    error UnauthorizedLibrary(address caller);

    /// @notice Emitted when the owner changes the fees or support of a destination.
    event DstConfigSet(uint32 indexed dstEid, bool enabled, uint128 dvnFee, uint128 executorFee);
    /// @notice Emitted when the owner changes the per-unit prices of a destination.
    event DstPricingSet(uint32 indexed dstEid, uint128 gasPrice, uint128 nativePriceRatio);
    /// @notice Emitted when the owner allows or disallows a send library.
    event LibrarySet(address indexed lib, bool allowed);
    /// @notice Emitted when a send library assigned a verification job to this worker.
    event DVNJobAssigned(uint32 indexed dstEid, address indexed sender, bytes32 payloadHash, uint64 confirmations, uint256 fee);
    /// @notice Emitted when a send library assigned an execution job to this worker.
    event ExecutorJobAssigned(uint32 indexed dstEid, address indexed sender, uint256 calldataSize, uint256 fee);

    /// @notice Sets fees and support for `dstEid`.
    function setDstConfig(uint32 dstEid, DstConfig calldata config) external;

    /// @notice Sets the lzReceive gas price and native price ratio of `dstEid`.
    function setDstPricing(uint32 dstEid, DstPricing calldata pricing) external;

    /// @notice Executor fee of a message to `dstEid` with executor `options` (LayerZero's executor-option
    /// encoding, as the send library hands them over): executorFee + Σ lzReceive gas × gasPrice + Σ lzReceive
    /// value × nativePriceRatio / 1e18.
    function executorFeeOf(uint32 dstEid, bytes calldata options) external view returns (uint256);

    /// @notice Allows or disallows `lib` to assign jobs.
    function setLibrary(address lib, bool allowed) external;

    /// @notice Withdraws fees accrued in send library `lib` to `to`.
    function withdrawFee(address lib, address to, uint256 amount) external;
}
