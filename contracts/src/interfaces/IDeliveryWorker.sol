// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice Receive-side DVN of one operator key: verifies a batch of packets on ReceiveUln302 as itself (the OApp's
/// receive config lists the contract, not the key), then commits and executes every packet that the batch made
/// (or found) verifiable by all required DVNs. Packets already delivered, committed elsewhere or still waiting for
/// another DVN are skipped, never reverted on; an lzReceive that reverts is reported and left for a retry.
interface IDeliveryWorker {
    /// @notice One packet as the source chain's PacketSent carries it, plus the executor's lzReceive budget.
    /// @param header 81-byte PacketV1 header (version, nonce, srcEid, sender, dstEid, receiver).
    /// @param payloadHash keccak256(guid ‖ message).
    /// @param confirmations Source confirmations this DVN attests (the receive config's minimum).
    /// @param gasLimit Gas forwarded to the endpoint's lzReceive (the packet's lzReceive option + overhead).
    /// @param value Native value forwarded to lzReceive (the packet's lzReceive value option).
    struct Delivery {
        bytes header;
        bytes32 payloadHash;
        uint64 confirmations;
        bytes32 guid;
        bytes message;
        uint64 gasLimit;
        uint128 value;
    }

    /// @notice What one batch did: verifications recorded, packets committed and executed, lzReceives that reverted,
    /// packets skipped (already delivered or committed with another payload), packets left for later (waiting for
    /// another DVN, a lower nonce, or out of gas for their lzReceive).
    event BatchDelivered(
        uint256 size, uint256 verified, uint256 committed, uint256 executed, uint256 failed, uint256 skipped, uint256 deferred
    );
    /// @notice The packet's lzReceive reverted (it stays committed for the next attempt or lzReceiveAlert).
    event LzReceiveFailed(bytes32 indexed guid, uint256 index, bytes reason);
    event Withdrawn(address indexed to, uint256 amount);

    error EmptyBatch();
    /// @notice The header at `index` is not an 81-byte version-1 header addressed to this chain.
    error InvalidPacketHeader(uint256 index);
    /// @notice msg.value is below the sum of the batch's lzReceive values.
    error InsufficientValue(uint256 required, uint256 provided);
    error WithdrawFailed();

    function verifyAndDeliver(Delivery[] calldata batch) external payable;
}
