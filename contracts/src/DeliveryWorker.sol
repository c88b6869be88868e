// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ILayerZeroEndpointV2, Origin} from "@layerzerolabs/lz-evm-protocol-v2/contracts/interfaces/ILayerZeroEndpointV2.sol";
import {IDeliveryWorker} from "./interfaces/IDeliveryWorker.sol";

/// @dev The part of LayerZero's ReceiveUln302 the worker calls.
interface IReceiveUlnVerify {
    function verify(bytes calldata packetHeader, bytes32 payloadHash, uint64 confirmations) external;

    function commitVerification(bytes calldata packetHeader, bytes32 payloadHash) external;

    function hashLookup(bytes32 headerHash, bytes32 payloadHash, address dvn) external view returns (bool submitted, uint64 confirmations);
}

/// @notice Receive-side DVN + executor of one operator key (see IDeliveryWorker). Two instances, one per DVN
/// operator, are the pathway's required DVNs: whichever batch lands second in a block completes the delivery.
contract DeliveryWorker is IDeliveryWorker, Ownable {
    uint256 private constant HEADER_LENGTH = 81;
    /// @dev Kept back per lzReceive beyond its budget: the endpoint's call frame and this loop's bookkeeping.
    uint256 private constant EXECUTE_RESERVE = 20_000;

    ILayerZeroEndpointV2 public immutable endpoint;
    IReceiveUlnVerify public immutable receiveUln;
    uint32 public immutable localEid;

    struct Counts {
        uint256 verified;
        uint256 committed;
        uint256 executed;
        uint256 failed;
        uint256 skipped;
        uint256 deferred;
    }

    constructor(address owner_, address endpoint_, address receiveUln_) Ownable(owner_) {
        endpoint = ILayerZeroEndpointV2(endpoint_);
        receiveUln = IReceiveUlnVerify(receiveUln_);
        localEid = ILayerZeroEndpointV2(endpoint_).eid();
    }

    /// @notice Verifies every packet not yet verified by this DVN, commits each one now verifiable, then executes
    /// the committed ones in batch order (order packets of one pathway by nonce). Never reverts on a packet's state.
    function verifyAndDeliver(Delivery[] calldata batch) external payable onlyOwner {
        uint256 n = batch.length;
        if (n == 0) revert EmptyBatch();
        uint256 required;
        for (uint256 i; i < n; ++i) {
            _assertHeader(batch[i].header, i);
            required += batch[i].value;
        }
        if (msg.value < required) revert InsufficientValue(required, msg.value);

        Counts memory c;
        bool[] memory executable = new bool[](n);
        for (uint256 i; i < n; ++i) executable[i] = _verifyAndCommit(batch[i], c);
        // Executed after every commit: a packet's lower nonces later in the batch are committed by then.
        for (uint256 i; i < n; ++i) {
            if (executable[i]) _execute(batch[i], i, c);
        }
        emit BatchDelivered(n, c.verified, c.committed, c.executed, c.failed, c.skipped, c.deferred);
    }

    /// @notice Lzreceive values of skipped packets stay here; the owner takes them back.
    function withdraw(address payable to, uint256 amount) external onlyOwner {
        (bool ok, ) = to.call{value: amount}("");
        if (!ok) revert WithdrawFailed();
        emit Withdrawn(to, amount);
    }

    /// @return Whether the packet is committed on the endpoint (and so can be executed).
    function _verifyAndCommit(Delivery calldata d, Counts memory c) private returns (bool) {
        Origin memory origin = _origin(d.header);
        address receiver = _receiver(d.header);
        bytes32 stored = endpoint.inboundPayloadHash(receiver, origin.srcEid, origin.sender, origin.nonce);
        if (stored == d.payloadHash) return true;
        if (stored != bytes32(0) || origin.nonce <= endpoint.lazyInboundNonce(receiver, origin.srcEid, origin.sender)) {
            c.skipped++;
            return false;
        }
        (bool submitted, uint64 confirmations) = receiveUln.hashLookup(keccak256(d.header), d.payloadHash, address(this));
        if (!submitted || confirmations < d.confirmations) {
            receiveUln.verify(d.header, d.payloadHash, d.confirmations);
            c.verified++;
        }
        // Reverts while another required DVN has not verified (or the endpoint refuses the nonce): later.
        try receiveUln.commitVerification(d.header, d.payloadHash) {
            c.committed++;
            return true;
        } catch {
            c.deferred++;
            return false;
        }
    }

    function _execute(Delivery calldata d, uint256 index, Counts memory c) private {
        if (gasleft() < (uint256(d.gasLimit) * 64) / 63 + EXECUTE_RESERVE) {
            c.deferred++;
            return;
        }
        try endpoint.lzReceive{value: d.value, gas: d.gasLimit}(_origin(d.header), _receiver(d.header), d.guid, d.message, "") {
            c.executed++;
        } catch (bytes memory reason) {
            c.failed++;
            emit LzReceiveFailed(d.guid, index, reason);
        }
    }

    function _assertHeader(bytes calldata header, uint256 index) private view {
        if (header.length != HEADER_LENGTH || uint8(header[0]) != 1 || uint32(bytes4(header[45:49])) != localEid) {
            revert InvalidPacketHeader(index);
        }
    }

    /// @dev PacketV1 header: version 1 | nonce 8 | srcEid 4 | sender 32 | dstEid 4 | receiver 32.
    function _origin(bytes calldata header) private pure returns (Origin memory) {
        return Origin({srcEid: uint32(bytes4(header[9:13])), sender: bytes32(header[13:45]), nonce: uint64(bytes8(header[1:9]))});
    }

    function _receiver(bytes calldata header) private pure returns (address) {
        return address(uint160(uint256(bytes32(header[49:81]))));
    }
}
