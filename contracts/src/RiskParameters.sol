// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IGovernedParams} from "./interfaces/IGovernedParams.sol";
import {IMarginHub} from "./interfaces/IMarginHub.sol";
import {IPerpMarket} from "./interfaces/IPerpMarket.sol";
import {ICreditManager} from "./interfaces/ICreditManager.sol";
import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {IStablePriceFeed} from "./interfaces/IStablePriceFeed.sol";
import {GovernedParams} from "./libraries/GovernedParams.sol";
import {AssetId} from "./types/Ids.sol";

/// @title RiskParameters
/// @notice The trading chain's one place for the parameters that move credit, and the only path that changes
/// them once the hub, the market and the CreditManager name it their parameter governor: the owner proposes,
/// anyone executes after `paramDelay`, each change within its range and step (GovernedParams). Values the hub,
/// market or CreditManager use live there and are written through their governor-only setters; the weights only
/// the aggregator uses (maintenance weights, chain weights) live here. The aggregator reads every value from here
/// (`paramValue`) and refreshes on `ParamExecuted`.
/// @dev Kinds (key = kind << 64 | id) and bounds (1e18 fixed point unless noted):
///   1 INIT_WEIGHT(assetId)    hub            [0, maint weight if set, else 1]  step 0.05
///   2 MAINT_WEIGHT(assetId)   here           [init weight, 1]                  step 0.05
///   3 CHAIN_WEIGHT(eid)       here           [0, 1]                            step 0.05
///   4 IMR(marketId)           market         [mmr, 1]                          step 0.05
///   5 MMR(marketId)           market         (0, imr]                          step 0.05
///   6 TAKER_FEE(marketId)     market         [0, MAX_FEE_RATE]                 step 0.001 (10 bp)
///   7 MARK_OVERRIDE_HEALTH(0) market         [1, 10]                           step 0.5
///   8 GUARD_CAPACITY(0)       CreditManager  [1e18 (1 USD), 1e30]              step ≤ the current value (at most ×2)
///   9 GUARD_REFILL(0)         CreditManager  [1e15 (0.001 USD/s), 1e27]        step ≤ the current value (at most ×2)
///  10 LIQUIDATION_PENALTY(0)  market         [0, MAX_LIQUIDATION_PENALTY]      step 0.01
///  11 MARKET_OI_CAP(marketId)      market    [1, MAX_CAP] units                step ≤ the current value (at most ×2)
///  12 ACCOUNT_OI_CAP(marketId)     market    [1, MAX_CAP] units                step ≤ the current value (at most ×2)
///  13 ACCOUNT_EXPOSURE_CAP(assetId) market   [1, MAX_CAP] USD                  step ≤ the current value (at most ×2)
///  14 STABLE_MAX_STEP(assetId) the hub's StablePriceFeed  δ [0.001, 0.2]           at most ×2 or ÷2 per change
///  15 STABLE_INTERVAL(assetId) the hub's StablePriceFeed  τ [max(300 s, maxGap), 1 day]  at most ×2 or ÷2
/// Kinds 14 and 15 exist for an asset whose hub feed is a StablePriceFeed that names this contract its governor; the
/// feed settles s at the old δ and τ before taking the new ones (no change applies to time already passed).
/// A cap has no value until `initializeParam` gives it its first (the market reads 0 as "no cap"): a newly listed
/// market or asset, like a maintenance weight. Lowering a cap is never limited by the step (down to 1).
contract RiskParameters is IGovernedParams, Ownable {
    using GovernedParams for GovernedParams.Store;

    uint8 public constant INIT_WEIGHT = 1;
    uint8 public constant MAINT_WEIGHT = 2;
    uint8 public constant CHAIN_WEIGHT = 3;
    uint8 public constant IMR = 4;
    uint8 public constant MMR = 5;
    uint8 public constant TAKER_FEE = 6;
    uint8 public constant MARK_OVERRIDE_HEALTH = 7;
    uint8 public constant GUARD_CAPACITY = 8;
    uint8 public constant GUARD_REFILL = 9;
    uint8 public constant LIQUIDATION_PENALTY = 10;
    uint8 public constant MARKET_OI_CAP = 11;
    uint8 public constant ACCOUNT_OI_CAP = 12;
    uint8 public constant ACCOUNT_EXPOSURE_CAP = 13;
    uint8 public constant STABLE_MAX_STEP = 14;
    uint8 public constant STABLE_INTERVAL = 15;

    uint256 public constant WAD = 1e18;
    uint256 public constant MAX_WEIGHT_STEP = 0.05e18;
    uint256 public constant MAX_FEE_STEP = 0.001e18;
    uint256 public constant MAX_HEALTH_STEP = 0.5e18;
    uint256 public constant MAX_PENALTY_STEP = 0.01e18;
    uint256 public constant MAX_MARK_OVERRIDE_HEALTH = 10e18;
    /// @notice Largest cap: 1e12 units of an asset, or 1e12 USD.
    uint256 public constant MAX_CAP = 1e30;
    /// @notice The stable price's δ (1e18 per τ) and τ (s): ranges; a change at most doubles or halves either.
    uint256 public constant MIN_STABLE_MAX_STEP = 0.001e18;
    uint256 public constant MAX_STABLE_MAX_STEP = 0.2e18;
    uint256 public constant MIN_STABLE_INTERVAL = 5 minutes;
    uint256 public constant MAX_STABLE_INTERVAL = 1 days;

    IMarginHub public immutable hub;
    IPerpMarket public immutable market;
    ICreditManager public immutable creditManager;

    GovernedParams.Store private _params;
    /// @dev The values kept here (kinds 2 and 3); `_set` tells a 0 from "not set yet".
    mapping(bytes32 => uint256) private _values;
    mapping(bytes32 => bool) private _set;

    /// @notice A weight kept here was given its first value (an asset or chain listed).
    event ParamInitialized(bytes32 indexed key, uint256 value);

    constructor(address owner_, IMarginHub hub_, IPerpMarket market_, ICreditManager creditManager_, uint256 delay)
        Ownable(owner_)
    {
        hub = hub_;
        market = market_;
        creditManager = creditManager_;
        _params.activate(delay);
    }

    function key(uint8 kind, uint64 id) external pure returns (bytes32) {
        return GovernedParams.key(kind, id);
    }

    // ---- IGovernedParams ----

    function paramDelay() external view returns (uint256) {
        return _params.delay;
    }

    function pendingParam(bytes32 k) external view returns (uint256 value, uint256 eta) {
        return _params.pending(k);
    }

    function paramBound(bytes32 k) external view returns (uint256 min, uint256 max, uint256 maxStep) {
        GovernedParams.Bound memory b = _bound(k);
        return (b.min, b.max, b.maxStep);
    }

    /// @dev The delay is fixed at construction (the deploy config's); see GovernedParams.MIN_DELAY/MAX_DELAY.
    function activateGovernance(uint256) external pure {
        revert GovernanceActive();
    }

    function proposeParam(bytes32 k, uint256 value) external onlyOwner returns (uint256 eta) {
        return _params.propose(k, paramValue(k), value, _bound(k));
    }

    function executeParam(bytes32 k) external {
        uint256 value = _params.execute(k, paramValue(k), _bound(k));
        _apply(k, value);
    }

    function cancelParam(bytes32 k) external onlyOwner {
        _params.cancel(k);
    }

    /// @notice Owner: the first value of a weight kept here (a newly listed asset's maintenance weight, a new
    /// chain's weight) or of a market's cap; reverts ParamGoverned once it has one.
    function initializeParam(bytes32 k, uint256 value) external onlyOwner {
        uint8 kind = GovernedParams.kindOf(k);
        if (kind >= MARKET_OI_CAP && kind <= ACCOUNT_EXPOSURE_CAP) {
            if (_capValue(k) != 0) revert ParamGoverned();
            GovernedParams.check(k, value, value, _bound(k));
            _apply(k, value);
            emit ParamInitialized(k, value);
            return;
        }
        if (kind != MAINT_WEIGHT && kind != CHAIN_WEIGHT) revert UnknownParam(k);
        if (_set[k]) revert ParamGoverned();
        _set[k] = true;
        GovernedParams.Bound memory b = _bound(k);
        GovernedParams.check(k, value, value, b);
        _values[k] = value;
        emit ParamInitialized(k, value);
    }

    /// @notice The current value of a governed parameter (reverts UnknownParam: unknown kind, unlisted asset or
    /// market, a weight kept here not yet initialized).
    function paramValue(bytes32 k) public view returns (uint256) {
        uint8 kind = GovernedParams.kindOf(k);
        uint64 id = GovernedParams.idOf(k);
        if (kind == INIT_WEIGHT) return _assetRisk(k).initWeight;
        if (kind == MAINT_WEIGHT || kind == CHAIN_WEIGHT) {
            if (!_set[k]) revert UnknownParam(k);
            return _values[k];
        }
        if (kind == IMR) return _market(k).imr;
        if (kind == MMR) return _market(k).mmr;
        if (kind == TAKER_FEE) return _market(k).feeRate;
        if (kind == MARK_OVERRIDE_HEALTH && id == 0) return market.markOverrideHealth();
        if (kind == LIQUIDATION_PENALTY && id == 0) return market.liquidationPenalty();
        if (kind >= MARKET_OI_CAP && kind <= ACCOUNT_EXPOSURE_CAP) {
            uint256 cap = _capValue(k);
            if (cap == 0) revert UnknownParam(k);
            return cap;
        }
        if (kind == STABLE_MAX_STEP) return _stableFeed(k).maxStep();
        if (kind == STABLE_INTERVAL) return _stableFeed(k).interval();
        if ((kind == GUARD_CAPACITY || kind == GUARD_REFILL) && id == 0) {
            (uint128 capacity, uint128 refill) = creditManager.increaseGuard();
            return kind == GUARD_CAPACITY ? capacity : refill;
        }
        revert UnknownParam(k);
    }

    // ---- internals ----

    function _bound(bytes32 k) private view returns (GovernedParams.Bound memory b) {
        uint8 kind = GovernedParams.kindOf(k);
        uint64 id = GovernedParams.idOf(k);
        if (kind == INIT_WEIGHT || kind == MAINT_WEIGHT || kind == CHAIN_WEIGHT) {
            b = GovernedParams.Bound(0, WAD, MAX_WEIGHT_STEP);
            bytes32 maint = GovernedParams.key(MAINT_WEIGHT, id);
            if (kind == INIT_WEIGHT && _set[maint]) b.max = _values[maint];
            if (kind == MAINT_WEIGHT) b.min = _assetRisk(GovernedParams.key(INIT_WEIGHT, id)).initWeight;
        } else if (kind == IMR) {
            b = GovernedParams.Bound(_market(k).mmr, WAD, MAX_WEIGHT_STEP);
        } else if (kind == MMR) {
            b = GovernedParams.Bound(1, _market(k).imr, MAX_WEIGHT_STEP);
        } else if (kind == TAKER_FEE) {
            b = GovernedParams.Bound(0, market.MAX_FEE_RATE(), MAX_FEE_STEP);
        } else if (kind == MARK_OVERRIDE_HEALTH) {
            b = GovernedParams.Bound(WAD, MAX_MARK_OVERRIDE_HEALTH, MAX_HEALTH_STEP);
        } else if (kind == LIQUIDATION_PENALTY && id == 0) {
            b = GovernedParams.Bound(0, market.MAX_LIQUIDATION_PENALTY(), MAX_PENALTY_STEP);
        } else if (kind == GUARD_CAPACITY || kind == GUARD_REFILL) {
            uint256 current = paramValue(k);
            b = kind == GUARD_CAPACITY ? GovernedParams.Bound(1e18, 1e30, 0) : GovernedParams.Bound(1e15, 1e27, 0);
            b.maxStep = current < b.min ? b.min : current;
        } else if (kind >= MARKET_OI_CAP && kind <= ACCOUNT_EXPOSURE_CAP) {
            // At most doubles per change; any cut (the step from c down to 1 is < c).
            b = GovernedParams.Bound(1, MAX_CAP, _capValue(k));
        } else if (kind == STABLE_MAX_STEP || kind == STABLE_INTERVAL) {
            IStablePriceFeed feed = _stableFeed(k);
            uint256 current = kind == STABLE_MAX_STEP ? feed.maxStep() : feed.interval();
            b = kind == STABLE_MAX_STEP
                ? GovernedParams.Bound(MIN_STABLE_MAX_STEP, MAX_STABLE_MAX_STEP, current)
                : GovernedParams.Bound(MIN_STABLE_INTERVAL, MAX_STABLE_INTERVAL, current);
            if (kind == STABLE_INTERVAL && b.min < feed.maxGap()) b.min = feed.maxGap();
            // Up: the step (≤ current) caps it at ×2. Down: the range starts at half the current value.
            if (b.min < (current + 1) / 2) b.min = (current + 1) / 2;
        } else {
            revert UnknownParam(k);
        }
    }

    function _apply(bytes32 k, uint256 value) private {
        uint8 kind = GovernedParams.kindOf(k);
        uint64 id = GovernedParams.idOf(k);
        if (kind == INIT_WEIGHT) {
            hub.setAssetRisk(AssetId.wrap(uint16(id)), _assetRisk(k).feed, uint64(value));
        } else if (kind == MAINT_WEIGHT || kind == CHAIN_WEIGHT) {
            _values[k] = value;
        } else if (kind == IMR || kind == MMR || kind == TAKER_FEE) {
            IPerpMarket.Market memory m = _market(k);
            if (kind == IMR) m.imr = uint64(value);
            else if (kind == MMR) m.mmr = uint64(value);
            else m.feeRate = uint64(value);
            market.setMarketRisk(uint32(id), m.imr, m.mmr, m.feeRate);
        } else if (kind == MARK_OVERRIDE_HEALTH) {
            market.setMarkOverrideHealth(value);
        } else if (kind == LIQUIDATION_PENALTY) {
            market.setLiquidationPenalty(value);
        } else if (kind == MARKET_OI_CAP || kind == ACCOUNT_OI_CAP) {
            (, uint256 marketCap, uint256 accountCap) = market.openInterest(uint32(id));
            if (kind == MARKET_OI_CAP) marketCap = value;
            else accountCap = value;
            market.setOpenInterestCaps(uint32(id), marketCap, accountCap);
        } else if (kind == ACCOUNT_EXPOSURE_CAP) {
            market.setExposureCap(AssetId.wrap(uint16(id)), value);
        } else if (kind == STABLE_MAX_STEP || kind == STABLE_INTERVAL) {
            IStablePriceFeed feed = _stableFeed(k);
            if (kind == STABLE_MAX_STEP) feed.setStableParams(value, feed.interval());
            else feed.setStableParams(feed.maxStep(), value);
        } else {
            (uint128 capacity, uint128 refill) = creditManager.increaseGuard();
            if (kind == GUARD_CAPACITY) capacity = uint128(value);
            else refill = uint128(value);
            creditManager.setIncreaseGuard(capacity, refill);
        }
    }

    function _assetRisk(bytes32 k) private view returns (IMarginHub.AssetRisk memory risk) {
        uint64 id = GovernedParams.idOf(k);
        if (id <= type(uint16).max) {
            (AggregatorV3Interface feed, uint64 initWeight, bool listed) = hub.assetRisk(AssetId.wrap(uint16(id)));
            risk = IMarginHub.AssetRisk(feed, initWeight, listed);
        }
        if (!risk.listed) revert UnknownParam(k);
    }

    /// @dev A cap's value on the market (0: not set); UnknownParam for an unlisted market or an asset no market trades.
    function _capValue(bytes32 k) private view returns (uint256) {
        uint8 kind = GovernedParams.kindOf(k);
        uint64 id = GovernedParams.idOf(k);
        if (kind == ACCOUNT_EXPOSURE_CAP) {
            if (id > type(uint16).max || !_tradedAsset(uint16(id))) revert UnknownParam(k);
            return market.exposureCap(AssetId.wrap(uint16(id)));
        }
        _market(k);
        (, uint256 marketCap, uint256 accountCap) = market.openInterest(uint32(id));
        return kind == MARKET_OI_CAP ? marketCap : accountCap;
    }

    /// @dev The listed asset's hub feed, if it is a StablePriceFeed governed by this contract; else UnknownParam.
    function _stableFeed(bytes32 k) private view returns (IStablePriceFeed feed) {
        feed = IStablePriceFeed(address(_assetRisk(k).feed));
        try feed.paramGovernor() returns (address governor) {
            if (governor != address(this)) revert UnknownParam(k);
        } catch {
            revert UnknownParam(k);
        }
    }

    function _tradedAsset(uint16 assetId) private view returns (bool) {
        uint32 count = market.marketCount();
        for (uint32 i; i < count; ++i) {
            IPerpMarket.Market memory m = market.market(i);
            if (m.listed && AssetId.unwrap(m.assetId) == assetId) return true;
        }
        return false;
    }

    function _market(bytes32 k) private view returns (IPerpMarket.Market memory m) {
        uint64 id = GovernedParams.idOf(k);
        if (id <= type(uint32).max) m = market.market(uint32(id));
        if (!m.listed) revert UnknownParam(k);
    }
}
