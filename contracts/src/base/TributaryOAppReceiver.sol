// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {OAppReceiver, Origin} from "@layerzerolabs/lz-evm-oapp-v2/contracts/oapp/OAppReceiver.sol";
import {ITributaryOApp} from "../interfaces/ITributaryOApp.sol";
import {MessageCodec} from "../libraries/MessageCodec.sol";

/// @title TributaryOAppReceiver
/// @notice Accepts a delivery only from the endpoint and from the source chain's peer (as OAppReceiver does),
/// validates the message (version, type, length: MessageCodec.messageType) and hands it to the app by type.
abstract contract TributaryOAppReceiver is ITributaryOApp, OAppReceiver {
    /// @dev OAppReceiver.lzReceive's two checks, then the dispatch straight away: going through `_lzReceive`
    /// would add an internal call with five arguments to every delivery (59 gas measured). Parameters named as OAppReceiver names them (the
    /// names are in the ABI); the unused ones are referenced once to keep the compiler quiet.
    function lzReceive(
        Origin calldata _origin,
        bytes32 _guid,
        bytes calldata _message,
        address _executor,
        bytes calldata _extraData
    ) public payable virtual override {
        (_guid, _executor, _extraData);
        if (address(endpoint) != msg.sender) revert OnlyEndpoint(msg.sender);
        if (_getPeerOrRevert(_origin.srcEid) != _origin.sender) revert OnlyPeer(_origin.srcEid, _origin.sender);
        _receiveMessage(_origin, MessageCodec.messageType(_message), _message);
    }

    /// @dev Not on the delivery path (see lzReceive); dispatches the same way for callers of OAppReceiver's hook.
    function _lzReceive(Origin calldata origin, bytes32, bytes calldata message, address, bytes calldata)
        internal
        virtual
        override
    {
        _receiveMessage(origin, MessageCodec.messageType(message), message);
    }

    /// @dev Applies a validated message of type `kind`; reverts UnexpectedMessageType for a type the app does not
    /// receive. A revert leaves the packet on the endpoint for the executor to retry.
    function _receiveMessage(Origin calldata origin, uint8 kind, bytes calldata message) internal virtual;
}
