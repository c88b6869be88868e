// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {OApp, Origin, MessagingFee} from "@layerzerolabs/lz-evm-oapp-v2/contracts/oapp/OApp.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice OApp whose _lzReceive does nothing: the gas baseline of endpoint + OAppReceiver for a message size,
/// subtracted from an app's lzReceive transaction to get the part the app controls.
contract NoopOApp is OApp {
    constructor(address endpoint, address owner_) OApp(endpoint, owner_) Ownable(owner_) {}

    function send(uint32 dstEid, bytes calldata message, bytes calldata options) external payable {
        _lzSend(dstEid, message, options, MessagingFee(msg.value, 0), payable(msg.sender));
    }

    function quote(uint32 dstEid, bytes calldata message, bytes calldata options) external view returns (uint256) {
        return _quote(dstEid, message, options, false).nativeFee;
    }

    function _lzReceive(Origin calldata, bytes32, bytes calldata, address, bytes calldata) internal override {}
}
