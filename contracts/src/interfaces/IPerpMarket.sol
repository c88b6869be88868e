// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AssetId} from "../types/Ids.sol";
import {AggregatorV3Interface} from "./AggregatorV3Interface.sol";
import {ICreditManager} from "./ICreditManager.sol";
import {ISettlementPool} from "./ISettlementPool.sol";

/// @title IPerpMarket
/// @notice Minimal perpetual futures on oracle prices. Initial margin (|size| × price × imr) is consumed
/// from the CreditManager. The SettlementPool is the counterparty: every fill settles its realized PnL and
/// its taker fee (|sizeDelta| × price × feeRate, rounded up) into the account's cash before any credit
/// changes, so a loss or a fee lowers available credit at once and an open is checked net of its fee.
/// @dev Liquidation: the aggregator's pusher marks an account liquidatable in its credit push (health < 1
/// per the portfolio model); then anyone may call `liquidate(account, fraction)`, which closes that fraction of
/// every position of the account at the oracle price (no trading fee) and charges the penalty
/// π · Σ |closed size| × price to its cash, half to the caller, half to the insurance fund, and opens (or
/// keeps) the account's liquidation in the LiquidationRegistry, which later seizures follow. A mark only counts while its push is fresh, and never against an account the
/// chain itself sees as well margined: `conservativeHealth` (hub-attested collateral at the initial weight +
/// cash + unrealized PnL, over Σ |size| × price × mmr) at or above `markOverrideHealth` refuses the
/// liquidation, so a stolen pusher key cannot close healthy accounts.
/// Sizes are signed, 1e18 = one unit of the underlying; prices are 1e18 USD.
interface IPerpMarket {
    struct Market {
        AssetId assetId;
        AggregatorV3Interface feed;
        uint64 imr;
        uint64 mmr;
        /// @dev Taker fee per fill, 1e18 = 100% of notional.
        uint64 feeRate;
        bool listed;
        /// @dev Gross open interest Σ |size| over accounts (units 1e18), kept in the slot every fill already reads.
        uint112 openInterest;
    }

    struct Position {
        int128 size;
        uint128 entryPrice;
        /// @dev Initial margin currently consumed from the CreditManager for this position.
        uint128 margin;
    }

    error MarketNotListed(uint32 marketId);
    error InvalidMarginRatios(uint64 imr, uint64 mmr);
    error InvalidFeeRate(uint64 feeRate);
    error ZeroAddress();
    error TooManyMarkets();
    error ZeroSizeDelta();
    error PriceUnavailable(address feed);
    error NotLiquidatable(address account);
    error SizeOverflow();
    /// @notice `liquidate` of a marked account whose on-chain conservative health is ≥ markOverrideHealth.
    error ConservativelyHealthy(address account, uint256 health);
    /// @notice markOverrideHealth must be at least 1 (1e18).
    error InvalidMarkOverrideHealth(uint256 health);
    /// @notice `liquidate` fraction outside (0, 1e18].
    error InvalidFraction(uint256 fraction);
    /// @notice `liquidate` of an account without positions (a debt-only account goes to the hub's openLiquidation).
    error NoPositions(address account);
    /// @notice Liquidation penalty above MAX_LIQUIDATION_PENALTY.
    error InvalidLiquidationPenalty(uint256 penalty);
    /// @notice A one-time link (registry, insurance fund) already set.
    error AlreadySet();
    /// @notice `liquidate` before the registry and the insurance fund are linked.
    error LiquidationNotConfigured();
    /// @notice A governed parameter changed other than by the parameter governor, or a second `setParamGovernor`.
    error ParamGoverned(address caller);
    /// @notice A trade would take the market's open interest Σ |size| (units 1e18) above its cap.
    error MarketOpenInterestCap(uint32 marketId, uint256 openInterest, uint256 cap);
    /// @notice A trade would take the account's |size| in the market (units 1e18) above the per-account cap.
    error AccountOpenInterestCap(address account, uint32 marketId, uint256 size, uint256 cap);
    /// @notice A trade would take the account's |exposure| to the asset (USD 1e18: attested collateral units plus
    /// the perp sizes on that asset, at the market's price) above the per-account cap, and further from zero.
    error AccountExposureCap(address account, AssetId assetId, uint256 exposureUsd, uint256 cap);
    /// @notice A cap above type(uint128).max.
    error InvalidCap(uint256 cap);
    /// @notice An exposure cap for an asset no market trades.
    error AssetWithoutMarket(AssetId assetId);

    /// @notice Emitted when the owner lists a market.
    /// @notice A market's margin ratios or taker fee changed (through the parameter governor once it is set).
    event MarketRiskSet(uint32 indexed marketId, uint64 imr, uint64 mmr, uint64 feeRate);
    /// @notice The parameter governor was set (once).
    event ParamGovernorSet(address governor);
    event MarketListed(uint32 indexed marketId, AssetId indexed assetId, address feed, uint64 imr, uint64 mmr, uint64 feeRate);
    /// @notice Emitted when a position goes from zero to non-zero.
    event PositionOpened(
        address indexed account,
        uint32 indexed marketId,
        int256 sizeDelta,
        int256 size,
        uint256 entryPrice,
        uint256 price,
        int256 realizedPnl,
        uint256 margin,
        uint256 fee
    );
    /// @notice Emitted when a non-zero position changes and stays non-zero (flips included).
    event PositionModified(
        address indexed account,
        uint32 indexed marketId,
        int256 sizeDelta,
        int256 size,
        uint256 entryPrice,
        uint256 price,
        int256 realizedPnl,
        uint256 margin,
        uint256 fee
    );
    /// @notice Emitted when a position goes to zero.
    event PositionClosed(
        address indexed account,
        uint32 indexed marketId,
        int256 sizeDelta,
        int256 size,
        uint256 entryPrice,
        uint256 price,
        int256 realizedPnl,
        uint256 margin,
        uint256 fee
    );
    /// @notice Emitted per position reduced by a liquidation (after its PositionClosed/PositionModified).
    /// @param penalty this position's share of the penalty (π × |closedSize| × price, USD 1e18).
    event Liquidated(
        address indexed account,
        uint32 indexed marketId,
        address indexed liquidator,
        int256 closedSize,
        uint256 price,
        int256 realizedPnl,
        uint256 penalty
    );
    /// @notice Emitted once per `liquidate`, after the per-position events.
    /// @param healthBefore conservative health before (1e18), `closedNotional` Σ |closed| × price (USD 1e18).
    event LiquidationExecuted(
        uint64 indexed liquidationId,
        address indexed account,
        address indexed liquidator,
        uint256 fraction,
        uint256 closedNotional,
        uint256 penalty,
        uint256 healthBefore
    );
    /// @notice Emitted when the owner sets the liquidation penalty π (1e18 = 100%).
    event LiquidationPenaltySet(uint256 penalty);
    /// @notice Emitted once, when the owner links the liquidation registry.
    event LiquidationRegistrySet(address registry);
    /// @notice Emitted once, when the owner links the insurance fund (the fund's half of penalties).
    event InsuranceFundSet(address insuranceFund);
    /// @notice Emitted when the owner sets the oracle staleness bound.
    event MaxPriceAgeSet(uint256 maxPriceAge);
    /// @notice Emitted when the owner sets the conservative health above which a mark is overridden.
    event MarkOverrideHealthSet(uint256 health);
    /// @notice A market's open-interest caps changed (units 1e18; 0 = no cap), through the parameter governor once set.
    event OpenInterestCapsSet(uint32 indexed marketId, uint256 marketCap, uint256 accountCap);
    /// @notice An asset's per-account exposure cap changed (USD 1e18; 0 = no cap).
    event ExposureCapSet(AssetId indexed assetId, uint256 cap);

    /// @notice Largest taker fee rate a market may be listed with (1e18 = 100%).
    function MAX_FEE_RATE() external view returns (uint64);

    function marketCount() external view returns (uint32);

    function creditManager() external view returns (ICreditManager);

    function settlementPool() external view returns (ISettlementPool);

    function market(uint32 marketId) external view returns (Market memory);

    function position(address account, uint32 marketId) external view returns (Position memory);

    /// @notice Oracle price of a market (1e18 USD), reverting if stale or non-positive.
    function price(uint32 marketId) external view returns (uint256);

    /// @notice Owner, once: the RiskParameters contract; from then on only it changes a market's imr, mmr and taker
    /// fee and `markOverrideHealth`.
    function setParamGovernor(address governor) external;

    /// @notice Owner before a governor is set, the governor after: a listed market's margin ratios and taker fee.
    function setMarketRisk(uint32 marketId, uint64 imr, uint64 mmr, uint64 feeRate) external;


    /// @param feeRate taker fee of every fill, 1e18 = 100% of notional (≤ MAX_FEE_RATE).
    function listMarket(AssetId assetId, AggregatorV3Interface feed, uint64 imr, uint64 mmr, uint64 feeRate)
        external
        returns (uint32 marketId);

    function setMaxPriceAge(uint256 maxPriceAge) external;

    /// @notice Conservative health (1e18) at or above which `liquidate` refuses despite a mark (default 2e18).
    function markOverrideHealth() external view returns (uint256);

    function setMarkOverrideHealth(uint256 health) external;

    /// @notice Largest liquidation penalty (0.1e18 = 10%).
    function MAX_LIQUIDATION_PENALTY() external view returns (uint256);

    /// @notice Liquidation penalty π (1e18 = 100%, default 0.02e18).
    function liquidationPenalty() external view returns (uint256);

    function setLiquidationPenalty(uint256 penalty) external;

    /// @notice The LiquidationRegistry `liquidate` opens liquidations in.
    function liquidationRegistry() external view returns (address);

    /// @notice Receives the fund's half of each penalty (as pool cash).
    function insuranceFund() external view returns (address);

    /// @notice Owner, once each.
    function setLiquidationRegistry(address registry) external;

    function setInsuranceFund(address insuranceFund) external;

    /// @notice True when `account` has a non-zero position in any market.
    function hasPositions(address account) external view returns (bool);

    /// @notice What the chain alone says of an account: (CreditManager.collateralValue + cash + unrealized PnL)
    /// / Σ |size| × price × mmr, 1e18 = 1; 0 when that equity is ≤ 0, type(uint256).max without positions.
    /// Reverts if a market with a position has no fresh price.
    function conservativeHealth(address account) external view returns (uint256);

    /// @notice A market's gross open interest Σ |size| over accounts and its caps (units 1e18; a cap of 0 = none).
    function openInterest(uint32 marketId) external view returns (uint256 total, uint256 marketCap, uint256 accountCap);

    /// @notice An asset's per-account exposure cap (USD 1e18; 0 = none).
    function exposureCap(AssetId assetId) external view returns (uint256);

    /// @notice An account's net exposure to an asset in units (1e18): its collateral attested at the hub on every chain
    /// plus its perp sizes on markets of that asset (what `AccountExposureCap` values at the market's price).
    function exposureUnits(address account, AssetId assetId) external view returns (int256);

    /// @notice Owner before a governor is set, the governor after: the market's open-interest cap and per-account cap
    /// (units 1e18, 0 = none, ≤ type(uint128).max). Lowering a cap below today's figure closes nothing: only trades
    /// that raise |size| past it revert.
    function setOpenInterestCaps(uint32 marketId, uint256 marketCap, uint256 accountCap) external;

    /// @notice Owner before a governor is set, the governor after: the per-account exposure cap of an asset (USD 1e18,
    /// 0 = none).
    function setExposureCap(AssetId assetId, uint256 cap) external;

    /// @notice Changes the caller's position by `sizeDelta`. Settles realized PnL and the fee into the pool, then
    /// consumes or releases margin: risk-increasing changes need fresh credit covering the margin after the fee;
    /// reductions always pass and release margin pro rata. A change that raises |size| is first held to the caps:
    /// the market's open interest (`MarketOpenInterestCap`), the account's |size| (`AccountOpenInterestCap`) and the
    /// account's exposure to the asset (`AccountExposureCap`, only if it moves further from zero).
    function modifyPosition(uint32 marketId, int256 sizeDelta) external;

    /// @notice Closes `fraction` (1e18 = all; `InvalidFraction` outside (0, 1e18]) of every position of `account`
    /// at the oracle price if the CreditManager marks it liquidatable with a fresh push (`NotLiquidatable`), it has
    /// positions (`NoPositions`) and its conservative health is below markOverrideHealth (`ConservativelyHealthy`).
    /// Realized PnL goes to cash (no trading fee); penalty = Σ π × |closed| × price is charged to the account's
    /// cash, half credited to the caller's cash, half to the insurance fund's. Opens (or continues) the account's liquidation in the registry.
    function liquidate(address account, uint256 fraction) external returns (uint64 liquidationId, uint256 penalty);
}
