// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IRelayerWorker
/// @notice The send-side face of the Tributary relayer: one contract that SendUln302 calls both as the
/// pathway's DVN and as its executor. It quotes fees, records job assignments as events the relayer
/// watches, and lets its owner withdraw the fees the send library accrued for it.
interface IRelayerWorker {
    /// @notice Fees charged for one destination endpoint id.
    struct DstConfig {
        bool enabled;
        uint128 dvnFee;
        uint128 executorFee;
    }

    /// @notice Thrown when a job or quote names a destination this worker does not serve.
    error UnsupportedDestination(uint32 dstEid);
    /// @notice Thrown when a message library not registered with the worker assigns a job.
    error UnauthorizedLibrary(address caller);

    /// @notice Emitted when the owner changes the fees or support of a destination.
    event DstConfigSet(uint32 indexed dstEid, bool enabled, uint128 dvnFee, uint128 executorFee);
    /// @notice Emitted when the owner allows or disallows a send library.
    event LibrarySet(address indexed lib, bool allowed);
    /// @notice Emitted when a send library assigned a verification job to this worker.
    event DVNJobAssigned(uint32 indexed dstEid, address indexed sender, bytes32 payloadHash, uint64 confirmations, uint256 fee);
    /// @notice Emitted when a send library assigned an execution job to this worker.
    event ExecutorJobAssigned(uint32 indexed dstEid, address indexed sender, uint256 calldataSize, uint256 fee);

    /// @notice Sets fees and support for `dstEid`.
    function setDstConfig(uint32 dstEid, DstConfig calldata config) external;

    /// @notice Allows or disallows `lib` to assign jobs.
    function setLibrary(address lib, bool allowed) external;

    /// @notice Withdraws fees accrued in send library `lib` to `to`.
    function withdrawFee(address lib, address to, uint256 amount) external;
}
