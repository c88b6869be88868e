// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AssetId} from "../types/Ids.sol";

/// @title MessageCodec
/// @notice Packed, versioned vault ⇄ hub messages: byte 0 = version, byte 1 = type, then fixed fields.
/// @dev Layouts (byte offsets, big-endian, like LayerZero's PacketV1Codec):
///   ATTEST            account[2,22) assetId[22,24) balance u128[24,40) sequence u64[40,48) requestId u64[48,56)
///   WITHDRAW_REQUEST  account[2,22) assetId[22,24) amount u128[24,40) requestId u64[40,48)
///   WITHDRAW_DECISION requestId u64[2,10) approved u8[10] reason u8[11]
///   SEIZE             account[2,22) assetId[22,24) amount u128[24,40) recipient[40,60) liquidationId u64[60,68)
///                     seizureId u64[68,76) debtUsd u128[76,92)
///   AUCTION_RESULT    liquidationId u64[2,10) seizureId u64[10,18) account[18,38) assetId[38,40) seized u128[40,56)
///                     proceedsUsd u128[56,72) returned u128[72,88) balance u128[88,104) sequence u64[104,112)
/// AUCTION_RESULT's balance/sequence are the vault's post-state attestation of (account, assetId) after the return.
///   HEARTBEAT         sequence u64[2,10) timestamp u64[10,18)
/// ATTEST's requestId names the withdrawal whose release the attestation settles (0 = none).
/// The ids, lengths and offsets are defined once, in the protocol package (`protocol/src/messages.ts`); the
/// constants here are their Solidity copy, checked name by name against that table by
/// `test/libraries/MessageCodec.test.ts`.
library MessageCodec {
    uint8 internal constant VERSION = 1;

    uint8 internal constant ATTEST = 1;
    uint8 internal constant WITHDRAW_REQUEST = 2;
    uint8 internal constant WITHDRAW_DECISION = 3;
    uint8 internal constant SEIZE = 4;
    uint8 internal constant AUCTION_RESULT = 5;
    uint8 internal constant HEARTBEAT = 6;

    uint256 private constant VERSION_OFFSET = 0;
    uint256 private constant TYPE_OFFSET = 1;
    uint256 private constant ACCOUNT_OFFSET = 2;
    uint256 private constant ASSET_ID_OFFSET = 22;
    uint256 private constant AMOUNT_OFFSET = 24;
    uint256 private constant ATTEST_SEQUENCE_OFFSET = 40;
    uint256 private constant ATTEST_REQUEST_ID_OFFSET = 48;
    uint256 private constant REQUEST_ID_OFFSET = 40;
    uint256 private constant DECISION_REQUEST_ID_OFFSET = 2;
    uint256 private constant DECISION_APPROVED_OFFSET = 10;
    uint256 private constant DECISION_REASON_OFFSET = 11;
    uint256 private constant SEIZE_RECIPIENT_OFFSET = 40;
    uint256 private constant SEIZE_LIQUIDATION_ID_OFFSET = 60;
    uint256 private constant SEIZE_SEIZURE_ID_OFFSET = 68;
    uint256 private constant SEIZE_DEBT_USD_OFFSET = 76;
    uint256 private constant RESULT_LIQUIDATION_ID_OFFSET = 2;
    uint256 private constant RESULT_SEIZURE_ID_OFFSET = 10;
    uint256 private constant RESULT_ACCOUNT_OFFSET = 18;
    uint256 private constant RESULT_ASSET_ID_OFFSET = 38;
    uint256 private constant RESULT_SEIZED_OFFSET = 40;
    uint256 private constant RESULT_PROCEEDS_USD_OFFSET = 56;
    uint256 private constant RESULT_RETURNED_OFFSET = 72;
    uint256 private constant RESULT_BALANCE_OFFSET = 88;
    uint256 private constant RESULT_SEQUENCE_OFFSET = 104;
    uint256 private constant HEARTBEAT_SEQUENCE_OFFSET = 2;
    uint256 private constant HEARTBEAT_TIMESTAMP_OFFSET = 10;

    uint256 internal constant ATTEST_LENGTH = 56;
    uint256 internal constant WITHDRAW_REQUEST_LENGTH = 48;
    uint256 internal constant WITHDRAW_DECISION_LENGTH = 12;
    uint256 internal constant SEIZE_LENGTH = 92;
    uint256 internal constant AUCTION_RESULT_LENGTH = 112;
    uint256 internal constant HEARTBEAT_LENGTH = 18;

    error UnsupportedVersion(uint8 version);
    error InvalidMessageLength(uint8 messageType, uint256 length);
    error UnknownMessageType(uint8 messageType);

    struct Attest {
        address account;
        AssetId assetId;
        uint128 balance;
        uint64 sequence;
        uint64 requestId;
    }

    struct WithdrawRequest {
        address account;
        AssetId assetId;
        uint128 amount;
        uint64 requestId;
    }

    struct WithdrawDecision {
        uint64 requestId;
        bool approved;
        uint8 reason;
    }

    struct Seize {
        address account;
        AssetId assetId;
        uint128 amount;
        address recipient;
        uint64 liquidationId;
        uint64 seizureId;
        uint128 debtUsd;
    }

    struct AuctionResult {
        uint64 liquidationId;
        uint64 seizureId;
        address account;
        AssetId assetId;
        uint128 seized;
        uint128 proceedsUsd;
        uint128 returned;
        uint128 balance;
        uint64 sequence;
    }

    /// @dev The vault's attestation sequence at sending (not incremented) and its chain's timestamp.
    struct Heartbeat {
        uint64 sequence;
        uint64 timestamp;
    }

    /// @notice Checks version and length; returns the message type.
    function messageType(bytes calldata message) internal pure returns (uint8 kind) {
        if (message.length < 2) revert InvalidMessageLength(0, message.length);
        uint8 version = uint8(message[VERSION_OFFSET]);
        if (version != VERSION) revert UnsupportedVersion(version);
        kind = uint8(message[TYPE_OFFSET]);
        // The same table as messageLength, inline: calling it would cost every delivery 36 gas.
        uint256 expected;
        if (kind == ATTEST) expected = ATTEST_LENGTH;
        else if (kind == WITHDRAW_REQUEST) expected = WITHDRAW_REQUEST_LENGTH;
        else if (kind == WITHDRAW_DECISION) expected = WITHDRAW_DECISION_LENGTH;
        else if (kind == SEIZE) expected = SEIZE_LENGTH;
        else if (kind == AUCTION_RESULT) expected = AUCTION_RESULT_LENGTH;
        else if (kind == HEARTBEAT) expected = HEARTBEAT_LENGTH;
        else revert UnknownMessageType(kind);
        if (message.length != expected) revert InvalidMessageLength(kind, message.length);
    }

    /// @notice Length in bytes (head included) of every message of type `kind`; reverts on an unknown type.
    function messageLength(uint8 kind) internal pure returns (uint256) {
        if (kind == ATTEST) return ATTEST_LENGTH;
        if (kind == WITHDRAW_REQUEST) return WITHDRAW_REQUEST_LENGTH;
        if (kind == WITHDRAW_DECISION) return WITHDRAW_DECISION_LENGTH;
        if (kind == SEIZE) return SEIZE_LENGTH;
        if (kind == AUCTION_RESULT) return AUCTION_RESULT_LENGTH;
        if (kind == HEARTBEAT) return HEARTBEAT_LENGTH;
        revert UnknownMessageType(kind);
    }

    function encodeAttest(Attest memory m) internal pure returns (bytes memory) {
        return abi.encodePacked(VERSION, ATTEST, m.account, AssetId.unwrap(m.assetId), m.balance, m.sequence, m.requestId);
    }

    function encodeWithdrawRequest(WithdrawRequest memory m) internal pure returns (bytes memory) {
        return abi.encodePacked(VERSION, WITHDRAW_REQUEST, m.account, AssetId.unwrap(m.assetId), m.amount, m.requestId);
    }

    function encodeWithdrawDecision(WithdrawDecision memory m) internal pure returns (bytes memory) {
        return abi.encodePacked(VERSION, WITHDRAW_DECISION, m.requestId, m.approved ? uint8(1) : uint8(0), m.reason);
    }

    function encodeSeize(Seize memory m) internal pure returns (bytes memory) {
        return abi.encodePacked(
            VERSION, SEIZE, m.account, AssetId.unwrap(m.assetId), m.amount, m.recipient, m.liquidationId, m.seizureId, m.debtUsd
        );
    }

    function encodeAuctionResult(AuctionResult memory m) internal pure returns (bytes memory) {
        return abi.encodePacked(
            abi.encodePacked(VERSION, AUCTION_RESULT, m.liquidationId, m.seizureId, m.account, AssetId.unwrap(m.assetId)),
            abi.encodePacked(m.seized, m.proceedsUsd, m.returned, m.balance, m.sequence)
        );
    }

    function encodeHeartbeat(Heartbeat memory m) internal pure returns (bytes memory) {
        return abi.encodePacked(VERSION, HEARTBEAT, m.sequence, m.timestamp);
    }

    /// @dev The decoders assume `messageType` validated the message.
    function decodeAttest(bytes calldata message) internal pure returns (Attest memory m) {
        m.account = _account(message, ACCOUNT_OFFSET);
        m.assetId = _assetId(message);
        m.balance = uint128(bytes16(message[AMOUNT_OFFSET:ATTEST_SEQUENCE_OFFSET]));
        m.sequence = uint64(bytes8(message[ATTEST_SEQUENCE_OFFSET:ATTEST_REQUEST_ID_OFFSET]));
        m.requestId = uint64(bytes8(message[ATTEST_REQUEST_ID_OFFSET:ATTEST_LENGTH]));
    }

    /// @notice ATTEST fields straight from calldata onto the stack (the hub's hot path; no memory struct).
    function attestFields(bytes calldata message)
        internal
        pure
        returns (address account, AssetId assetId, uint128 attested, uint64 sequence, uint64 requestId)
    {
        assembly ("memory-safe") {
            let p := message.offset
            account := shr(96, calldataload(add(p, ACCOUNT_OFFSET)))
            assetId := shr(240, calldataload(add(p, ASSET_ID_OFFSET)))
            attested := shr(128, calldataload(add(p, AMOUNT_OFFSET)))
            sequence := shr(192, calldataload(add(p, ATTEST_SEQUENCE_OFFSET)))
            requestId := shr(192, calldataload(add(p, ATTEST_REQUEST_ID_OFFSET)))
        }
    }

    function decodeWithdrawRequest(bytes calldata message) internal pure returns (WithdrawRequest memory m) {
        m.account = _account(message, ACCOUNT_OFFSET);
        m.assetId = _assetId(message);
        m.amount = uint128(bytes16(message[AMOUNT_OFFSET:REQUEST_ID_OFFSET]));
        m.requestId = uint64(bytes8(message[REQUEST_ID_OFFSET:WITHDRAW_REQUEST_LENGTH]));
    }

    function decodeWithdrawDecision(bytes calldata message) internal pure returns (WithdrawDecision memory m) {
        m.requestId = uint64(bytes8(message[DECISION_REQUEST_ID_OFFSET:DECISION_APPROVED_OFFSET]));
        m.approved = uint8(message[DECISION_APPROVED_OFFSET]) != 0;
        m.reason = uint8(message[DECISION_REASON_OFFSET]);
    }

    function decodeSeize(bytes calldata message) internal pure returns (Seize memory m) {
        m.account = _account(message, ACCOUNT_OFFSET);
        m.assetId = _assetId(message);
        m.amount = uint128(bytes16(message[AMOUNT_OFFSET:SEIZE_RECIPIENT_OFFSET]));
        m.recipient = _account(message, SEIZE_RECIPIENT_OFFSET);
        m.liquidationId = uint64(bytes8(message[SEIZE_LIQUIDATION_ID_OFFSET:SEIZE_SEIZURE_ID_OFFSET]));
        m.seizureId = uint64(bytes8(message[SEIZE_SEIZURE_ID_OFFSET:SEIZE_DEBT_USD_OFFSET]));
        m.debtUsd = uint128(bytes16(message[SEIZE_DEBT_USD_OFFSET:SEIZE_LENGTH]));
    }

    function decodeAuctionResult(bytes calldata message) internal pure returns (AuctionResult memory m) {
        m.liquidationId = uint64(bytes8(message[RESULT_LIQUIDATION_ID_OFFSET:RESULT_SEIZURE_ID_OFFSET]));
        m.seizureId = uint64(bytes8(message[RESULT_SEIZURE_ID_OFFSET:RESULT_ACCOUNT_OFFSET]));
        m.account = _account(message, RESULT_ACCOUNT_OFFSET);
        m.assetId = AssetId.wrap(uint16(bytes2(message[RESULT_ASSET_ID_OFFSET:RESULT_SEIZED_OFFSET])));
        m.seized = uint128(bytes16(message[RESULT_SEIZED_OFFSET:RESULT_PROCEEDS_USD_OFFSET]));
        m.proceedsUsd = uint128(bytes16(message[RESULT_PROCEEDS_USD_OFFSET:RESULT_RETURNED_OFFSET]));
        m.returned = uint128(bytes16(message[RESULT_RETURNED_OFFSET:RESULT_BALANCE_OFFSET]));
        m.balance = uint128(bytes16(message[RESULT_BALANCE_OFFSET:RESULT_SEQUENCE_OFFSET]));
        m.sequence = uint64(bytes8(message[RESULT_SEQUENCE_OFFSET:AUCTION_RESULT_LENGTH]));
    }

    function decodeHeartbeat(bytes calldata message) internal pure returns (Heartbeat memory m) {
        m.sequence = uint64(bytes8(message[HEARTBEAT_SEQUENCE_OFFSET:HEARTBEAT_TIMESTAMP_OFFSET]));
        m.timestamp = uint64(bytes8(message[HEARTBEAT_TIMESTAMP_OFFSET:HEARTBEAT_LENGTH]));
    }

    function _account(bytes calldata message, uint256 offset) private pure returns (address) {
        return address(bytes20(message[offset:offset + 20]));
    }

    function _assetId(bytes calldata message) private pure returns (AssetId) {
        return AssetId.wrap(uint16(bytes2(message[ASSET_ID_OFFSET:AMOUNT_OFFSET])));
    }
}
