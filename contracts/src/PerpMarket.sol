// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IPerpMarket} from "./interfaces/IPerpMarket.sol";
import {ICreditManager} from "./interfaces/ICreditManager.sol";
import {ISettlementPool} from "./interfaces/ISettlementPool.sol";
import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {ILiquidationRegistry} from "./interfaces/ILiquidationRegistry.sol";
import {IMarginHub} from "./interfaces/IMarginHub.sol";
import {MarginMath} from "./libraries/MarginMath.sol";
import {PositionCaps} from "./libraries/PositionCaps.sol";
import {AssetId} from "./types/Ids.sol";

/// @title PerpMarket
/// @notice See IPerpMarket. Liquidatability is decided off chain by the aggregator (portfolio health < 1,
/// docs/risk-model.md#7-health) and marked by the pusher in the same credit push; `liquidate` checks that mark on chain
/// and refuses an account the chain's own conservative view finds well margined (see IPerpMarket).
contract PerpMarket is IPerpMarket, Ownable, ReentrancyGuard {
    uint32 public constant MAX_MARKETS = 32;
    uint64 public constant MAX_FEE_RATE = 0.01e18;
    uint256 public constant DEFAULT_MARK_OVERRIDE_HEALTH = 2e18;
    uint256 public constant MAX_LIQUIDATION_PENALTY = 0.1e18;
    uint256 public constant DEFAULT_LIQUIDATION_PENALTY = 0.02e18;

    ICreditManager public immutable creditManager;
    ISettlementPool public immutable settlementPool;
    uint256 public maxPriceAge;
    uint32 public marketCount;
    uint256 public markOverrideHealth = DEFAULT_MARK_OVERRIDE_HEALTH;
    uint256 public liquidationPenalty = DEFAULT_LIQUIDATION_PENALTY;
    address public liquidationRegistry;
    address public insuranceFund;
    /// @notice RiskParameters: once set, the only way margin ratios, fees and `markOverrideHealth` change.
    address public paramGovernor;

    mapping(uint32 => Market) private _markets;
    mapping(address => mapping(uint32 => Position)) private _positions;
    mapping(uint32 => PositionCaps.MarketCaps) private _caps;
    mapping(AssetId => PositionCaps.AssetCaps) private _assetCaps;

    constructor(address owner_, ICreditManager creditManager_, ISettlementPool settlementPool_, uint256 maxPriceAge_)
        Ownable(owner_)
    {
        if (address(creditManager_) == address(0) || address(settlementPool_) == address(0)) revert ZeroAddress();
        creditManager = creditManager_;
        settlementPool = settlementPool_;
        maxPriceAge = maxPriceAge_;
        emit MaxPriceAgeSet(maxPriceAge_);
        emit MarkOverrideHealthSet(DEFAULT_MARK_OVERRIDE_HEALTH);
        emit LiquidationPenaltySet(DEFAULT_LIQUIDATION_PENALTY);
    }

    function market(uint32 marketId) external view returns (Market memory) {
        return _markets[marketId];
    }

    function position(address account, uint32 marketId) external view returns (Position memory) {
        return _positions[account][marketId];
    }

    function price(uint32 marketId) public view returns (uint256) {
        return MarginMath.readPrice(_listed(marketId).feed, maxPriceAge);
    }

    function listMarket(AssetId assetId, AggregatorV3Interface feed, uint64 imr, uint64 mmr, uint64 feeRate)
        external
        onlyOwner
        returns (uint32 marketId)
    {
        if (mmr == 0 || mmr > imr || imr > MarginMath.WAD) revert InvalidMarginRatios(imr, mmr);
        if (feeRate > MAX_FEE_RATE) revert InvalidFeeRate(feeRate);
        if (marketCount == MAX_MARKETS) revert TooManyMarkets();
        marketId = marketCount++;
        _markets[marketId] = Market(assetId, feed, imr, mmr, feeRate, true, 0);
        _assetCaps[assetId].markets |= uint32(1) << marketId;
        emit MarketListed(marketId, assetId, address(feed), imr, mmr, feeRate);
    }

    function setMaxPriceAge(uint256 maxPriceAge_) external onlyOwner {
        maxPriceAge = maxPriceAge_;
        emit MaxPriceAgeSet(maxPriceAge_);
    }

    function setParamGovernor(address governor) external onlyOwner {
        if (governor == address(0)) revert ZeroAddress();
        if (paramGovernor != address(0)) revert ParamGoverned(msg.sender);
        paramGovernor = governor;
        emit ParamGovernorSet(governor);
    }

    function setMarketRisk(uint32 marketId, uint64 imr, uint64 mmr, uint64 feeRate) external {
        _checkGoverned();
        Market storage m = _markets[marketId];
        if (!m.listed) revert MarketNotListed(marketId);
        if (mmr == 0 || mmr > imr || imr > MarginMath.WAD) revert InvalidMarginRatios(imr, mmr);
        if (feeRate > MAX_FEE_RATE) revert InvalidFeeRate(feeRate);
        (m.imr, m.mmr, m.feeRate) = (imr, mmr, feeRate);
        emit MarketRiskSet(marketId, imr, mmr, feeRate);
    }

    function setMarkOverrideHealth(uint256 health) external {
        _checkGoverned();
        if (health < MarginMath.WAD) revert InvalidMarkOverrideHealth(health);
        markOverrideHealth = health;
        emit MarkOverrideHealthSet(health);
    }

    function setLiquidationPenalty(uint256 penalty) external {
        _checkGoverned();
        if (penalty > MAX_LIQUIDATION_PENALTY) revert InvalidLiquidationPenalty(penalty);
        liquidationPenalty = penalty;
        emit LiquidationPenaltySet(penalty);
    }

    function openInterest(uint32 marketId) external view returns (uint256 total, uint256 marketCap, uint256 accountCap) {
        PositionCaps.MarketCaps memory caps = _caps[marketId];
        return (_markets[marketId].openInterest, caps.openInterest, caps.account);
    }

    function exposureCap(AssetId assetId) external view returns (uint256) {
        return _assetCaps[assetId].exposureCap;
    }

    function exposureUnits(address account, AssetId assetId) external view returns (int256) {
        return PositionCaps.exposureUnits(_hub(), account, assetId, _perpUnits(account, assetId, type(uint32).max));
    }

    function setOpenInterestCaps(uint32 marketId, uint256 marketCap, uint256 accountCap) external {
        _checkGoverned();
        _listed(marketId);
        _caps[marketId] = PositionCaps.MarketCaps(_cap(marketCap), _cap(accountCap));
        emit OpenInterestCapsSet(marketId, marketCap, accountCap);
    }

    function setExposureCap(AssetId assetId, uint256 cap) external {
        _checkGoverned();
        if (_assetCaps[assetId].markets == 0) revert AssetWithoutMarket(assetId);
        _assetCaps[assetId].exposureCap = _cap(cap);
        emit ExposureCapSet(assetId, cap);
    }

    function setLiquidationRegistry(address registry) external onlyOwner {
        if (registry == address(0)) revert ZeroAddress();
        if (liquidationRegistry != address(0)) revert AlreadySet();
        liquidationRegistry = registry;
        emit LiquidationRegistrySet(registry);
    }

    function setInsuranceFund(address insuranceFund_) external onlyOwner {
        if (insuranceFund_ == address(0)) revert ZeroAddress();
        if (insuranceFund != address(0)) revert AlreadySet();
        insuranceFund = insuranceFund_;
        emit InsuranceFundSet(insuranceFund_);
    }

    function hasPositions(address account) external view returns (bool) {
        uint32 count = marketCount;
        for (uint32 marketId; marketId < count; ++marketId) {
            if (_positions[account][marketId].size != 0) return true;
        }
        return false;
    }

    /// @inheritdoc IPerpMarket
    function conservativeHealth(address account) public view returns (uint256) {
        int256 equity = SafeCast.toInt256(creditManager.collateralValue(account)) + settlementPool.cashOf(account);
        uint256 requirement;
        uint32 count = marketCount;
        for (uint32 marketId; marketId < count; ++marketId) {
            Position memory p = _positions[account][marketId];
            if (p.size == 0) continue;
            uint256 px = price(marketId);
            equity += (int256(p.size) * (SafeCast.toInt256(px) - int256(uint256(p.entryPrice)))) / int256(MarginMath.WAD);
            requirement += MarginMath.margin(MarginMath.abs(p.size), px, _markets[marketId].mmr);
        }
        if (requirement == 0) return type(uint256).max;
        return equity <= 0 ? 0 : (uint256(equity) * MarginMath.WAD) / requirement;
    }

    /// @inheritdoc IPerpMarket
    function modifyPosition(uint32 marketId, int256 sizeDelta) external nonReentrant {
        if (sizeDelta == 0) revert ZeroSizeDelta();
        _apply(msg.sender, marketId, sizeDelta, price(marketId), true);
    }

    /// @inheritdoc IPerpMarket
    function liquidate(address account, uint256 fraction) external nonReentrant returns (uint64 liquidationId, uint256 penalty) {
        if (fraction == 0 || fraction > MarginMath.WAD) revert InvalidFraction(fraction);
        address fund = insuranceFund;
        address registry = liquidationRegistry;
        if (registry == address(0) || fund == address(0)) revert LiquidationNotConfigured();
        if (!creditManager.isLiquidatable(account)) revert NotLiquidatable(account);
        uint256 health = conservativeHealth(account);
        if (health == type(uint256).max) revert NoPositions(account);
        if (health >= markOverrideHealth) revert ConservativelyHealthy(account, health);
        liquidationId = ILiquidationRegistry(registry).openLiquidation(account);
        uint256 notional;
        uint32 count = marketCount;
        for (uint32 marketId; marketId < count; ++marketId) {
            (uint256 closedNotional, uint256 share) = _liquidatePosition(account, marketId, fraction);
            notional += closedNotional;
            penalty += share;
        }
        settlementPool.chargePenalty(liquidationId, account, penalty, msg.sender, fund);
        emit LiquidationExecuted(liquidationId, account, msg.sender, fraction, notional, penalty, health);
    }

    /// @dev Closes `fraction` of one position (rounded toward zero: never more than the position), no trading fee;
    /// returns the closed notional and its penalty share π × |closed| × price (rounded up).
    function _liquidatePosition(address account, uint32 marketId, uint256 fraction)
        private
        returns (uint256 closedNotional, uint256 share)
    {
        int256 size = _positions[account][marketId].size;
        int256 closed = fraction == MarginMath.WAD ? size : (size * int256(fraction)) / int256(MarginMath.WAD);
        if (closed == 0) return (0, 0);
        uint256 px = price(marketId);
        Change memory c = _apply(account, marketId, -closed, px, false);
        closedNotional = (MarginMath.abs(closed) * px) / MarginMath.WAD;
        share = MarginMath.fee(MarginMath.abs(closed), px, liquidationPenalty);
        emit Liquidated(account, marketId, msg.sender, closed, px, c.realized, share);
    }

    /// @dev Settles PnL and fee first (the pool is the counterparty), then moves margin: increases consume it at
    /// `px` (fresh credit required, net of the fee just charged); reductions release it pro rata; a flip
    /// releases all and consumes the new side's margin.
    /// A liquidation's fill pays no trading fee (`charged` false): its penalty is charged instead.
    function _apply(address account, uint32 marketId, int256 delta, uint256 px, bool charged) private returns (Change memory c) {
        Position memory p = _positions[account][marketId];
        Market memory m = _listed(marketId);
        c = _change(p, delta, px, m.imr);
        _trackOpenInterest(account, marketId, m, p.size, c.size, px);
        if (charged) c.fee = MarginMath.fee(MarginMath.abs(delta), px, m.feeRate);
        if (c.realized != 0 || c.fee != 0) settlementPool.settle(account, c.realized, c.fee);
        if (c.flipped) {
            if (p.margin != 0) creditManager.release(account, p.margin);
            creditManager.consume(account, c.margin);
        } else if (c.margin > p.margin) {
            creditManager.consume(account, c.margin - p.margin);
        } else if (c.margin < p.margin) {
            creditManager.release(account, p.margin - c.margin);
        }
        _positions[account][marketId] = Position(int128(c.size), uint128(c.entry), uint128(c.margin));
        if (p.size == 0) emit PositionOpened(account, marketId, delta, c.size, c.entry, px, c.realized, c.margin, c.fee);
        else if (c.size == 0) emit PositionClosed(account, marketId, delta, c.size, c.entry, px, c.realized, c.margin, c.fee);
        else emit PositionModified(account, marketId, delta, c.size, c.entry, px, c.realized, c.margin, c.fee);
    }

    struct Change {
        int256 size;
        uint256 entry;
        uint256 margin;
        int256 realized;
        uint256 fee;
        bool flipped;
    }

    function _change(Position memory p, int256 delta, uint256 px, uint256 imr) private pure returns (Change memory c) {
        c.size = p.size + delta;
        if (c.size > type(int128).max || c.size < type(int128).min) revert SizeOverflow();
        uint256 absOld = MarginMath.abs(p.size);
        uint256 absDelta = MarginMath.abs(delta);
        if (p.size == 0 || (p.size > 0) == (delta > 0)) {
            c.entry = (absOld * p.entryPrice + absDelta * px) / (absOld + absDelta);
            c.margin = p.margin + MarginMath.margin(absDelta, px, imr);
            return c;
        }
        uint256 closed = absDelta < absOld ? absDelta : absOld;
        c.realized = (int256(closed) * (int256(px) - int256(uint256(p.entryPrice)))) / int256(MarginMath.WAD);
        if (p.size < 0) c.realized = -c.realized;
        if (absDelta <= absOld) {
            c.margin = (uint256(p.margin) * (absOld - closed)) / absOld;
            c.entry = c.size == 0 ? 0 : p.entryPrice;
        } else {
            c.flipped = true;
            c.entry = px;
            c.margin = MarginMath.margin(absDelta - absOld, px, imr);
        }
    }

    /// @dev Keeps the market's Σ |size|; a change that raises |size| is held to the caps first (before any credit
    /// moves, so a trade past a cap names the cap). Liquidations only lower |size|: never capped.
    function _trackOpenInterest(address account, uint32 marketId, Market memory m, int256 oldSize, int256 newSize, uint256 px)
        private
    {
        uint256 absOld = MarginMath.abs(oldSize);
        uint256 absNew = MarginMath.abs(newSize);
        if (absNew == absOld) return;
        if (absNew < absOld) {
            _markets[marketId].openInterest = m.openInterest - uint112(absOld - absNew);
            return;
        }
        uint256 total = m.openInterest + (absNew - absOld);
        PositionCaps.MarketCaps memory caps = _caps[marketId];
        if (caps.openInterest != 0 && total > caps.openInterest) revert MarketOpenInterestCap(marketId, total, caps.openInterest);
        if (caps.account != 0 && absNew > caps.account) revert AccountOpenInterestCap(account, marketId, absNew, caps.account);
        _markets[marketId].openInterest = SafeCast.toUint112(total);
        uint256 cap = _assetCaps[m.assetId].exposureCap;
        if (cap != 0) _checkExposure(account, marketId, m.assetId, oldSize, newSize, px, cap);
    }

    /// @dev Exposure = collateral + every perp on the asset; only a change that moves it further from zero is capped
    /// (a short against held collateral is a hedge).
    function _checkExposure(
        address account,
        uint32 marketId,
        AssetId assetId,
        int256 oldSize,
        int256 newSize,
        uint256 px,
        uint256 cap
    ) private view {
        int256 held = PositionCaps.exposureUnits(_hub(), account, assetId, _perpUnits(account, assetId, marketId));
        uint256 after_ = MarginMath.abs(held + newSize);
        if (after_ <= MarginMath.abs(held + oldSize)) return;
        uint256 usd = (after_ * px) / MarginMath.WAD;
        if (usd > cap) revert AccountExposureCap(account, assetId, usd, cap);
    }

    /// @dev Σ size of `account` over the markets of `assetId`, leaving out `except` (type(uint32).max: none).
    function _perpUnits(address account, AssetId assetId, uint32 except) private view returns (int256 units) {
        uint32 markets = _assetCaps[assetId].markets;
        for (uint32 id; markets >> id != 0; ++id) {
            if (id != except && (markets >> id) & 1 == 1) units += _positions[account][id].size;
        }
    }

    function _hub() private view returns (IMarginHub) {
        return IMarginHub(address(creditManager.hub()));
    }

    function _cap(uint256 cap) private pure returns (uint128) {
        if (cap > type(uint128).max) revert InvalidCap(cap);
        return uint128(cap);
    }

    /// @dev The owner until a parameter governor is set, then only the governor.
    function _checkGoverned() private view {
        address governor = paramGovernor;
        if (governor == address(0)) _checkOwner();
        else if (msg.sender != governor) revert ParamGoverned(msg.sender);
    }

    function _listed(uint32 marketId) private view returns (Market memory m) {
        m = _markets[marketId];
        if (!m.listed) revert MarketNotListed(marketId);
    }
}
