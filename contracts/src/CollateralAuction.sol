// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20, SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICollateralAuction} from "./interfaces/ICollateralAuction.sol";
import {IGovernedParams} from "./interfaces/IGovernedParams.sol";
import {ICollateralVault} from "./interfaces/ICollateralVault.sol";
import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {AuctionBreaker} from "./libraries/AuctionBreaker.sol";
import {AuctionMath} from "./libraries/AuctionMath.sol";
import {GovernedParams} from "./libraries/GovernedParams.sol";
import {MarginMath} from "./libraries/MarginMath.sol";
import {AssetId} from "./types/Ids.sol";

/// @title CollateralAuction
/// @notice See ICollateralAuction. Token movements: collateral arrives from the vault before `kick`, leaves to
/// takers, to redo tippers and back to the vault at close; quote tokens arrive from takers and leave only by
/// `sweep` to the treasury. So collateral held = Σ remaining over open lots and quote held = proceedsHeld.
/// Breaker (see ICollateralAuction): its two parameters are this contract's governed parameters — key = kind << 64,
/// kind 1 BREAKER_DROP [0.05, 0.9] step 0.05, kind 2 BREAKER_WINDOW [300 s, 1 day] step ≤ half the current window.
contract CollateralAuction is ICollateralAuction, IGovernedParams, Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;
    using GovernedParams for GovernedParams.Store;
    using AuctionBreaker for AuctionBreaker.Window;

    uint256 public constant MAX_REDO_TIP_RATE = 0.01e18;
    uint256 private constant WAD = 1e18;
    uint8 public constant BREAKER_DROP = 1;
    uint8 public constant BREAKER_WINDOW = 2;
    uint256 public constant MIN_BREAKER_DROP = 0.05e18;
    uint256 public constant MAX_BREAKER_DROP = 0.9e18;
    uint256 public constant MAX_BREAKER_DROP_STEP = 0.05e18;
    uint256 public constant MIN_BREAKER_WINDOW = 5 minutes;
    uint256 public constant MAX_BREAKER_WINDOW = 1 days;

    address public immutable vault;
    IERC20 public immutable quoteToken;
    uint256 public immutable usdPerQuoteUnit;
    address public immutable treasury;

    uint256 public proceedsHeld;
    uint256 public startFactor = 1.2e18;
    uint256 public floorFactor = 0.6e18;
    uint256 public duration = 1 hours;
    uint256 public redoTipRate = 0.001e18;
    uint256 public maxPriceAge;
    uint256 public breakerDrop = 0.3e18;
    uint256 public breakerWindow = 1 hours;
    address public guardian;

    mapping(AssetId => AssetConfig) private _assets;
    mapping(uint64 => Lot) private _lots;
    mapping(AssetId => AuctionBreaker.Window) private _windows;
    mapping(AssetId => AuctionBreaker.Pause) private _pauses;
    GovernedParams.Store private _params;

    constructor(address owner_, address vault_, IERC20 quoteToken_, address treasury_, uint256 maxPriceAge_) Ownable(owner_) {
        if (vault_ == address(0) || address(quoteToken_) == address(0) || treasury_ == address(0)) revert ZeroAddress();
        vault = vault_;
        quoteToken = quoteToken_;
        usdPerQuoteUnit = 10 ** (18 - IERC20Metadata(address(quoteToken_)).decimals());
        treasury = treasury_;
        maxPriceAge = maxPriceAge_;
        emit MaxPriceAgeSet(maxPriceAge_);
        emit AuctionParamsSet(startFactor, floorFactor, duration, redoTipRate);
        emit BreakerParamsSet(breakerDrop, breakerWindow);
    }

    // ---- views ----

    function assetConfig(AssetId assetId) external view returns (AssetConfig memory) {
        return _assets[assetId];
    }

    function lot(uint64 lotId) external view returns (Lot memory) {
        return _lots[lotId];
    }

    function lotPrice(uint64 lotId) public view returns (uint256) {
        return _price(_open(lotId));
    }

    function quoteTake(uint64 lotId, uint256 amount) external view returns (uint256 bought, uint256 quoteCost) {
        Lot storage l = _open(lotId);
        uint256 costUsd;
        (bought, costUsd) = AuctionMath.take(l.remaining, amount, l.debtUsd - l.proceedsUsd, _assets[l.assetId].decimals, _price(l));
        quoteCost = AuctionMath.quoteUnits(costUsd, usdPerQuoteUnit);
    }

    // ---- admin ----

    function configureAsset(AssetId assetId, IERC20 token, AggregatorV3Interface feed) external onlyOwner {
        if (address(token) == address(0) || address(feed) == address(0)) revert ZeroAddress();
        uint8 decimals = IERC20Metadata(address(token)).decimals();
        _assets[assetId] = AssetConfig(token, feed, decimals, true);
        emit AssetConfigured(assetId, address(token), address(feed), decimals);
    }

    function setAuctionParams(uint256 startFactor_, uint256 floorFactor_, uint256 duration_, uint256 redoTipRate_)
        external
        onlyOwner
    {
        if (floorFactor_ == 0 || floorFactor_ >= startFactor_ || duration_ == 0 || redoTipRate_ > MAX_REDO_TIP_RATE) {
            revert InvalidAuctionParams();
        }
        (startFactor, floorFactor, duration, redoTipRate) = (startFactor_, floorFactor_, duration_, redoTipRate_);
        emit AuctionParamsSet(startFactor_, floorFactor_, duration_, redoTipRate_);
    }

    function setMaxPriceAge(uint256 maxPriceAge_) external onlyOwner {
        maxPriceAge = maxPriceAge_;
        emit MaxPriceAgeSet(maxPriceAge_);
    }

    /// @inheritdoc ICollateralAuction
    function sweep(uint256 amount) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        uint256 held = proceedsHeld;
        if (amount > held) revert InsufficientProceeds(amount, held);
        proceedsHeld = held - amount;
        quoteToken.safeTransfer(treasury, amount);
        emit ProceedsSwept(treasury, amount);
    }

    // ---- vault ----

    /// @inheritdoc ICollateralAuction
    function kick(uint64 lotId, uint64 liquidationId, address account, AssetId assetId, uint256 amount, uint256 debtUsd)
        external
    {
        if (msg.sender != vault) revert NotVault(msg.sender);
        AssetConfig memory asset = _assets[assetId];
        if (!asset.listed) revert AssetNotListed(assetId);
        if (_lots[lotId].status != LotStatus.None) revert LotExists(lotId);
        if (amount == 0) revert ZeroAmount();
        uint128 seized = SafeCast.toUint128(amount);
        Lot storage l = _lots[lotId];
        (l.liquidationId, l.account, l.assetId, l.status) = (liquidationId, account, assetId, LotStatus.Open);
        (l.seized, l.remaining, l.debtUsd) = (seized, seized, SafeCast.toUint128(debtUsd));
        (bool ok, uint256 px) = MarginMath.tryReadPrice(asset.feed, maxPriceAge);
        // The breaker never stops the seizure (this runs in the vault's receive): a paused asset's lot opens unpriced.
        if (ok && !_observe(assetId, px)) {
            _restart(l, px);
        } else {
            // No price, or paused: the curve counts as finished, so anyone may `redo` it once a price is back.
            l.startedAt = uint40(block.timestamp - (block.timestamp < duration ? block.timestamp : duration));
        }
        emit LotKicked(lotId, liquidationId, account, assetId, amount, debtUsd, l.startPrice, px);
        // A lot with nothing to raise closes at once and returns everything.
        if (debtUsd == 0) _close(lotId, l);
    }

    // ---- anyone ----

    /// @inheritdoc ICollateralAuction
    function take(uint64 lotId, uint256 maxAmount, uint256 maxPrice, address receiver)
        external
        nonReentrant
        returns (uint256 bought, uint256 quotePaid)
    {
        if (receiver == address(0)) revert ZeroAddress();
        if (maxAmount == 0) revert ZeroAmount();
        Lot storage l = _open(lotId);
        if (l.startPrice == 0) revert LotUnpriced(lotId);
        AssetConfig memory asset = _assets[l.assetId];
        (bool ok, uint256 oracle) = MarginMath.tryReadPrice(asset.feed, maxPriceAge);
        if (_breakerStops(l.assetId, ok, oracle)) return (0, 0);
        uint256 px = _price(l);
        if (px > maxPrice) revert PriceAboveMax(lotId, px, maxPrice);
        uint256 costUsd;
        (bought, costUsd) = AuctionMath.take(l.remaining, maxAmount, l.debtUsd - l.proceedsUsd, asset.decimals, px);
        if (bought == 0) revert TakeTooSmall(lotId);
        quotePaid = AuctionMath.quoteUnits(costUsd, usdPerQuoteUnit);
        uint256 proceedsUsd = quotePaid * usdPerQuoteUnit;
        l.remaining -= uint128(bought);
        l.proceedsUsd += SafeCast.toUint128(proceedsUsd);
        proceedsHeld += quotePaid;
        quoteToken.safeTransferFrom(msg.sender, address(this), quotePaid);
        asset.token.safeTransfer(receiver, bought);
        emit LotTaken(lotId, msg.sender, receiver, bought, px, quotePaid, proceedsUsd, l.remaining);
        if (l.proceedsUsd >= l.debtUsd || l.remaining == 0) _close(lotId, l);
    }

    /// @inheritdoc ICollateralAuction
    function redo(uint64 lotId) external nonReentrant returns (uint256 tip) {
        Lot storage l = _open(lotId);
        uint256 floorAt = uint256(l.startedAt) + duration;
        if (l.startPrice != 0 && block.timestamp < floorAt) revert NotAtFloor(lotId, floorAt);
        AssetConfig memory asset = _assets[l.assetId];
        uint256 px = MarginMath.readPrice(asset.feed, maxPriceAge);
        if (_breakerStops(l.assetId, true, px)) return 0;
        tip = (uint256(l.remaining) * redoTipRate) / WAD;
        l.remaining -= uint128(tip);
        _restart(l, px);
        emit LotRedone(lotId, msg.sender, tip, l.startPrice, px);
        if (tip != 0) asset.token.safeTransfer(msg.sender, tip);
        if (l.remaining == 0) _close(lotId, l);
    }

    // ---- breaker ----

    function breaker(AssetId assetId) external view returns (BreakerState memory) {
        AuctionBreaker.Pause memory p = _pauses[assetId];
        AuctionBreaker.Window memory w = _windows[assetId];
        return BreakerState(
            AuctionBreaker.active(p), p.pausedUntil, p.trippedAt, p.resumedAt, p.referencePrice, w.high, w.highAt, w.next, w.nextAt
        );
    }

    function isPaused(AssetId assetId) external view returns (bool) {
        return AuctionBreaker.active(_pauses[assetId]);
    }

    /// @inheritdoc ICollateralAuction
    function poke(AssetId assetId) external returns (bool paused) {
        AssetConfig memory asset = _assets[assetId];
        if (!asset.listed) revert AssetNotListed(assetId);
        (bool ok, uint256 px) = MarginMath.tryReadPrice(asset.feed, maxPriceAge);
        return ok ? _observe(assetId, px) : AuctionBreaker.active(_pauses[assetId]);
    }

    /// @inheritdoc ICollateralAuction
    function resume(AssetId assetId) external {
        if (msg.sender != guardian && msg.sender != owner()) revert NotGuardianOrOwner(msg.sender);
        AuctionBreaker.Pause storage p = _pauses[assetId];
        if (!AuctionBreaker.active(p)) revert NotPaused(assetId);
        (p.paused, p.pausedUntil, p.resumedAt) = (false, uint40(block.timestamp), uint40(block.timestamp));
        delete _windows[assetId];
        emit AuctionResumed(assetId, msg.sender);
    }

    function setGuardian(address guardian_) external onlyOwner {
        guardian = guardian_;
        emit GuardianSet(guardian_);
    }

    function setBreakerParams(uint256 drop, uint256 window) external onlyOwner {
        _params.requireConfiguring();
        GovernedParams.check(GovernedParams.key(BREAKER_DROP, 0), drop, drop, _bound(GovernedParams.key(BREAKER_DROP, 0)));
        GovernedParams.check(GovernedParams.key(BREAKER_WINDOW, 0), window, window, _bound(GovernedParams.key(BREAKER_WINDOW, 0)));
        (breakerDrop, breakerWindow) = (drop, window);
        emit BreakerParamsSet(drop, window);
    }

    // ---- IGovernedParams (the breaker's β and window) ----

    function paramDelay() external view returns (uint256) {
        return _params.active ? _params.delay : 0;
    }

    function paramValue(bytes32 k) public view returns (uint256) {
        uint8 kind = GovernedParams.kindOf(k);
        if (GovernedParams.idOf(k) == 0 && kind == BREAKER_DROP) return breakerDrop;
        if (GovernedParams.idOf(k) == 0 && kind == BREAKER_WINDOW) return breakerWindow;
        revert UnknownParam(k);
    }

    function paramBound(bytes32 k) external view returns (uint256 min, uint256 max, uint256 maxStep) {
        GovernedParams.Bound memory b = _bound(k);
        return (b.min, b.max, b.maxStep);
    }

    function pendingParam(bytes32 k) external view returns (uint256 value, uint256 eta) {
        return _params.pending(k);
    }

    /// @notice Owner, once (the deploy's last step on this chain): from then on β and the window change only by
    /// proposal, after `delay`.
    function activateGovernance(uint256 delay) external onlyOwner {
        _params.activate(delay);
    }

    function proposeParam(bytes32 k, uint256 value) external onlyOwner returns (uint256 eta) {
        return _params.propose(k, paramValue(k), value, _bound(k));
    }

    function executeParam(bytes32 k) external {
        uint256 value = _params.execute(k, paramValue(k), _bound(k));
        if (GovernedParams.kindOf(k) == BREAKER_DROP) breakerDrop = value;
        else breakerWindow = value;
        emit BreakerParamsSet(breakerDrop, breakerWindow);
    }

    function cancelParam(bytes32 k) external onlyOwner {
        _params.cancel(k);
    }

    // ---- internals ----

    function _bound(bytes32 k) private view returns (GovernedParams.Bound memory) {
        uint8 kind = GovernedParams.kindOf(k);
        if (GovernedParams.idOf(k) == 0 && kind == BREAKER_DROP) {
            return GovernedParams.Bound(MIN_BREAKER_DROP, MAX_BREAKER_DROP, MAX_BREAKER_DROP_STEP);
        }
        if (GovernedParams.idOf(k) == 0 && kind == BREAKER_WINDOW) {
            return GovernedParams.Bound(MIN_BREAKER_WINDOW, MAX_BREAKER_WINDOW, breakerWindow / 2);
        }
        revert UnknownParam(k);
    }

    /// @dev A price point for the breaker: ends a recorded pause whose time is up, records a trip. Returns whether the
    /// asset is paused after it.
    function _observe(AssetId assetId, uint256 px) private returns (bool) {
        AuctionBreaker.Pause memory p = _pauses[assetId];
        bool changed;
        if (p.paused && block.timestamp >= p.pausedUntil) {
            (p.paused, changed) = (false, true);
            emit AuctionResumed(assetId, address(0));
        }
        uint256 window = breakerWindow;
        (bool tripped, uint256 high) = _windows[assetId].observe(px, breakerDrop, window);
        if (tripped) {
            (p.paused, p.pausedUntil, p.trippedAt, p.referencePrice, changed) =
                (true, uint40(block.timestamp + window), uint40(block.timestamp), uint96(high), true);
            emit AuctionPaused(assetId, high, px, p.pausedUntil);
        }
        if (changed) _pauses[assetId] = p;
        return p.paused;
    }

    /// @dev Take and redo: refused while paused; with a price, their own point may trip the breaker (then they record
    /// the pause and stop without moving tokens: a revert would undo the record).
    function _breakerStops(AssetId assetId, bool priced, uint256 px) private returns (bool) {
        AuctionBreaker.Pause memory p = _pauses[assetId];
        if (AuctionBreaker.active(p)) revert BreakerPaused(assetId, p.pausedUntil);
        return priced && _observe(assetId, px);
    }

    function _restart(Lot storage l, uint256 px) private {
        l.startedAt = uint40(block.timestamp);
        l.oracleAtStart = SafeCast.toUint128(px);
        l.startPrice = SafeCast.toUint128((px * startFactor) / WAD);
    }

    function _price(Lot storage l) private view returns (uint256) {
        if (l.startPrice == 0) return 0;
        uint256 floor = (uint256(l.oracleAtStart) * floorFactor) / WAD;
        return AuctionMath.price(l.startPrice, floor, block.timestamp - l.startedAt, duration);
    }

    /// @dev Returns the unsold rest to the vault, which credits the account and sends AUCTION_RESULT.
    function _close(uint64 lotId, Lot storage l) private {
        uint256 returned = l.remaining;
        l.remaining = 0;
        l.status = LotStatus.Closed;
        emit LotClosed(lotId, l.liquidationId, l.account, l.proceedsUsd, returned);
        if (returned != 0) _assets[l.assetId].token.safeTransfer(vault, returned);
        ICollateralVault(vault).closeLot(lotId, l.liquidationId, l.account, l.assetId, l.seized, l.proceedsUsd, returned);
    }

    function _open(uint64 lotId) private view returns (Lot storage l) {
        l = _lots[lotId];
        if (l.status != LotStatus.Open) revert LotNotOpen(lotId);
    }
}
