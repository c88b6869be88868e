// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Origin} from "@layerzerolabs/lz-evm-oapp-v2/contracts/oapp/OAppReceiver.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {TributaryOApp} from "./base/TributaryOApp.sol";
import {IMarginHub} from "./interfaces/IMarginHub.sol";
import {ICreditManager} from "./interfaces/ICreditManager.sol";
import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {MessageCodec} from "./libraries/MessageCodec.sol";
import {MarginMath} from "./libraries/MarginMath.sol";
import {AssetId} from "./types/Ids.sol";

/// @title MarginHub
/// @notice See IMarginHub. Sending, fees and receive dispatch are TributaryOApp's: WITHDRAW_DECISION replies are
/// paid from the hub's native balance (fund it); a reply the hub cannot pay reverts the delivery
/// (LZ_InsufficientFee), which the executor retries after funding.
contract MarginHub is IMarginHub, TributaryOApp, AccessControl {
    bytes32 public constant LIQUIDATOR_ROLE = keccak256("LIQUIDATOR_ROLE");

    struct ChainAsset {
        bool listed;
        uint8 decimals;
    }

    ICreditManager public immutable creditManager;
    uint256 public maxPriceAge;
    uint64 public nextLiquidationId;

    /// @dev Attestation packed in one word: balance (low 128 bits) | sequence << 128 — one SLOAD + one SSTORE.
    mapping(address => mapping(uint32 => mapping(AssetId => uint256))) private _attestations;
    mapping(address => mapping(uint32 => mapping(AssetId => uint256))) private _pendingAmount;
    mapping(uint32 => mapping(uint64 => PendingWithdrawal)) private _pending;
    mapping(AssetId => AssetRisk) public assetRisk;
    mapping(uint32 => mapping(AssetId => ChainAsset)) public chainAsset;

    constructor(address endpoint, address owner_, ICreditManager creditManager_, uint256 maxPriceAge_)
        TributaryOApp(endpoint, owner_)
    {
        if (address(creditManager_) == address(0)) revert ZeroAddress();
        creditManager = creditManager_;
        maxPriceAge = maxPriceAge_;
        _grantRole(DEFAULT_ADMIN_ROLE, owner_);
        emit MaxPriceAgeSet(maxPriceAge_);
    }

    // ---- views ----

    function attestation(address account, uint32 eid, AssetId assetId) external view returns (Attestation memory) {
        uint256 packed = _attestations[account][eid][assetId];
        return Attestation(uint128(packed), uint64(packed >> 128));
    }

    function pendingWithdrawal(uint32 eid, uint64 requestId) external view returns (PendingWithdrawal memory) {
        return _pending[eid][requestId];
    }

    function withdrawableBalance(address account, uint32 eid, AssetId assetId) public view returns (uint256) {
        uint256 balance = uint128(_attestations[account][eid][assetId]);
        uint256 pending = _pendingAmount[account][eid][assetId];
        return balance > pending ? balance - pending : 0;
    }

    function withdrawalValue(uint32 eid, AssetId assetId, uint256 amount) public view returns (uint256) {
        ChainAsset memory onChain = chainAsset[eid][assetId];
        AssetRisk memory risk = assetRisk[assetId];
        if (!onChain.listed || !risk.listed) revert AssetNotListed(eid, assetId);
        uint256 price = MarginMath.readPrice(risk.feed, maxPriceAge);
        return MarginMath.haircutValue(amount, onChain.decimals, price, risk.initWeight);
    }

    function quote(uint32 eid, uint8 messageType) public view returns (uint256 nativeFee) {
        return _quoteMessage(eid, messageType);
    }

    // ---- admin ----

    function setAssetRisk(AssetId assetId, AggregatorV3Interface feed, uint64 initWeight) external onlyOwner {
        if (address(feed) == address(0)) revert ZeroAddress();
        if (initWeight > MarginMath.WAD) revert InvalidWeight(initWeight);
        assetRisk[assetId] = AssetRisk(feed, initWeight, true);
        emit AssetRiskSet(assetId, address(feed), initWeight);
    }

    function setChainAsset(uint32 eid, AssetId assetId, uint8 decimals) external onlyOwner {
        chainAsset[eid][assetId] = ChainAsset(true, decimals);
        emit ChainAssetSet(eid, assetId, decimals);
    }

    function setMaxPriceAge(uint256 maxPriceAge_) external onlyOwner {
        maxPriceAge = maxPriceAge_;
        emit MaxPriceAgeSet(maxPriceAge_);
    }

    /// @inheritdoc IMarginHub
    function seize(address account, uint32 eid, AssetId assetId, uint256 amount, address recipient)
        external
        payable
        onlyRole(LIQUIDATOR_ROLE)
        returns (uint64 liquidationId)
    {
        if (amount == 0) revert ZeroAmount();
        if (recipient == address(0) || account == address(0)) revert ZeroAddress();
        if (!chainAsset[eid][assetId].listed) revert AssetNotListed(eid, assetId);
        liquidationId = ++nextLiquidationId;
        bytes memory message = MessageCodec.encodeSeize(
            MessageCodec.Seize(account, assetId, uint128(amount), recipient, liquidationId)
        );
        emit SeizureSent(liquidationId, account, eid, assetId, amount, recipient);
        _sendMessage(eid, MessageCodec.SEIZE, message, msg.value != 0);
    }

    // ---- vault messages ----

    function _receiveMessage(Origin calldata origin, uint8 kind, bytes calldata message) internal override {
        if (kind == MessageCodec.ATTEST) _onAttest(origin.srcEid, message);
        else if (kind == MessageCodec.WITHDRAW_REQUEST) _onWithdrawRequest(origin.srcEid, MessageCodec.decodeWithdrawRequest(message));
        else revert UnexpectedMessageType(kind);
    }

    function _onAttest(uint32 eid, bytes calldata message) private {
        (address account, AssetId assetId, uint128 balance, uint64 sequence, uint64 requestId) = MessageCodec.attestFields(message);
        mapping(AssetId => uint256) storage perAsset = _attestations[account][eid];
        uint64 storedSequence = uint64(perAsset[assetId] >> 128);
        if (sequence > storedSequence) {
            perAsset[assetId] = uint256(balance) | (uint256(sequence) << 128);
            emit AttestationApplied(account, eid, assetId, balance, sequence);
        } else {
            emit AttestationIgnored(account, eid, assetId, balance, sequence, storedSequence);
        }
        if (requestId != 0) _settle(eid, requestId);
    }

    function _settle(uint32 eid, uint64 requestId) private {
        PendingWithdrawal memory pending = _pending[eid][requestId];
        if (pending.account == address(0)) return;
        delete _pending[eid][requestId];
        _pendingAmount[pending.account][eid][pending.assetId] -= pending.amount;
        if (pending.reservedValue != 0) creditManager.unreserve(pending.account, pending.reservedValue);
        emit WithdrawalSettled(eid, requestId, pending.account, pending.reservedValue);
    }

    function _onWithdrawRequest(uint32 eid, MessageCodec.WithdrawRequest memory request) private {
        emit WithdrawalRequested(eid, request.requestId, request.account, request.assetId, request.amount);
        (RejectReason reason, uint256 value) = _evaluate(eid, request);
        bool approved = reason == RejectReason.None;
        if (approved) {
            _pending[eid][request.requestId] = PendingWithdrawal(request.account, request.assetId, request.amount, uint128(value));
            _pendingAmount[request.account][eid][request.assetId] += request.amount;
            creditManager.reserve(request.account, value);
        }
        emit WithdrawalDecided(eid, request.requestId, request.account, approved, uint8(reason), approved ? value : 0);
        bytes memory message = MessageCodec.encodeWithdrawDecision(
            MessageCodec.WithdrawDecision(request.requestId, approved, uint8(reason))
        );
        _sendMessage(eid, MessageCodec.WITHDRAW_DECISION, message, false);
    }

    /// @dev Approves iff the credit left after reserving the withdrawal's haircut value still covers what
    /// the account uses. An account that uses nothing risks nothing: its withdrawal needs no fresh limit.
    function _evaluate(uint32 eid, MessageCodec.WithdrawRequest memory request)
        private
        view
        returns (RejectReason reason, uint256 value)
    {
        if (_pending[eid][request.requestId].account != address(0)) return (RejectReason.DuplicateRequest, 0);
        if (!chainAsset[eid][request.assetId].listed || !assetRisk[request.assetId].listed) {
            return (RejectReason.UnlistedAsset, 0);
        }
        if (request.amount > withdrawableBalance(request.account, eid, request.assetId)) {
            return (RejectReason.InsufficientAttestedBalance, 0);
        }
        try this.withdrawalValue(eid, request.assetId, request.amount) returns (uint256 v) {
            value = v;
        } catch {
            return (RejectReason.PriceUnavailable, 0);
        }
        ICreditManager.Account memory credit = creditManager.account(request.account);
        if (credit.used == 0) return (RejectReason.None, value);
        if (creditManager.isStale(request.account)) return (RejectReason.StaleCredit, 0);
        if (credit.liquidatable) return (RejectReason.Liquidatable, 0);
        if (value > creditManager.availableCredit(request.account)) return (RejectReason.InsufficientCredit, 0);
    }
}
