// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Origin} from "@layerzerolabs/lz-evm-oapp-v2/contracts/oapp/OAppReceiver.sol";
import {IERC20, SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {TributaryOApp} from "./base/TributaryOApp.sol";
import {ICollateralVault} from "./interfaces/ICollateralVault.sol";
import {ICollateralAuction} from "./interfaces/ICollateralAuction.sol";
import {MessageCodec} from "./libraries/MessageCodec.sol";
import {TokenBucket} from "./libraries/TokenBucket.sol";
import {PayoutQueue} from "./libraries/PayoutQueue.sol";
import {AssetId} from "./types/Ids.sol";

/// @title CollateralVault
/// @notice See ICollateralVault. Sending, fees and receive dispatch are TributaryOApp's. Attestations the hub
/// triggers (after a release or a seizure) are paid with the native value the hub's message carried (its
/// enforced options), offered from the vault's balance with the endpoint's refund taken back; the balance
/// only absorbs a fee rise between configuration updates.
contract CollateralVault is ICollateralVault, TributaryOApp, ReentrancyGuard {
    using SafeERC20 for IERC20;
    using TokenBucket for TokenBucket.Bucket;
    using PayoutQueue for PayoutQueue.Queues;

    /// @dev Gas for returning a rejected request's unused reply value to the account (a failure keeps it here).
    uint256 private constant REFUND_GAS = 30_000;
    uint32 public constant MIN_HEARTBEAT_PERIOD = 4;
    uint32 public constant MAX_HEARTBEAT_PERIOD = 7 days;

    uint32 public immutable hubEid;
    uint64 public sequence;
    uint64 public nextRequestId;
    bool public paused;
    address public guardian;
    address public auction;
    // heartbeat_c (s; one hour until the deploy sets it): `heartbeat` runs once per quarter of it; last run (0 = never).
    uint32 public heartbeatPeriod = 3600;
    uint64 public lastHeartbeatAt;

    mapping(AssetId => AssetConfig) private _assets;
    mapping(AssetId => TokenBucket.Bucket) private _outflow;
    mapping(address => mapping(AssetId => Balance)) private _balances;
    mapping(uint64 => WithdrawalRequest) private _requests;
    PayoutQueue.Queues private _payouts;

    constructor(address endpoint, address owner_, uint32 hubEid_) TributaryOApp(endpoint, owner_) {
        hubEid = hubEid_;
    }

    modifier whenNotPaused() {
        if (paused) revert VaultPaused();
        _;
    }

    // ---- views ----

    function assetConfig(AssetId assetId) external view returns (AssetConfig memory) {
        return _assets[assetId];
    }

    function balanceOf(address account, AssetId assetId) external view returns (Balance memory) {
        return _balances[account][assetId];
    }

    function withdrawalRequest(uint64 requestId) external view returns (WithdrawalRequest memory) {
        return _requests[requestId];
    }

    function outflowAvailable(AssetId assetId) external view returns (uint256) {
        return _outflow[assetId].available();
    }

    function outflowLimit(AssetId assetId) external view returns (bool enabled, uint128 capacity, uint128 refillPerSecond) {
        TokenBucket.Bucket storage bucket = _outflow[assetId];
        return (bucket.enabled, bucket.capacity, bucket.rate);
    }

    function owed(address to, AssetId assetId) external view returns (uint256) {
        return _payouts.owed[to][assetId];
    }

    function queuedPayout(uint64 payoutId) external view returns (address to, AssetId assetId, address account, uint256 remaining) {
        PayoutQueue.Payout memory payout = _payouts.payouts[payoutId];
        return (payout.to, payout.assetId, payout.account, payout.remaining);
    }

    function quote(uint8 messageType) public view returns (uint256 nativeFee) {
        return _quoteMessage(hubEid, messageType);
    }

    /// @dev The request's enforced options carry the decision's fee as lzReceive value, and the decision's carry
    /// the release attestation's: the request's quote is the round trip.
    function quoteWithdraw() external view returns (uint256 nativeFee) {
        return _quoteMessage(hubEid, MessageCodec.WITHDRAW_REQUEST);
    }

    // ---- admin ----

    function listAsset(AssetId assetId, address token, uint128 depositCap, uint128 rateCapacity, uint128 refillPerSecond)
        external
        onlyOwner
    {
        if (token == address(0)) revert ZeroAddress();
        if (_assets[assetId].listed) revert AssetAlreadyListed(assetId);
        if (rateCapacity == 0 || refillPerSecond == 0) revert RateLimitRequired(assetId);
        uint8 decimals = IERC20Metadata(token).decimals();
        _assets[assetId] = AssetConfig(token, decimals, true, depositCap, 0);
        _outflow[assetId].configure(true, rateCapacity, refillPerSecond);
        emit AssetListed(assetId, token, decimals, depositCap);
        emit RateLimitSet(assetId, true, rateCapacity, refillPerSecond);
    }

    function setDepositCap(AssetId assetId, uint128 depositCap) external onlyOwner {
        _listed(assetId).depositCap = depositCap;
        emit DepositCapSet(assetId, depositCap);
    }

    function setRateLimit(AssetId assetId, bool enabled, uint128 capacity, uint128 refillPerSecond) external onlyOwner {
        _listed(assetId);
        _outflow[assetId].configure(enabled, capacity, refillPerSecond);
        emit RateLimitSet(assetId, enabled, capacity, refillPerSecond);
    }

    function setAuction(address auction_) external onlyOwner {
        if (auction_ == address(0)) revert ZeroAddress();
        if (auction != address(0)) revert AuctionAlreadySet(auction);
        auction = auction_;
        emit AuctionSet(auction_);
    }

    function setGuardian(address guardian_) external onlyOwner {
        if (guardian_ == owner()) revert GuardianIsOwner(guardian_);
        guardian = guardian_;
        emit GuardianSet(guardian_);
    }

    function setPaused(bool paused_) external {
        if (paused_) _onlyGuardianOrOwner();
        else if (msg.sender != owner()) revert NotOwner(msg.sender);
        paused = paused_;
        emit PausedSet(msg.sender, paused_);
    }

    function setHeartbeatPeriod(uint32 period) external onlyOwner {
        if (period < MIN_HEARTBEAT_PERIOD || period > MAX_HEARTBEAT_PERIOD) revert InvalidHeartbeatPeriod(period);
        heartbeatPeriod = period;
        emit HeartbeatPeriodSet(period);
    }

    /// @dev Only the hub's eid ever has a peer: `lzReceive` accepts nothing else.
    function setPeer(uint32 eid, bytes32 peer) public override onlyOwner {
        if (eid != hubEid) revert PeerNotHub(eid);
        super.setPeer(eid, peer);
    }

    /// @inheritdoc ICollateralVault
    function cancelPayout(uint64 payoutId) external payable nonReentrant {
        _onlyGuardianOrOwner();
        if (!paused) revert NotPaused();
        PayoutQueue.Payout memory payout = _payouts.cancel(payoutId);
        if (payout.remaining == 0) revert UnknownPayout(payoutId);
        Balance storage balance = _balances[payout.account][payout.assetId];
        balance.free += payout.remaining;
        _assets[payout.assetId].totalDeposits += payout.remaining;
        emit PayoutCancelled(payoutId, payout.to, payout.assetId, payout.account, payout.remaining);
        _attest(payout.account, payout.assetId, uint256(balance.free) + balance.locked, 0, true);
    }

    // ---- user flows ----

    /// @inheritdoc ICollateralVault
    function deposit(AssetId assetId, uint256 amount, address account)
        external
        payable
        nonReentrant
        whenNotPaused
        returns (uint64)
    {
        if (amount == 0) revert ZeroAmount();
        if (account == address(0)) revert ZeroAddress();
        AssetConfig storage asset = _listed(assetId);
        IERC20 token = IERC20(asset.token);
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received == 0) revert ZeroAmount();
        uint256 total = asset.totalDeposits + received;
        if (total > asset.depositCap) revert DepositCapExceeded(assetId, total, asset.depositCap);
        asset.totalDeposits = uint128(total);
        Balance storage balance = _balances[account][assetId];
        balance.free += uint128(received);
        uint256 attested = uint256(balance.free) + balance.locked;
        emit Deposited(account, assetId, msg.sender, received, attested);
        return _attest(account, assetId, attested, 0, true);
    }

    /// @inheritdoc ICollateralVault
    function requestWithdraw(AssetId assetId, uint256 amount) external payable nonReentrant whenNotPaused returns (uint64 requestId) {
        if (amount == 0) revert ZeroAmount();
        _listed(assetId);
        Balance storage balance = _balances[msg.sender][assetId];
        if (amount > balance.free) revert InsufficientFreeBalance(amount, balance.free);
        balance.free -= uint128(amount);
        balance.locked += uint128(amount);
        requestId = ++nextRequestId;
        _requests[requestId] = WithdrawalRequest(msg.sender, assetId, RequestStatus.Pending, uint128(amount));
        emit WithdrawalRequested(requestId, msg.sender, assetId, amount);
        bytes memory message = MessageCodec.encodeWithdrawRequest(
            MessageCodec.WithdrawRequest(msg.sender, assetId, uint128(amount), requestId)
        );
        _sendMessage(hubEid, MessageCodec.WITHDRAW_REQUEST, message, true);
    }

    /// @inheritdoc ICollateralVault
    function heartbeat() external payable nonReentrant {
        uint256 nextAt = uint256(lastHeartbeatAt) + heartbeatPeriod / 4;
        if (lastHeartbeatAt != 0 && block.timestamp < nextAt) revert HeartbeatTooSoon(nextAt);
        uint64 seq = sequence;
        uint64 timestamp = uint64(block.timestamp);
        lastHeartbeatAt = timestamp;
        emit HeartbeatSent(msg.sender, seq, timestamp);
        bytes memory message = MessageCodec.encodeHeartbeat(MessageCodec.Heartbeat(seq, timestamp));
        _sendMessage(hubEid, MessageCodec.HEARTBEAT, message, true);
    }

    /// @inheritdoc ICollateralVault
    function claim(AssetId assetId) external returns (uint256 amount) {
        return claimTo(assetId, msg.sender);
    }

    /// @inheritdoc ICollateralVault
    function claimTo(AssetId assetId, address receiver) public nonReentrant whenNotPaused returns (uint256 amount) {
        if (receiver == address(0)) revert ZeroAddress();
        uint256 debt = _payouts.owed[msg.sender][assetId];
        if (debt == 0) revert NothingOwed(msg.sender, assetId);
        uint256 available = _outflow[assetId].available();
        if (available == 0) revert TokenBucket.RateLimited(debt, 0);
        amount = _payouts.take(msg.sender, assetId, debt < available ? debt : available);
        _outflow[assetId].consume(amount);
        IERC20(_assets[assetId].token).safeTransfer(receiver, amount);
        emit PayoutClaimed(msg.sender, assetId, amount, receiver);
    }

    /// @inheritdoc ICollateralVault
    function closeLot(
        uint64 seizureId,
        uint64 liquidationId,
        address account,
        AssetId assetId,
        uint256 seized,
        uint256 proceedsUsd,
        uint256 returned
    ) external {
        if (msg.sender != auction) revert NotAuction(msg.sender);
        Balance storage balance = _balances[account][assetId];
        if (returned != 0) {
            balance.free += uint128(returned);
            _assets[assetId].totalDeposits += uint128(returned);
            emit CollateralReturned(seizureId, account, assetId, returned, uint256(balance.free) + balance.locked);
        }
        _sendAuctionResult(
            MessageCodec.AuctionResult(
                liquidationId, seizureId, account, assetId, uint128(seized), uint128(proceedsUsd), uint128(returned), 0, 0
            )
        );
    }

    // ---- hub messages ----

    /// @dev Only the hub's eid (its peer is checked by lzReceive). While paused, valid hub messages revert and stay
    /// committed on the endpoint: the executor retries them after unpause, so a pause also stops every outflow.
    function _receiveMessage(Origin calldata origin, uint8 kind, bytes calldata message) internal override {
        if (origin.srcEid != hubEid) revert NotHub(origin.srcEid);
        if (paused) revert VaultPaused();
        if (kind == MessageCodec.WITHDRAW_DECISION) _onDecision(MessageCodec.decodeWithdrawDecision(message));
        else if (kind == MessageCodec.SEIZE) _onSeize(MessageCodec.decodeSeize(message));
        else revert UnexpectedMessageType(kind);
    }

    function _onDecision(MessageCodec.WithdrawDecision memory decision) private {
        WithdrawalRequest storage request = _requests[decision.requestId];
        if (request.status != RequestStatus.Pending) revert UnknownWithdrawalRequest(decision.requestId);
        address account = request.account;
        AssetId assetId = request.assetId;
        uint128 amount = request.amount;
        Balance storage balance = _balances[account][assetId];
        balance.locked -= amount;
        if (!decision.approved) {
            request.status = RequestStatus.Rejected;
            balance.free += amount;
            emit WithdrawalRejected(decision.requestId, account, assetId, amount, decision.reason);
            // No attestation follows a rejection: the value forwarded for it goes back to the account if it can.
            if (msg.value != 0) {
                (bool sent,) = payable(account).call{value: msg.value, gas: REFUND_GAS}("");
                emit RejectionValueReturned(decision.requestId, account, msg.value, sent);
            }
            return;
        }
        request.status = RequestStatus.Released;
        _assets[assetId].totalDeposits -= amount;
        emit WithdrawalReleased(decision.requestId, account, assetId, amount);
        _payOut(account, account, assetId, amount);
        _attest(account, assetId, uint256(balance.free) + balance.locked, decision.requestId, false);
    }

    /// @dev Seizes at most the free balance (locked amounts belong to withdrawals awaiting the hub, which rejects
    /// them while a seizure is in flight) and only toward the chain's auction, for an asset it sells. The collateral
    /// goes straight to the auction (no outflow limit: it stays in the protocol until a taker pays for it). Nothing
    /// seized: AUCTION_RESULT at once, so the hub's reservation never sticks.
    function _onSeize(MessageCodec.Seize memory seizure) private {
        Balance storage balance = _balances[seizure.account][seizure.assetId];
        address auction_ = auction;
        uint128 amount;
        if (auction_ != address(0) && seizure.recipient == auction_ && ICollateralAuction(auction_).assetConfig(seizure.assetId).listed) {
            amount = seizure.amount < balance.free ? seizure.amount : balance.free;
            // A token that refuses the transfer (paused, blocklisted auction) seizes nothing: reported, never stuck.
            if (amount != 0 && !IERC20(_assets[seizure.assetId].token).trySafeTransfer(auction_, amount)) amount = 0;
        }
        if (amount < seizure.amount) {
            emit SeizureShortfall(seizure.seizureId, seizure.liquidationId, seizure.account, seizure.assetId, seizure.amount, amount);
        }
        if (amount == 0) {
            _sendAuctionResult(
                MessageCodec.AuctionResult(seizure.liquidationId, seizure.seizureId, seizure.account, seizure.assetId, 0, 0, 0, 0, 0)
            );
            return;
        }
        balance.free -= amount;
        _assets[seizure.assetId].totalDeposits -= amount;
        emit CollateralSeized(seizure.liquidationId, seizure.account, seizure.assetId, amount, auction_, seizure.seizureId);
        ICollateralAuction(auction_).kick(
            seizure.seizureId, seizure.liquidationId, seizure.account, seizure.assetId, amount, seizure.debtUsd
        );
        _attest(seizure.account, seizure.assetId, uint256(balance.free) + balance.locked, 0, false);
    }

    /// @dev Completes `result` with the account's post-state balance at a new sequence (an attestation) and sends it,
    /// paid from the vault's balance: the value SEIZE forwarded for it.
    function _sendAuctionResult(MessageCodec.AuctionResult memory result) private {
        Balance storage balance = _balances[result.account][result.assetId];
        result.balance = balance.free + balance.locked;
        result.sequence = ++sequence;
        emit BalanceAttested(result.account, result.assetId, result.balance, result.sequence, 0);
        emit AuctionResultSent(
            result.seizureId,
            result.liquidationId,
            result.account,
            result.assetId,
            result.seized,
            result.proceedsUsd,
            result.returned,
            result.balance,
            result.sequence
        );
        _sendMessage(hubEid, MessageCodec.AUCTION_RESULT, MessageCodec.encodeAuctionResult(result), false);
    }

    // ---- internals ----

    /// @dev Outflows past the rate limit, and transfers the token refuses (paused, blocklisted or reverting
    /// recipient, `false` returned), become a queued payout instead of reverting: a revert would block the ordered
    /// pathway. The token gets all but 1/64 of the gas, so a listed token that burns it all still can.
    function _payOut(address account, address to, AssetId assetId, uint256 amount) private {
        if (amount == 0) return;
        TokenBucket.Bucket storage bucket = _outflow[assetId];
        bool withinLimit = bucket.tryConsume(amount);
        if (withinLimit) {
            if (IERC20(_assets[assetId].token).trySafeTransfer(to, amount)) return;
            bucket.refund(amount);
        }
        uint64 payoutId = _payouts.push(to, assetId, account, amount);
        emit PayoutQueued(to, assetId, amount, payoutId, account, withinLimit);
    }

    function _onlyGuardianOrOwner() private view {
        if (msg.sender != owner() && msg.sender != guardian) revert NotGuardianOrOwner(msg.sender);
    }

    /// @dev The owner can never become the guardian (nor the guardian the owner).
    function _transferOwnership(address newOwner) internal override {
        if (newOwner != address(0) && newOwner == guardian) revert GuardianIsOwner(newOwner);
        super._transferOwnership(newOwner);
    }

    function _attest(address account, AssetId assetId, uint256 balance, uint64 requestId, bool callerPays)
        private
        returns (uint64 seq)
    {
        seq = ++sequence;
        emit BalanceAttested(account, assetId, balance, seq, requestId);
        bytes memory message = MessageCodec.encodeAttest(MessageCodec.Attest(account, assetId, uint128(balance), seq, requestId));
        _sendMessage(hubEid, MessageCodec.ATTEST, message, callerPays);
    }

    function _listed(AssetId assetId) private view returns (AssetConfig storage asset) {
        asset = _assets[assetId];
        if (!asset.listed) revert AssetNotListed(assetId);
    }
}
