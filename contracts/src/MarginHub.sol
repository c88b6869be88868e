// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Origin} from "@layerzerolabs/lz-evm-oapp-v2/contracts/oapp/OAppReceiver.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {TributaryOApp} from "./base/TributaryOApp.sol";
import {IMarginHub} from "./interfaces/IMarginHub.sol";
import {IAttestedCollateral} from "./interfaces/IAttestedCollateral.sol";
import {ICreditManager} from "./interfaces/ICreditManager.sol";
import {ILiquidationRegistry} from "./interfaces/ILiquidationRegistry.sol";
import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {MessageCodec} from "./libraries/MessageCodec.sol";
import {MarginMath} from "./libraries/MarginMath.sol";
import {AssetId} from "./types/Ids.sol";

/// @title MarginHub
/// @notice See IMarginHub. Sending, fees and receive dispatch are TributaryOApp's. A WITHDRAW_DECISION is paid
/// with the native value the request carried (the vault's enforced options forward it, and the user paid it in
/// `quoteWithdraw`): that value sits in the hub's balance until the decision is sent, which offers the balance
/// and takes the endpoint's refund. The balance itself only absorbs a fee rise between configuration updates;
/// if it is short, a rejection on arrival reverts the delivery (LZ_InsufficientFee, retried after funding) and a
/// decision or expiry reverts that call, to be repeated after funding.
/// Seizures: see IMarginHub, ILiquidationRegistry and docs/liquidation.md.
contract MarginHub is IMarginHub, TributaryOApp, AccessControl {
    bytes32 public constant DECIDER_ROLE = keccak256("DECIDER_ROLE");
    uint256 public constant MAX_DECISION_TIMEOUT = 30 days;
    uint256 public constant MAX_CHAIN_ASSETS = 32;

    struct ChainAsset {
        bool listed;
        uint8 decimals;
    }

    ICreditManager public immutable creditManager;
    uint256 public maxPriceAge;
    uint256 public decisionTimeout;
    uint64 public nextSeizureId;
    address public registry;

    /// @dev Attestation packed in one word: balance (low 128 bits) | sequence << 128 — one SLOAD + one SSTORE.
    mapping(address => mapping(uint32 => mapping(AssetId => uint256))) private _attestations;
    mapping(address => mapping(uint32 => mapping(AssetId => uint256))) private _pendingAmount;
    mapping(uint32 => mapping(uint64 => PendingWithdrawal)) private _pending;
    mapping(AssetId => AssetRisk) public assetRisk;
    mapping(uint32 => mapping(AssetId => ChainAsset)) public chainAsset;
    mapping(address => uint256) public seizuresInFlight;
    mapping(address => uint256) public debtInFlight;
    mapping(address => mapping(uint32 => mapping(AssetId => uint256))) public seizureReserved;
    mapping(uint64 => Seizure) private _seizures;
    /// @dev One slot per chain: vault sequence | sent at | received at.
    mapping(uint32 => LastHeartbeat) public lastHeartbeat;
    /// @notice RiskParameters: once set, the only way a listed asset's weight changes.
    address public paramGovernor;
    /// @dev Every (eid, asset) ever listed, packed `eid << 16 | assetId` (five to a slot): what `collateralValue`
    /// walks. Bounded by MAX_CHAIN_ASSETS, so the walk is too.
    uint48[] private _chainAssetKeys;

    constructor(
        address endpoint,
        address owner_,
        ICreditManager creditManager_,
        uint256 maxPriceAge_,
        uint256 decisionTimeout_
    ) TributaryOApp(endpoint, owner_) {
        if (address(creditManager_) == address(0)) revert ZeroAddress();
        creditManager = creditManager_;
        maxPriceAge = maxPriceAge_;
        _grantRole(DEFAULT_ADMIN_ROLE, owner_);
        emit MaxPriceAgeSet(maxPriceAge_);
        _setDecisionTimeout(decisionTimeout_);
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
        uint256 pending = _pendingAmount[account][eid][assetId] + seizureReserved[account][eid][assetId];
        return balance > pending ? balance - pending : 0;
    }

    function withdrawalValue(uint32 eid, AssetId assetId, uint256 amount) public view returns (uint256) {
        ChainAsset memory onChain = chainAsset[eid][assetId];
        AssetRisk memory risk = assetRisk[assetId];
        if (!onChain.listed || !risk.listed) revert AssetNotListed(eid, assetId);
        uint256 price = MarginMath.readPrice(risk.feed, maxPriceAge);
        return MarginMath.haircutValue(amount, onChain.decimals, price, risk.initWeight);
    }

    /// @inheritdoc IAttestedCollateral
    /// @dev Walks the listed pairs (≤ MAX_CHAIN_ASSETS, one attestation SLOAD each) and reads prices only for
    /// non-zero balances. Per-account key lists would add a fresh slot to an account's first ATTEST.
    function collateralValue(address account) external view returns (uint256 value) {
        mapping(uint32 => mapping(AssetId => uint256)) storage perChain = _attestations[account];
        uint256 count = _chainAssetKeys.length;
        for (uint256 i; i < count; ++i) {
            uint48 key = _chainAssetKeys[i];
            uint32 eid = uint32(key >> 16);
            AssetId assetId = AssetId.wrap(uint16(key));
            uint256 balance = uint128(perChain[eid][assetId]);
            if (balance == 0) continue;
            AssetRisk memory risk = assetRisk[assetId];
            if (!risk.listed) continue;
            (bool ok, uint256 price) = MarginMath.tryReadPrice(risk.feed, maxPriceAge);
            if (ok) value += MarginMath.haircutValue(balance, chainAsset[eid][assetId].decimals, price, risk.initWeight);
        }
    }

    function chainAssetKeys() external view returns (uint32[] memory eids, AssetId[] memory assetIds) {
        uint256 count = _chainAssetKeys.length;
        eids = new uint32[](count);
        assetIds = new AssetId[](count);
        for (uint256 i; i < count; ++i) {
            eids[i] = uint32(_chainAssetKeys[i] >> 16);
            assetIds[i] = AssetId.wrap(uint16(_chainAssetKeys[i]));
        }
    }

    function seizure(uint64 seizureId) external view returns (Seizure memory) {
        return _seizures[seizureId];
    }

    function quoteSeize(address account)
        external
        view
        returns (uint32 eid, AssetId assetId, uint256 amount, uint256 debtUsd, uint256 nativeFee)
    {
        ILiquidationRegistry.SeizurePlan memory plan = _registry().planSeizure(account);
        (eid, assetId, amount, debtUsd) = (plan.eid, plan.assetId, plan.amount, plan.debtUsd);
        nativeFee = _quoteMessage(eid, MessageCodec.SEIZE);
    }

    function quote(uint32 eid, uint8 messageType) public view returns (uint256 nativeFee) {
        return _quoteMessage(eid, messageType);
    }

    // ---- admin ----

    /// @dev Once a parameter governor is set, only it changes a listed asset's weight.
    function setAssetRisk(AssetId assetId, AggregatorV3Interface feed, uint64 initWeight) external {
        address governor = paramGovernor;
        if (msg.sender != governor) {
            _checkOwner();
            AssetRisk memory current = assetRisk[assetId];
            if (governor != address(0) && current.listed && current.initWeight != initWeight) revert ParamGoverned(msg.sender);
        }
        if (address(feed) == address(0)) revert ZeroAddress();
        if (initWeight > MarginMath.WAD) revert InvalidWeight(initWeight);
        assetRisk[assetId] = AssetRisk(feed, initWeight, true);
        emit AssetRiskSet(assetId, address(feed), initWeight);
    }

    function setParamGovernor(address governor) external onlyOwner {
        if (governor == address(0)) revert ZeroAddress();
        if (paramGovernor != address(0)) revert ParamGoverned(msg.sender);
        paramGovernor = governor;
        emit ParamGovernorSet(governor);
    }

    function setChainAsset(uint32 eid, AssetId assetId, uint8 decimals) external onlyOwner {
        if (!chainAsset[eid][assetId].listed) {
            if (_chainAssetKeys.length == MAX_CHAIN_ASSETS) revert TooManyChainAssets(MAX_CHAIN_ASSETS);
            _chainAssetKeys.push((uint48(eid) << 16) | AssetId.unwrap(assetId));
        }
        chainAsset[eid][assetId] = ChainAsset(true, decimals);
        emit ChainAssetSet(eid, assetId, decimals);
    }

    function setRegistry(address registry_) external onlyOwner {
        if (registry_ == address(0)) revert ZeroAddress();
        if (registry != address(0)) revert AlreadySet();
        registry = registry_;
        emit RegistrySet(registry_);
    }

    function setMaxPriceAge(uint256 maxPriceAge_) external onlyOwner {
        maxPriceAge = maxPriceAge_;
        emit MaxPriceAgeSet(maxPriceAge_);
    }

    function setDecisionTimeout(uint256 decisionTimeout_) external onlyOwner {
        _setDecisionTimeout(decisionTimeout_);
    }

    function _setDecisionTimeout(uint256 decisionTimeout_) private {
        if (decisionTimeout_ == 0 || decisionTimeout_ > MAX_DECISION_TIMEOUT) revert InvalidDecisionTimeout(decisionTimeout_);
        decisionTimeout = decisionTimeout_;
        emit DecisionTimeoutSet(decisionTimeout_);
    }

    // ---- withdrawal decisions ----

    /// @inheritdoc IMarginHub
    function decideWithdrawal(uint32 eid, uint64 requestId, bool approve, uint8 reason) external onlyRole(DECIDER_ROLE) {
        PendingWithdrawal storage pending = _awaitingDecision(eid, requestId);
        if (!approve && (reason == 0 || reason > uint8(type(RejectReason).max))) revert InvalidRejectReason(reason);
        RejectReason outcome = approve ? _approvalBlocker(pending) : RejectReason(reason);
        if (outcome != RejectReason.None) {
            _reject(eid, requestId, outcome);
            return;
        }
        pending.approved = true;
        _sendDecision(eid, requestId, pending.account, RejectReason.None, pending.reservedValue);
    }

    /// @inheritdoc IMarginHub
    function expireWithdrawal(uint32 eid, uint64 requestId) external {
        PendingWithdrawal storage pending = _awaitingDecision(eid, requestId);
        if (block.timestamp <= pending.deadline) revert DecisionNotExpired(eid, requestId, pending.deadline);
        _reject(eid, requestId, RejectReason.DecisionTimeout);
    }

    // ---- seizure ----

    /// @inheritdoc IMarginHub
    function seize(address account) external payable returns (uint64 seizureId) {
        ILiquidationRegistry registry_ = _registry();
        ILiquidationRegistry.SeizurePlan memory plan = registry_.planSeizure(account);
        seizureId = ++nextSeizureId;
        _seizures[seizureId] =
            Seizure(plan.liquidationId, account, plan.eid, plan.assetId, uint128(plan.amount), uint128(plan.debtUsd));
        seizureReserved[account][plan.eid][plan.assetId] += plan.amount;
        ++seizuresInFlight[account];
        debtInFlight[account] += plan.debtUsd;
        registry_.onSeizureSent(plan.liquidationId);
        emit SeizureSent(
            seizureId, plan.liquidationId, account, plan.eid, plan.assetId, plan.amount, plan.debtUsd, plan.value, plan.recipient
        );
        bytes memory message = MessageCodec.encodeSeize(
            MessageCodec.Seize(
                account, plan.assetId, uint128(plan.amount), plan.recipient, plan.liquidationId, seizureId, uint128(plan.debtUsd)
            )
        );
        _sendMessage(plan.eid, MessageCodec.SEIZE, message, true);
    }

    function _registry() private view returns (ILiquidationRegistry registry_) {
        registry_ = ILiquidationRegistry(registry);
        if (address(registry_) == address(0)) revert RegistryNotSet();
    }

    // ---- vault messages ----

    function _receiveMessage(Origin calldata origin, uint8 kind, bytes calldata message) internal override {
        if (kind == MessageCodec.ATTEST) _onAttest(origin.srcEid, message);
        else if (kind == MessageCodec.WITHDRAW_REQUEST) _onWithdrawRequest(origin.srcEid, MessageCodec.decodeWithdrawRequest(message));
        else if (kind == MessageCodec.AUCTION_RESULT) _onAuctionResult(origin.srcEid, MessageCodec.decodeAuctionResult(message));
        else if (kind == MessageCodec.HEARTBEAT) _onHeartbeat(origin.srcEid, MessageCodec.decodeHeartbeat(message));
        else revert UnexpectedMessageType(kind);
    }

    function _onHeartbeat(uint32 eid, MessageCodec.Heartbeat memory heartbeat) private {
        lastHeartbeat[eid] = LastHeartbeat(heartbeat.sequence, heartbeat.timestamp, uint64(block.timestamp));
        emit HeartbeatReceived(eid, heartbeat.sequence, heartbeat.timestamp);
    }

    function _onAttest(uint32 eid, bytes calldata message) private {
        (address account, AssetId assetId, uint128 balance, uint64 sequence, uint64 requestId) = MessageCodec.attestFields(message);
        _applyAttestation(account, eid, assetId, balance, sequence);
        if (requestId != 0) _settle(eid, requestId);
    }

    /// @dev Releases the seizure's reservation, applies the post-state balance the result carries (an attestation),
    /// credits the proceeds to cash and closes the liquidation once nothing is in flight and cash ≥ 0. An unknown
    /// or repeated result only applies its attestation (sequence rules make that harmless).
    function _onAuctionResult(uint32 eid, MessageCodec.AuctionResult memory r) private {
        _applyAttestation(r.account, eid, r.assetId, r.balance, r.sequence);
        Seizure memory s = _seizures[r.seizureId];
        if (s.account != r.account || s.eid != eid || s.account == address(0)) {
            emit AuctionResultIgnored(r.seizureId, eid);
            return;
        }
        delete _seizures[r.seizureId];
        seizureReserved[s.account][eid][s.assetId] -= s.amount;
        --seizuresInFlight[s.account];
        debtInFlight[s.account] -= s.debtUsd;
        creditManager.settlementPool().creditAuctionProceeds(s.liquidationId, r.seizureId, s.account, r.proceedsUsd);
        uint256 shortfall = s.amount > r.seized ? s.amount - r.seized : 0;
        emit AuctionResultApplied(
            r.seizureId, s.liquidationId, s.account, eid, s.assetId, s.amount, r.seized, shortfall, r.proceedsUsd, r.returned
        );
        _registry().onAuctionResult(s.account, s.liquidationId);
    }

    function _applyAttestation(address account, uint32 eid, AssetId assetId, uint128 balance, uint64 sequence) private {
        mapping(AssetId => uint256) storage perAsset = _attestations[account][eid];
        uint64 storedSequence = uint64(perAsset[assetId] >> 128);
        if (sequence > storedSequence) {
            perAsset[assetId] = uint256(balance) | (uint256(sequence) << 128);
            emit AttestationApplied(account, eid, assetId, balance, sequence);
        } else {
            emit AttestationIgnored(account, eid, assetId, balance, sequence, storedSequence);
        }
    }

    /// @dev Only an approved withdrawal is released by the vault; anything else named here is ignored.
    function _settle(uint32 eid, uint64 requestId) private {
        PendingWithdrawal memory pending = _pending[eid][requestId];
        if (!pending.approved) return;
        delete _pending[eid][requestId];
        _pendingAmount[pending.account][eid][pending.assetId] -= pending.amount;
        if (pending.reservedValue != 0) creditManager.unreserve(pending.account, pending.reservedValue);
        emit WithdrawalSettled(eid, requestId, pending.account, pending.reservedValue);
    }

    /// @dev The hub's key: a failed check is answered at once; a pass reserves and waits for the decider. The credit
    /// check is the reservation itself (CreditManager.reserve refuses above available credit): the account's
    /// collateral is valued once, and a refusal becomes an InsufficientCredit rejection, never a reverted delivery.
    function _onWithdrawRequest(uint32 eid, MessageCodec.WithdrawRequest memory request) private {
        emit WithdrawalRequested(eid, request.requestId, request.account, request.assetId, request.amount);
        (RejectReason reason, uint256 value) = _evaluate(eid, request);
        if (reason == RejectReason.None) {
            try creditManager.reserve(request.account, value) {}
            catch {
                reason = RejectReason.InsufficientCredit;
            }
        }
        if (reason != RejectReason.None) {
            _sendDecision(eid, request.requestId, request.account, reason, 0);
            return;
        }
        uint40 deadline = uint40(block.timestamp + decisionTimeout);
        _pending[eid][request.requestId] =
            PendingWithdrawal(request.account, request.assetId, deadline, false, request.amount, SafeCast.toUint128(value));
        _pendingAmount[request.account][eid][request.assetId] += request.amount;
        emit WithdrawalPending(eid, request.requestId, request.account, request.assetId, request.amount, value, deadline);
    }

    /// @dev Everything but the credit itself: a fresh push, no liquidation mark and no seizure in flight, whether or
    /// not the account uses margin (CreditManager.reserve then checks the haircut value against available credit).
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
        if (creditManager.isStale(request.account)) return (RejectReason.StaleCredit, 0);
        if (creditManager.isLiquidatable(request.account)) return (RejectReason.Liquidatable, 0);
        if (seizuresInFlight[request.account] != 0) return (RejectReason.SeizureInFlight, 0);
    }

    /// @dev The hub's checks at decision time (the reservation is already counted in creditBalance).
    function _approvalBlocker(PendingWithdrawal storage pending) private view returns (RejectReason) {
        address account = pending.account;
        if (block.timestamp > pending.deadline) return RejectReason.DecisionTimeout;
        if (creditManager.isStale(account)) return RejectReason.StaleCredit;
        if (creditManager.isLiquidatable(account)) return RejectReason.Liquidatable;
        if (seizuresInFlight[account] != 0) return RejectReason.SeizureInFlight;
        if (creditManager.creditBalance(account) < 0) return RejectReason.InsufficientCredit;
        return RejectReason.None;
    }

    function _awaitingDecision(uint32 eid, uint64 requestId) private view returns (PendingWithdrawal storage pending) {
        pending = _pending[eid][requestId];
        if (pending.account == address(0) || pending.approved) revert WithdrawalNotAwaitingDecision(eid, requestId);
    }

    /// @dev Unlocks a request awaiting its decision: the vault keeps the collateral, the credit is returned.
    function _reject(uint32 eid, uint64 requestId, RejectReason reason) private {
        PendingWithdrawal memory pending = _pending[eid][requestId];
        delete _pending[eid][requestId];
        _pendingAmount[pending.account][eid][pending.assetId] -= pending.amount;
        creditManager.cancelReservation(pending.account, pending.reservedValue);
        _sendDecision(eid, requestId, pending.account, reason, 0);
    }

    function _sendDecision(uint32 eid, uint64 requestId, address account, RejectReason reason, uint256 reservedValue) private {
        bool approved = reason == RejectReason.None;
        emit WithdrawalDecided(eid, requestId, account, approved, uint8(reason), reservedValue);
        bytes memory message = MessageCodec.encodeWithdrawDecision(MessageCodec.WithdrawDecision(requestId, approved, uint8(reason)));
        _sendMessage(eid, MessageCodec.WITHDRAW_DECISION, message, false);
    }
}
