// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20, SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICollateralAuction} from "./interfaces/ICollateralAuction.sol";
import {ICollateralVault} from "./interfaces/ICollateralVault.sol";
import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {AuctionMath} from "./libraries/AuctionMath.sol";
import {MarginMath} from "./libraries/MarginMath.sol";
import {AssetId} from "./types/Ids.sol";

/// @title CollateralAuction
/// @notice See ICollateralAuction. Token movements: collateral arrives from the vault before `kick`, leaves to
/// takers, to redo tippers and back to the vault at close; quote tokens arrive from takers and leave only by
/// `sweep` to the treasury. So collateral held = Σ remaining over open lots and quote held = proceedsHeld.
contract CollateralAuction is ICollateralAuction, Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 public constant MAX_REDO_TIP_RATE = 0.01e18;
    uint256 private constant WAD = 1e18;

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

    mapping(AssetId => AssetConfig) private _assets;
    mapping(uint64 => Lot) private _lots;

    constructor(address owner_, address vault_, IERC20 quoteToken_, address treasury_, uint256 maxPriceAge_) Ownable(owner_) {
        if (vault_ == address(0) || address(quoteToken_) == address(0) || treasury_ == address(0)) revert ZeroAddress();
        vault = vault_;
        quoteToken = quoteToken_;
        usdPerQuoteUnit = 10 ** (18 - IERC20Metadata(address(quoteToken_)).decimals());
        treasury = treasury_;
        maxPriceAge = maxPriceAge_;
        emit MaxPriceAgeSet(maxPriceAge_);
        emit AuctionParamsSet(startFactor, floorFactor, duration, redoTipRate);
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
        if (ok) {
            _restart(l, px);
        } else {
            // No price: the curve counts as finished, so anyone may `redo` it once a price is back.
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
        uint256 px = _price(l);
        if (px > maxPrice) revert PriceAboveMax(lotId, px, maxPrice);
        AssetConfig memory asset = _assets[l.assetId];
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
        tip = (uint256(l.remaining) * redoTipRate) / WAD;
        l.remaining -= uint128(tip);
        _restart(l, px);
        emit LotRedone(lotId, msg.sender, tip, l.startPrice, px);
        if (tip != 0) asset.token.safeTransfer(msg.sender, tip);
        if (l.remaining == 0) _close(lotId, l);
    }

    // ---- internals ----

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
