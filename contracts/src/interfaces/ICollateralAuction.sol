// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AssetId} from "../types/Ids.sol";
import {AggregatorV3Interface} from "./AggregatorV3Interface.sol";

/// @title ICollateralAuction
/// @notice Dutch auctions of seized collateral on one collateral chain (Maker's Clipper is the model). The
/// chain's CollateralVault pays a seizure's collateral to this contract and `kick`s a lot (lotId = the hub's
/// seizureId). A lot's price (1e18 USD per whole collateral token) starts at oracle × `startFactor` (1.2) and
/// falls linearly to oracle × `floorFactor` (0.6) over `duration`, then stays there. Anyone `take`s part or all
/// of a lot for the chain's quote token (counted at 1 USD per whole token), bounded by their own max price. An
/// unsold lot at the floor is restarted with `redo` at a fresh oracle price; the caller gets `redoTipRate` of the
/// lot's remaining collateral as a tip.
/// A lot closes when its proceeds cover its debt (the rest of its collateral goes back to the account's balance
/// in the vault, attested) or when it is empty; the vault then sends AUCTION_RESULT to the hub, whose pool
/// credits the proceeds to the account's cash.
/// @dev Money: the quote tokens paid by takers stay in this contract (`proceedsHeld`) — they back the cash the
/// trading-chain pool credits on AUCTION_RESULT — until the owner `sweep`s them to the treasury named at
/// deployment. Collateral held = Σ remaining of open lots. Who pays the AUCTION_RESULT message: the liquidator,
/// up front — the SEIZE's enforced options forward its fee to the vault (see docs/liquidation.md).
/// Auction breaker (docs/breakers-and-dampeners.md#auction-breaker): every kick, take and redo, and anyone's `poke`,
/// shows the chain the asset's feed price; a price more than `breakerDrop` below the highest seen within
/// `breakerWindow` pauses the asset (`AuctionPaused`) until that trip + window or the guardian's `resume`
/// (`AuctionResumed`). While paused a take or redo reverts `BreakerPaused`; a lot kicked then opens unpriced (its curve
/// starts with a `redo` after the pause). A take or redo whose own price point trips the breaker records the pause and
/// returns 0 without moving tokens. `breakerDrop` and `breakerWindow` are governed (IGovernedParams, kinds 1 and 2).
interface ICollateralAuction {
    enum LotStatus {
        None,
        Open,
        Closed
    }

    /// @notice One lot (one seizure).
    struct Lot {
        uint64 liquidationId;
        address account;
        AssetId assetId;
        LotStatus status;
        /// @dev Unix time the current price curve started (kick or last redo).
        uint40 startedAt;
        /// @dev Price at `startedAt`, 1e18 USD per whole token (oracle × startFactor); 0 = no price yet (redo).
        uint128 startPrice;
        /// @dev Oracle price at `startedAt` (1e18 USD per whole token): the floor is oracleAtStart × floorFactor.
        uint128 oracleAtStart;
        /// @dev Collateral seized into this lot (token units).
        uint128 seized;
        /// @dev Collateral still for sale (token units).
        uint128 remaining;
        /// @dev USD (1e18) the lot must raise: the debt the hub named in SEIZE.
        uint128 debtUsd;
        /// @dev USD (1e18) raised so far (quote tokens × usdPerQuoteUnit).
        uint128 proceedsUsd;
    }

    /// @notice Per-asset configuration: the collateral token and its price feed on this chain.
    struct AssetConfig {
        IERC20 token;
        AggregatorV3Interface feed;
        uint8 decimals;
        bool listed;
    }

    error ZeroAddress();
    error ZeroAmount();
    /// @notice Only the chain's CollateralVault kicks lots.
    error NotVault(address caller);
    error AssetNotListed(AssetId assetId);
    /// @notice `kick` of a lot id already used.
    error LotExists(uint64 lotId);
    /// @notice `take` or `redo` of a lot that is not open (unknown or closed).
    error LotNotOpen(uint64 lotId);
    /// @notice `take` when the current price is above the caller's `maxPrice`.
    error PriceAboveMax(uint64 lotId, uint256 price, uint256 maxPrice);
    /// @notice `redo` before the lot's price reached its floor.
    error NotAtFloor(uint64 lotId, uint256 floorAt);
    /// @notice Factors must satisfy 0 < floorFactor < startFactor, duration > 0, tip ≤ MAX_REDO_TIP_RATE.
    error InvalidAuctionParams();
    /// @notice The collateral a take buys rounds to 0 at the current price.
    error TakeTooSmall(uint64 lotId);
    /// @notice `take` of a lot whose curve has no price yet (its kick found no fresh oracle price): `redo` it first.
    error LotUnpriced(uint64 lotId);
    /// @notice `sweep` of more quote tokens than the auction holds as proceeds.
    error InsufficientProceeds(uint256 requested, uint256 held);
    /// @notice `take` or `redo` of a lot whose asset is paused by the breaker until `pausedUntil`.
    error BreakerPaused(AssetId assetId, uint256 pausedUntil);
    /// @notice `resume` by someone other than the guardian or the owner.
    error NotGuardianOrOwner(address caller);
    /// @notice `resume` of an asset that is not paused.
    error NotPaused(AssetId assetId);

    /// @notice The breaker as `breaker(assetId)` reports it (prices 1e18 USD, times unix s; 0 = none).
    struct BreakerState {
        bool paused;
        uint256 pausedUntil;
        uint256 trippedAt;
        uint256 resumedAt;
        /// @dev The window's high the last trip fell from.
        uint256 referencePrice;
        /// @dev The window as the chain holds it: its high and the highest point seen after it.
        uint256 high;
        uint256 highAt;
        uint256 next;
        uint256 nextAt;
    }

    /// @notice Emitted when the vault opens a lot for a seizure.
    event LotKicked(
        uint64 indexed lotId,
        uint64 indexed liquidationId,
        address indexed account,
        AssetId assetId,
        uint256 amount,
        uint256 debtUsd,
        uint256 startPrice,
        uint256 oraclePrice
    );
    /// @notice Emitted per take: `amount` collateral sold at `price` for `quotePaid` quote tokens (= proceedsUsd).
    event LotTaken(
        uint64 indexed lotId,
        address indexed taker,
        address indexed receiver,
        uint256 amount,
        uint256 price,
        uint256 quotePaid,
        uint256 proceedsUsd,
        uint256 remaining
    );
    /// @notice Emitted when an unsold lot at its floor is restarted at a fresh oracle price.
    event LotRedone(uint64 indexed lotId, address indexed keeper, uint256 tip, uint256 startPrice, uint256 oraclePrice);
    /// @notice Emitted when a lot closes; `returned` collateral went back to the account's vault balance. The vault
    /// sends AUCTION_RESULT in the same transaction.
    event LotClosed(
        uint64 indexed lotId, uint64 indexed liquidationId, address indexed account, uint256 proceedsUsd, uint256 returned
    );
    /// @notice Emitted when the owner moves held proceeds to the treasury.
    event ProceedsSwept(address indexed treasury, uint256 quoteAmount);
    event AssetConfigured(AssetId indexed assetId, address token, address feed, uint8 decimals);
    event AuctionParamsSet(uint256 startFactor, uint256 floorFactor, uint256 duration, uint256 redoTipRate);
    event MaxPriceAgeSet(uint256 maxPriceAge);
    /// @notice The breaker tripped (or tripped again): `price` is more than breakerDrop below `referencePrice`, the
    /// window's high; new lots and takes of the asset pause until `pausedUntil` (or a guardian resume).
    event AuctionPaused(AssetId indexed assetId, uint256 referencePrice, uint256 price, uint256 pausedUntil);
    /// @notice The pause ended: `by` the guardian or owner (`resume`), or address(0) when the window passed (emitted
    /// by the first kick, take, redo or poke after it).
    event AuctionResumed(AssetId indexed assetId, address by);
    event GuardianSet(address guardian);
    event BreakerParamsSet(uint256 drop, uint256 window);

    /// @notice Upper bound of `redoTipRate` (1% of the remaining collateral).
    function MAX_REDO_TIP_RATE() external view returns (uint256);

    /// @notice The chain's CollateralVault (the only caller of `kick`, the receiver of returned collateral).
    function vault() external view returns (address);

    /// @notice The quote token takers pay in (a test USDC on the devnet).
    function quoteToken() external view returns (IERC20);

    /// @notice USD (1e18) per quote-token unit: 10^(18 − decimals).
    function usdPerQuoteUnit() external view returns (uint256);

    /// @notice Where `sweep` sends held proceeds.
    function treasury() external view returns (address);

    /// @notice Quote tokens held as proceeds (taken minus swept).
    function proceedsHeld() external view returns (uint256);

    /// @notice 1e18-scaled start factor (default 1.2e18).
    function startFactor() external view returns (uint256);

    /// @notice 1e18-scaled floor factor (default 0.6e18).
    function floorFactor() external view returns (uint256);

    /// @notice Seconds from start to floor (per curve; a redo starts a new curve).
    function duration() external view returns (uint256);

    /// @notice 1e18-scaled share of the remaining collateral paid to the caller of `redo`.
    function redoTipRate() external view returns (uint256);

    /// @notice Oracle staleness bound (seconds) for kick and redo prices.
    function maxPriceAge() external view returns (uint256);

    function setMaxPriceAge(uint256 maxPriceAge) external;

    function assetConfig(AssetId assetId) external view returns (AssetConfig memory);

    function lot(uint64 lotId) external view returns (Lot memory);

    /// @notice Current price of an open lot (1e18 USD per whole token): linear from startPrice to the floor over
    /// `duration`, then the floor. Non-increasing between redos.
    function lotPrice(uint64 lotId) external view returns (uint256);

    /// @notice Quote tokens a take of `amount` collateral would cost now, and the amount actually bought (capped
    /// by the remaining collateral and by the lot's unraised debt).
    function quoteTake(uint64 lotId, uint256 amount) external view returns (uint256 bought, uint256 quoteCost);

    /// @notice Vault only: opens lot `lotId` for `amount` collateral already transferred here, to raise `debtUsd`.
    /// Never reverts on a price problem (the lot then starts at its floor time with no price: `redo` it).
    function kick(uint64 lotId, uint64 liquidationId, address account, AssetId assetId, uint256 amount, uint256 debtUsd)
        external;

    /// @notice Buys up to `maxAmount` of the lot at the current price if it is ≤ `maxPrice`, paying quote tokens
    /// (pulled from the caller, rounded up) and sending the collateral to `receiver`. Closes the lot when its
    /// proceeds cover the debt or it is empty.
    /// @return bought collateral received, `quotePaid` quote tokens paid.
    function take(uint64 lotId, uint256 maxAmount, uint256 maxPrice, address receiver)
        external
        returns (uint256 bought, uint256 quotePaid);

    /// @notice Anyone, once the lot's price is at its floor (or it has no price): restarts the curve at a fresh
    /// oracle price; the caller gets the tip in collateral.
    function redo(uint64 lotId) external returns (uint256 tip);

    /// @notice Owner: sends `amount` of held proceeds to the treasury.
    function sweep(uint256 amount) external;

    function configureAsset(AssetId assetId, IERC20 token, AggregatorV3Interface feed) external;

    function setAuctionParams(uint256 startFactor, uint256 floorFactor, uint256 duration, uint256 redoTipRate) external;

    /// @notice β: the fall within one window that pauses an asset (1e18 = 100 %, default 0.3e18).
    function breakerDrop() external view returns (uint256);

    /// @notice The breaker's window in seconds (default 3,600).
    function breakerWindow() external view returns (uint256);

    /// @notice Who may `resume` besides the owner (never the owner itself).
    function guardian() external view returns (address);

    function setGuardian(address guardian) external;

    /// @notice Owner, until governance is activated (then `proposeParam` → `executeParam`): β and the window.
    function setBreakerParams(uint256 drop, uint256 window) external;

    function breaker(AssetId assetId) external view returns (BreakerState memory);

    /// @notice True while the asset's lots and takes are paused.
    function isPaused(AssetId assetId) external view returns (bool);

    /// @notice Anyone: shows the chain the asset's feed price now (a price point for the breaker, which may trip or
    /// end the pause). Returns whether the asset is paused after it.
    function poke(AssetId assetId) external returns (bool paused);

    /// @notice Guardian or owner: ends the asset's pause now; every point seen so far stops counting.
    function resume(AssetId assetId) external;
}
