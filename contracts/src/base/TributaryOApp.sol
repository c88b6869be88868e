// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {OAppCore} from "@layerzerolabs/lz-evm-oapp-v2/contracts/oapp/OAppCore.sol";
import {OAppSender} from "@layerzerolabs/lz-evm-oapp-v2/contracts/oapp/OAppSender.sol";
import {OAppReceiver} from "@layerzerolabs/lz-evm-oapp-v2/contracts/oapp/OAppReceiver.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {TributaryOAppSender} from "./TributaryOAppSender.sol";
import {TributaryOAppReceiver} from "./TributaryOAppReceiver.sol";

/// @title TributaryOApp
/// @notice Both roles of a Tributary OApp, joined as LayerZero's OApp joins OAppSender and OAppReceiver: the
/// vault and the hub derive from it and only encode what they send and apply what they receive.
abstract contract TributaryOApp is TributaryOAppSender, TributaryOAppReceiver {
    constructor(address endpoint, address owner_) OAppCore(endpoint, owner_) Ownable(owner_) {}

    /// @notice LayerZero's OAppSender and OAppReceiver versions this OApp implements (as OApp reports them).
    function oAppVersion()
        public
        pure
        virtual
        override(OAppSender, OAppReceiver)
        returns (uint64 senderVersion, uint64 receiverVersion)
    {
        return (SENDER_VERSION, RECEIVER_VERSION);
    }
}
