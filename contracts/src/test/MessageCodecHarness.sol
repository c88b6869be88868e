// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {MessageCodec} from "../libraries/MessageCodec.sol";

/// @notice Exposes MessageCodec to tests (shared vectors with the TypeScript twin).
contract MessageCodecHarness {
    function messageType(bytes calldata message) external pure returns (uint8) {
        return MessageCodec.messageType(message);
    }

    function messageLength(uint8 kind) external pure returns (uint256) {
        return MessageCodec.messageLength(kind);
    }

    function encodeAttest(MessageCodec.Attest calldata m) external pure returns (bytes memory) {
        return MessageCodec.encodeAttest(m);
    }

    function encodeWithdrawRequest(MessageCodec.WithdrawRequest calldata m) external pure returns (bytes memory) {
        return MessageCodec.encodeWithdrawRequest(m);
    }

    function encodeWithdrawDecision(MessageCodec.WithdrawDecision calldata m) external pure returns (bytes memory) {
        return MessageCodec.encodeWithdrawDecision(m);
    }

    function encodeSeize(MessageCodec.Seize calldata m) external pure returns (bytes memory) {
        return MessageCodec.encodeSeize(m);
    }

    function encodeAuctionResult(MessageCodec.AuctionResult calldata m) external pure returns (bytes memory) {
        return MessageCodec.encodeAuctionResult(m);
    }

    function decodeAuctionResult(bytes calldata message) external pure returns (MessageCodec.AuctionResult memory) {
        MessageCodec.messageType(message);
        return MessageCodec.decodeAuctionResult(message);
    }

    function decodeAttest(bytes calldata message) external pure returns (MessageCodec.Attest memory) {
        MessageCodec.messageType(message);
        return MessageCodec.decodeAttest(message);
    }

    function decodeWithdrawRequest(bytes calldata message) external pure returns (MessageCodec.WithdrawRequest memory) {
        MessageCodec.messageType(message);
        return MessageCodec.decodeWithdrawRequest(message);
    }

    function decodeWithdrawDecision(bytes calldata message) external pure returns (MessageCodec.WithdrawDecision memory) {
        MessageCodec.messageType(message);
        return MessageCodec.decodeWithdrawDecision(message);
    }

    function decodeSeize(bytes calldata message) external pure returns (MessageCodec.Seize memory) {
        MessageCodec.messageType(message);
        return MessageCodec.decodeSeize(message);
    }

    function encodeHeartbeat(MessageCodec.Heartbeat calldata m) external pure returns (bytes memory) {
        return MessageCodec.encodeHeartbeat(m);
    }

    function decodeHeartbeat(bytes calldata message) external pure returns (MessageCodec.Heartbeat memory) {
        MessageCodec.messageType(message);
        return MessageCodec.decodeHeartbeat(message);
    }
}
