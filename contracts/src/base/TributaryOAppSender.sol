// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {OAppSender, MessagingFee} from "@layerzerolabs/lz-evm-oapp-v2/contracts/oapp/OAppSender.sol";
import {OAppOptionsType3} from "@layerzerolabs/lz-evm-oapp-v2/contracts/oapp/libs/OAppOptionsType3.sol";
import {ITributaryOApp} from "../interfaces/ITributaryOApp.sol";
import {MessageCodec} from "../libraries/MessageCodec.sol";

/// @title TributaryOAppSender
/// @notice Sends encoded messages with the enforced options of their type and settles the fee: from msg.value
/// when the caller pays (excess refunded to the caller), else from the OApp's own balance.
abstract contract TributaryOAppSender is ITributaryOApp, OAppSender, OAppOptionsType3 {
    /// @notice Funds the replies this OApp pays itself.
    receive() external payable {}

    /// @dev Native fee of one message of `kind` toward `dstEid` under its enforced options (a zero-filled
    /// message of the type's length stands in: the fee depends on the size only).
    function _quoteMessage(uint32 dstEid, uint8 kind) internal view returns (uint256 nativeFee) {
        bytes memory placeholder = new bytes(MessageCodec.messageLength(kind));
        return _quote(dstEid, placeholder, enforcedOptions[dstEid][uint16(kind)], false).nativeFee;
    }

    /// @dev The caller's msg.value pays user-initiated messages (excess refunded to the caller); the OApp's own
    /// balance pays the exact fee of messages it sends in reply to a delivery.
    function _sendMessage(uint32 dstEid, uint8 kind, bytes memory message, bool callerPays) internal {
        bytes memory options = enforcedOptions[dstEid][uint16(kind)];
        if (callerPays) {
            _lzSend(dstEid, message, options, MessagingFee(msg.value, 0), payable(msg.sender));
        } else {
            // Offer the whole balance and take the endpoint's refund of the excess: cheaper than quoting first.
            _lzSend(dstEid, message, options, MessagingFee(address(this).balance, 0), payable(address(this)));
        }
    }

    /// @dev OAppSender demands msg.value == fee, and a reply has no msg.value. Nothing to check instead: every fee
    /// `_sendMessage` offers is msg.value or the whole balance, never more than the OApp holds; an offer below the
    /// endpoint's fee reverts there (LZ_InsufficientFee).
    function _payNative(uint256 nativeFee) internal pure override returns (uint256) {
        return nativeFee;
    }
}
