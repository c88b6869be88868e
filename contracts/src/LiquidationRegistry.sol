// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ILiquidationRegistry} from "./interfaces/ILiquidationRegistry.sol";
import {IMarginHub} from "./interfaces/IMarginHub.sol";
import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {ICreditManager} from "./interfaces/ICreditManager.sol";
import {IPerpMarket} from "./interfaces/IPerpMarket.sol";
import {ISettlementPool} from "./interfaces/ISettlementPool.sol";
import {IStablePriceFeed} from "./interfaces/IStablePriceFeed.sol";
import {MarginMath} from "./libraries/MarginMath.sol";
import {SeizureMath} from "./libraries/SeizureMath.sol";
import {AssetId} from "./types/Ids.sol";

/// @title LiquidationRegistry
/// @notice See ILiquidationRegistry. Kept apart from the MarginHub (which sends what `planSeizure` says) so the
/// hub stays under the contract size limit; it reads the hub's attested balances and reservations, the
/// CreditManager's mark, the pool's cash and the PerpMarket's positions and π.
contract LiquidationRegistry is ILiquidationRegistry, AccessControl {
    bytes32 public constant MARKET_ROLE = keccak256("MARKET_ROLE");

    ICreditManager public immutable creditManager;
    address public hub;
    address public perpMarket;
    uint64 public nextLiquidationId;

    mapping(address => uint64) public activeLiquidation;
    mapping(uint64 => Liquidation) private _liquidations;
    mapping(uint32 => address) public auctionOf;
    mapping(AssetId => uint64) public maintWeight;

    constructor(address admin, ICreditManager creditManager_) {
        if (admin == address(0) || address(creditManager_) == address(0)) revert ZeroAddress();
        creditManager = creditManager_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---- views ----

    function liquidation(uint64 liquidationId) external view returns (Liquidation memory) {
        return _liquidations[liquidationId];
    }

    function uncoveredDebt(address account) public view returns (uint256) {
        int256 cash = _pool().cashOf(account);
        uint256 debt = cash < 0 ? uint256(-cash) : 0;
        uint256 covered = IMarginHub(hub).debtInFlight(account);
        return debt > covered ? debt - covered : 0;
    }

    function collateralExhausted(address account) external view returns (bool) {
        IMarginHub hub_ = IMarginHub(hub);
        if (activeLiquidation[account] == 0 || hub_.seizuresInFlight(account) != 0) return false;
        if (IPerpMarket(perpMarket).hasPositions(account)) return false;
        (uint32[] memory eids, AssetId[] memory assetIds) = hub_.chainAssetKeys();
        for (uint256 i; i < eids.length; ++i) {
            if (hub_.attestation(account, eids[i], assetIds[i]).balance != 0) return false;
        }
        return true;
    }

    /// @inheritdoc ILiquidationRegistry
    function planSeizure(address account) external view returns (SeizurePlan memory plan) {
        plan.liquidationId = activeLiquidation[account];
        if (plan.liquidationId == 0) revert NoOpenLiquidation(account);
        IPerpMarket market = IPerpMarket(perpMarket);
        if (market.hasPositions(account) && !creditManager.isLiquidatable(account)) revert NotLiquidatable(account);
        uint256 uncovered = uncoveredDebt(account);
        if (uncovered == 0) revert NoUncoveredDebt(account);
        Candidate memory best = _riskiest(account);
        if (best.available == 0) revert NothingToSeize(account);
        (plan.eid, plan.assetId, plan.recipient) = (best.eid, best.assetId, auctionOf[best.eid]);
        (uint8 decimals,) = _chainAsset(best.eid, best.assetId);
        (plan.amount, plan.debtUsd, plan.value) =
            SeizureMath.plan(uncovered, market.liquidationPenalty(), best.available, best.price, decimals);
        if (plan.amount == 0) revert NothingToSeize(account);
    }

    // ---- liquidations ----

    /// @inheritdoc ILiquidationRegistry
    function openLiquidation(address account) external returns (uint64 liquidationId) {
        if (!hasRole(MARKET_ROLE, msg.sender)) {
            if (!creditManager.isLiquidatable(account)) revert NotLiquidatable(account);
            if (IPerpMarket(perpMarket).hasPositions(account)) revert PositionsOpen(account);
            if (_pool().cashOf(account) >= 0) revert NoUncoveredDebt(account);
        }
        liquidationId = activeLiquidation[account];
        if (liquidationId != 0) return liquidationId;
        liquidationId = ++nextLiquidationId;
        activeLiquidation[account] = liquidationId;
        _liquidations[liquidationId] = Liquidation(account, uint40(block.timestamp), false, 0);
        emit LiquidationOpened(liquidationId, account, msg.sender);
    }

    /// @inheritdoc ILiquidationRegistry
    function closeLiquidation(address account) external {
        uint64 liquidationId = activeLiquidation[account];
        if (liquidationId == 0) revert NoOpenLiquidation(account);
        if (IMarginHub(hub).seizuresInFlight(account) != 0) revert LiquidationActive(account);
        int256 cash = _pool().cashOf(account);
        if (cash < 0 && (creditManager.isLiquidatable(account) || !IPerpMarket(perpMarket).hasPositions(account))) {
            revert LiquidationActive(account);
        }
        _close(account, liquidationId, cash);
    }

    function onSeizureSent(uint64 liquidationId) external {
        if (msg.sender != hub) revert NotHub(msg.sender);
        ++_liquidations[liquidationId].seizures;
    }

    function onAuctionResult(address account, uint64 liquidationId) external {
        if (msg.sender != hub) revert NotHub(msg.sender);
        if (activeLiquidation[account] != liquidationId || IMarginHub(hub).seizuresInFlight(account) != 0) return;
        int256 cash = _pool().cashOf(account);
        if (cash >= 0) _close(account, liquidationId, cash);
    }

    // ---- admin ----

    function setAuction(uint32 eid, address auction) external onlyRole(DEFAULT_ADMIN_ROLE) {
        auctionOf[eid] = auction;
        emit AuctionSet(eid, auction);
    }

    function setMaintWeight(AssetId assetId, uint64 maintWeight_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (maintWeight_ > MarginMath.WAD) revert InvalidWeight(maintWeight_);
        maintWeight[assetId] = maintWeight_;
        emit MaintWeightSet(assetId, maintWeight_);
    }

    function setHub(address hub_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (hub_ == address(0)) revert ZeroAddress();
        if (hub != address(0)) revert AlreadySet();
        hub = hub_;
        emit HubSet(hub_);
    }

    function setPerpMarket(address perpMarket_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (perpMarket_ == address(0)) revert ZeroAddress();
        if (perpMarket != address(0)) revert AlreadySet();
        perpMarket = perpMarket_;
        _grantRole(MARKET_ROLE, perpMarket_);
        emit PerpMarketSet(perpMarket_);
    }

    // ---- internals ----

    struct Candidate {
        uint32 eid;
        AssetId assetId;
        uint256 weight;
        uint256 available;
        uint256 price;
    }

    /// @dev Lowest maint weight first (the first listed on a tie) among pairs with an auction, a listed asset,
    /// unreserved attested collateral and a fresh price; `available` 0 when none.
    function _riskiest(address account) private view returns (Candidate memory best) {
        IMarginHub hub_ = IMarginHub(hub);
        (uint32[] memory eids, AssetId[] memory assetIds) = hub_.chainAssetKeys();
        uint256 maxAge = hub_.maxPriceAge();
        best.weight = type(uint256).max;
        for (uint256 i; i < eids.length; ++i) {
            Candidate memory c = Candidate(eids[i], assetIds[i], maintWeight[assetIds[i]], 0, 0);
            if (c.weight >= best.weight || auctionOf[c.eid] == address(0)) continue;
            IMarginHub.AssetRisk memory risk = _assetRisk(c.assetId);
            if (!risk.listed) continue;
            c.available = hub_.withdrawableBalance(account, c.eid, c.assetId);
            if (c.available == 0) continue;
            bool ok;
            (ok, c.price) = MarginMath.tryReadPrice(_oracleOf(risk.feed), maxAge);
            if (ok) best = c;
        }
    }

    /// @dev Seizures are sized at the oracle price (liquidation reads the oracle alone): the hub's StablePriceFeed
    /// answers p⁻ = min(p, s), so its source is read; any other feed is the oracle itself.
    function _oracleOf(AggregatorV3Interface feed) private view returns (AggregatorV3Interface) {
        try IStablePriceFeed(address(feed)).source() returns (AggregatorV3Interface source) {
            return source;
        } catch {
            return feed;
        }
    }

    function _assetRisk(AssetId assetId) private view returns (IMarginHub.AssetRisk memory risk) {
        (address feed, uint64 initWeight, bool listed) = IMarginHubViews(hub).assetRisk(assetId);
        risk = IMarginHub.AssetRisk(AggregatorV3Interface(feed), initWeight, listed);
    }

    function _chainAsset(uint32 eid, AssetId assetId) private view returns (uint8 decimals, bool listed) {
        (listed, decimals) = IMarginHubViews(hub).chainAsset(eid, assetId);
    }

    function _pool() private view returns (ISettlementPool) {
        return creditManager.settlementPool();
    }

    function _close(address account, uint64 liquidationId, int256 cash) private {
        delete activeLiquidation[account];
        _liquidations[liquidationId].closed = true;
        emit LiquidationClosed(liquidationId, account, cash);
    }
}

/// @dev The hub's public mappings as their getters return them (not in IMarginHub: struct getters return tuples).
interface IMarginHubViews {
    function assetRisk(AssetId assetId) external view returns (address feed, uint64 initWeight, bool listed);

    function chainAsset(uint32 eid, AssetId assetId) external view returns (bool listed, uint8 decimals);
}
