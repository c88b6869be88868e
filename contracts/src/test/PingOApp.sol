// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {OApp, Origin, MessagingFee, MessagingReceipt} from "@layerzerolabs/lz-evm-oapp-v2/contracts/oapp/OApp.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice Minimal OApp used to prove real LayerZero delivery in tests: sends a counter, records receipts.
contract PingOApp is OApp {
    uint256 public received;
    bytes public lastMessage;
    uint64 public lastNonce;

    event Pinged(uint32 indexed srcEid, uint64 nonce, bytes message);

    /// @notice The one-byte message 0xff: what a receiving app that refuses a message looks like.
    error PingRefused();

    constructor(address endpoint, address owner_) OApp(endpoint, owner_) Ownable(owner_) {}

    function quote(uint32 dstEid, bytes calldata message, bytes calldata options) external view returns (MessagingFee memory) {
        return _quote(dstEid, message, options, false);
    }

    function ping(uint32 dstEid, bytes calldata message, bytes calldata options) external payable returns (MessagingReceipt memory) {
        return _lzSend(dstEid, message, options, MessagingFee(msg.value, 0), payable(msg.sender));
    }

    function _lzReceive(Origin calldata origin, bytes32, bytes calldata message, address, bytes calldata) internal override {
        if (message.length == 1 && message[0] == 0xff) revert PingRefused();
        received += 1;
        lastMessage = message;
        lastNonce = origin.nonce;
        emit Pinged(origin.srcEid, origin.nonce, message);
    }
}
