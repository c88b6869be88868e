// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title ITributaryOApp
/// @notice What the vault and the hub share as LayerZero OApps: typed messages (MessageCodec), one set of
/// enforced options per message type, and two ways to pay a send: by the caller (user-initiated messages) or
/// from the OApp's own native balance (replies triggered inside lzReceive; fund the OApp by a plain transfer).
interface ITributaryOApp {
    /// @notice A peer delivered a well-formed message of a type this OApp does not receive.
    error UnexpectedMessageType(uint8 messageType);
    /// @notice Kept in the ABI, never raised: a send never offers more than the OApp holds (msg.value or its whole
    /// balance), and a reply the balance cannot pay reverts in the endpoint (LZ_InsufficientFee) instead.
    error InsufficientNativeForResponse(uint256 required, uint256 available);
}
