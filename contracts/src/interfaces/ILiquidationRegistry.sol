// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AssetId} from "../types/Ids.sol";

/// @title ILiquidationRegistry
/// @notice The trading chain's record of liquidations and the rule of what a seizure takes. A liquidation is
/// opened by the PerpMarket's `liquidate` (MARKET_ROLE) or, for a freshly marked account with debt and no
/// positions, by anyone. Seizure only follows a liquidation: `planSeizure` (what the hub's `seize` sends) needs an
/// open liquidation, cash < 0 not yet covered by seizures in flight, and either no positions or a fresh
/// liquidatable mark. It picks the riskiest asset (lowest maint weight; the first listed on a tie) among the
/// hub's listed pairs with unreserved attested collateral, a fresh price and an auction on its chain, and the
/// amount worth the uncovered debt × (1 + π) (capped by what is there). A liquidation closes when nothing is in
/// flight and cash ≥ 0 (after an AUCTION_RESULT, through the hub; after the insurance fund's cover; or by anyone),
/// or when the account keeps positions and is no longer marked.
interface ILiquidationRegistry {
    struct Liquidation {
        address account;
        uint40 openedAt;
        bool closed;
        /// @dev Seizures sent under this liquidation.
        uint32 seizures;
    }

    /// @notice A seizure the hub's `seize` sends now.
    struct SeizurePlan {
        uint64 liquidationId;
        uint32 eid;
        AssetId assetId;
        /// @dev Token units (the asset's decimals on `eid`).
        uint256 amount;
        /// @dev USD (1e18) the lot must raise: min(uncovered debt, value / (1 + π)).
        uint256 debtUsd;
        /// @dev amount × oracle price (USD 1e18).
        uint256 value;
        /// @dev The auction contract on `eid`.
        address recipient;
    }

    error ZeroAddress();
    error InvalidWeight(uint64 weight);
    /// @notice `openLiquidation` by a non-market caller for an account without a fresh mark; `planSeizure` for an
    /// account that still has positions and no fresh mark.
    error NotLiquidatable(address account);
    /// @notice No open liquidation for the account.
    error NoOpenLiquidation(address account);
    /// @notice Cash ≥ 0, or the debt is already covered by seizures in flight.
    error NoUncoveredDebt(address account);
    /// @notice `openLiquidation` (non-market caller) of an account with positions: the PerpMarket liquidates those.
    error PositionsOpen(address account);
    /// @notice No unreserved attested collateral with a fresh price and an auction on its chain.
    error NothingToSeize(address account);
    /// @notice `closeLiquidation` while seizures are in flight, or while the account owes and is marked or has no
    /// positions left (its debt is for seizures and the insurance fund).
    error LiquidationActive(address account);
    /// @notice A one-time link already set.
    error AlreadySet();
    /// @notice Only the hub calls `onAuctionResult`/`onSeizureSent`.
    error NotHub(address caller);

    /// @notice Emitted when a liquidation is opened (by the PerpMarket's `liquidate` or for a debt-only account).
    event LiquidationOpened(uint64 indexed liquidationId, address indexed account, address indexed opener);
    /// @notice Emitted when a liquidation is closed; `cash` is the account's cash then (USD 1e18).
    event LiquidationClosed(uint64 indexed liquidationId, address indexed account, int256 cash);
    /// @notice Emitted when the owner names the auction contract that receives seizures on `eid` (zero: none).
    event AuctionSet(uint32 indexed eid, address auction);
    /// @notice Emitted when the owner sets an asset's maintenance weight (seizure order: lowest first).
    event MaintWeightSet(AssetId indexed assetId, uint64 maintWeight);
    event HubSet(address hub);
    event PerpMarketSet(address perpMarket);

    /// @notice Role of the PerpMarket (`openLiquidation` without the debt-only conditions).
    function MARKET_ROLE() external view returns (bytes32);

    function hub() external view returns (address);

    function perpMarket() external view returns (address);

    function nextLiquidationId() external view returns (uint64);

    /// @notice Open liquidation of `account` (0 = none).
    function activeLiquidation(address account) external view returns (uint64);

    function liquidation(uint64 liquidationId) external view returns (Liquidation memory);

    /// @notice Auction contract receiving seizures on `eid` (zero: nothing on that chain is seized).
    function auctionOf(uint32 eid) external view returns (address);

    /// @notice Maintenance weight of an asset (1e18 = 100%): lowest is seized first.
    function maintWeight(AssetId assetId) external view returns (uint64);

    /// @notice max(0, −cash − hub.debtInFlight): debt no seizure covers yet (USD 1e18).
    function uncoveredDebt(address account) external view returns (uint256);

    /// @notice Open liquidation, no seizure in flight, no positions and nothing attested on any listed pair: what the
    /// insurance fund's `cover` requires.
    function collateralExhausted(address account) external view returns (bool);

    /// @notice The seizure `seize(account)` sends now; reverts NoOpenLiquidation, NotLiquidatable, NoUncoveredDebt or
    /// NothingToSeize.
    function planSeizure(address account) external view returns (SeizurePlan memory plan);

    /// @notice Opens (or returns the open) liquidation of `account`. MARKET_ROLE: unconditionally (the PerpMarket
    /// checked the mark). Anyone else: only for a freshly marked account with no positions and cash < 0.
    function openLiquidation(address account) external returns (uint64 liquidationId);

    /// @notice Anyone: closes `account`'s liquidation (`LiquidationActive` unless nothing is in flight and either
    /// cash ≥ 0, or positions remain and the account is no longer marked).
    function closeLiquidation(address account) external;

    /// @notice Hub: a seizure was sent under `liquidationId`.
    function onSeizureSent(uint64 liquidationId) external;

    /// @notice Hub: an AUCTION_RESULT was applied; closes the liquidation if nothing is in flight and cash ≥ 0.
    function onAuctionResult(address account, uint64 liquidationId) external;

    function setAuction(uint32 eid, address auction) external;

    function setMaintWeight(AssetId assetId, uint64 maintWeight) external;

    /// @notice Admin, once each.
    function setHub(address hub) external;

    function setPerpMarket(address perpMarket) external;
}
