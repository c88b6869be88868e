// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Epoch} from "../types/Ids.sol";
import {IAttestedCollateral} from "./IAttestedCollateral.sol";
import {ISettlementPool} from "./ISettlementPool.sol";

/// @title ICreditManager
/// @notice Per-account credit computed off chain (portfolio margin) and pushed in batches by the aggregator's
/// key; consumed by the PerpMarket (`used`) and reserved by the MarginHub (withdrawals). Cash realized on the
/// trading chain between pushes counts at once: the pusher pushes `base = limit − cashAtPush` and the chain
/// adds the account's live cash from the SettlementPool.
/// @dev creditBalance = min(base − settling, collateralValue) + cash − used − reserved (signed);
/// availableCredit = max(0, it). `collateralValue` is the hub's view of the account's attested collateral
/// (IAttestedCollateral), so whatever base a pusher writes, usable credit never exceeds what the chain can see.
/// Guards against a stolen pusher key: epochs are exactly `lastEpoch + 1` (a second pusher is fenced, a jump is
/// refused); the total *increase* of `base` over all batches draws from a token bucket (capacity + refill per
/// second); decreases are always accepted. A push not refreshed for `staleAfter` seconds is stale: it still
/// allows reducing risk, never adding it, and its liquidation mark no longer counts.
/// Storage packs two accounts per slot: each account gets a dense uint32 index on its first push
/// (`AccountIndexed`), index i lives in half `i & 1` of slot `i >> 1`, a half being
/// `uint32(epoch) << 96 | liquidatable << 95 | uint95(base)` (base: 95-bit two's complement, 1e18 USD); the push
/// time is the epoch's (`epochTimestamp`). A pushed word writes one slot: `slot << 224 | mask << 192 |
/// entryHi << 96 | entryLo` with entry = `liquidatable << 95 | uint95(base)` and mask bit 0 / 1 = the low / high
/// half is written (an absent half is left as it was). No per-account event: readers decode the entries from the
/// push's calldata (see docs/credit-push.md).
interface ICreditManager {
    /// @notice One account as `account()` returns it (assembled from its limits half, its epoch's timestamp and
    /// the separate `used` mapping).
    struct Account {
        /// @dev limit − cashAtPush of the last push (signed, 95-bit range).
        int96 limit;
        uint96 used;
        /// @dev Timestamp of the epoch that last wrote the account (0 = never pushed).
        uint40 updatedAt;
        bool liquidatable;
    }

    /// @notice Withdrawn value that still counts against the limit until the next push (see `unreserve`).
    struct Settling {
        uint128 amount;
        uint40 settledAt;
    }

    /// @notice A push must carry exactly `lastEpoch + 1` (a replay, an older epoch or a jump is refused).
    /// @notice A governed parameter changed other than by the parameter governor, or a second `setParamGovernor`.
    error ParamGoverned(address caller);
    error EpochNotNext(Epoch epoch, Epoch expected);
    error CreditIncreaseRateLimited(uint256 requested, uint256 available);
    error InsufficientCredit(address account, uint256 requested, uint256 available);
    error CreditStale(address account, uint256 updatedAt);
    error AccountLiquidatable(address account);
    error ReleaseExceedsUsed(address account, uint256 amount, uint256 used);
    error ReleaseExceedsReserved(address account, uint256 amount, uint256 reserved);
    error ZeroAddress();
    error SettlementPoolAlreadySet(address pool);
    error HubAlreadySet(address hub);
    /// @notice A pushed slot word with no half, stray bits, or a half whose index has no account.
    error BadCreditSlot(uint256 position, bytes32 word);
    /// @notice A new account of a push already has an index.
    error AccountAlreadyIndexed(address account, uint256 index);
    /// @notice The epoch does not fit the 32 bits a limits half stores (never truncated).
    error EpochOverflow(Epoch epoch);
    /// @notice More than 2^32 − 1 accounts.
    error AccountIndexOverflow(uint256 count);

    /// @notice The parameter governor was set (once).
    event ParamGovernorSet(address governor);
    /// @notice Emitted once per account, on the push that gives it its index.
    event AccountIndexed(address indexed account, uint256 indexed index);
    /// @notice Emitted once per batch; `accounts` = halves written. The entries themselves are in the calldata.
    event CreditBatchPushed(Epoch indexed epoch, uint256 accounts, uint256 totalIncrease);
    /// @notice Emitted when the PerpMarket consumed initial margin.
    event CreditConsumed(address indexed account, uint256 amount, uint256 used);
    /// @notice Emitted when the PerpMarket released initial margin.
    event CreditReleased(address indexed account, uint256 amount, uint256 used);
    /// @notice Emitted when the hub reserved credit for a withdrawal.
    event CreditReserved(address indexed account, uint256 amount, uint256 reserved);
    /// @notice Emitted when the hub returned a withdrawal reservation after the release (moved to settling).
    event ReservationReleased(address indexed account, uint256 amount, uint256 reserved);
    /// @notice Emitted when the hub returned the reservation of a rejected or expired withdrawal.
    event ReservationCancelled(address indexed account, uint256 amount, uint256 reserved);
    /// @notice Emitted once, when the admin names the SettlementPool whose cash counts as credit.
    event SettlementPoolSet(address indexed pool);
    /// @notice Emitted once, when the admin names the hub whose attested collateral caps usable credit.
    event HubSet(address indexed hub);
    /// @notice Emitted when the admin sets the staleness bound.
    event StaleAfterSet(uint256 staleAfter);
    /// @notice Emitted when the admin sets the credit-increase token bucket.
    event IncreaseGuardSet(uint128 capacity, uint128 refillPerSecond);

    /// @notice Role of the aggregator's pushing key.
    function PUSHER_ROLE() external view returns (bytes32);
    /// @notice Role of the PerpMarket.
    function MARKET_ROLE() external view returns (bytes32);
    /// @notice Role of the MarginHub.
    function HUB_ROLE() external view returns (bytes32);

    function lastEpoch() external view returns (Epoch);

    function staleAfter() external view returns (uint256);

    /// @notice The pool whose `cashOf` counts in credit (zero until set: cash counts as 0).
    function settlementPool() external view returns (ISettlementPool);

    /// @notice The hub whose attested collateral caps usable credit (zero until set: no collateral is visible,
    /// so only cash can be used).
    function hub() external view returns (IAttestedCollateral);

    /// @notice The hub's `collateralValue(account)` (0 while no hub is set).
    function collateralValue(address account_) external view returns (uint256);

    /// @notice Configuration of the credit-increase token bucket.
    function increaseGuard() external view returns (uint128 capacity, uint128 refillPerSecond);

    function account(address account_) external view returns (Account memory);

    /// @notice Accounts indexed so far (indices 0 … accountCount − 1).
    function accountCount() external view returns (uint32);

    /// @notice The account's index (indexed = false: never pushed).
    function accountIndex(address account_) external view returns (bool known, uint256 index);

    /// @notice The epoch that last wrote the account (0: never).
    function pushedEpoch(address account_) external view returns (Epoch);

    /// @notice Block timestamp of the push of `epoch` (0: not pushed).
    function epochTimestamp(Epoch epoch) external view returns (uint40);

    /// @notice Raw limits slot (indices 2·slot and 2·slot + 1).
    function limitsSlot(uint256 slot) external view returns (uint256);

    function reserved(address account_) external view returns (uint256);

    function isStale(address account_) external view returns (bool);

    /// @notice The pushed liquidation mark, while the push that carried it is fresh (a mark expires with its push).
    function isLiquidatable(address account_) external view returns (bool);

    /// @notice min(base − settling, collateralValue) + cash − used − reserved (1e18 USD, signed), ignoring
    /// staleness.
    function creditBalance(address account_) external view returns (int256);

    /// @notice max(0, creditBalance), ignoring staleness.
    function availableCredit(address account_) external view returns (uint256);

    /// @notice Value of settled withdrawals that still counts against the limit until the next push.
    function settlingCredit(address account_) external view returns (uint256);

    /// @notice Credit increase a push could grant right now.
    function increaseAllowance() external view returns (uint256);

    /// @notice Stores a batch of bases (PUSHER_ROLE). Reverts `EpochNotNext` unless `epoch == lastEpoch + 1`.
    /// `newAccounts` get the next indices in order (accountCount, accountCount + 1, …) before `slots` are written,
    /// so a slot word may name them. Reverts `BadCreditSlot`, `AccountAlreadyIndexed`, `EpochOverflow`,
    /// `CreditIncreaseRateLimited`; nothing changes on a revert.
    function pushCreditLimits(Epoch epoch, address[] calldata newAccounts, bytes32[] calldata slots) external;

    /// @notice PerpMarket consumes initial margin; reverts if stale, liquidatable or above available credit.
    function consume(address account_, uint256 amount) external;

    /// @notice PerpMarket returns initial margin (always allowed).
    function release(address account_, uint256 amount) external;

    /// @notice Hub reserves credit for a withdrawal awaiting its decision: the same checks as `consume`
    /// (fresh, not liquidatable, available ≥ amount), whether or not the account uses margin.
    function reserve(address account_, uint256 amount) external;

    /// @notice Hub returns a reservation once the vault attested the release. The amount moves to "settling":
    /// it keeps counting against the limit until a push for the account lands after this call, because the
    /// limit in force was computed while the withdrawn collateral was still attested.
    function unreserve(address account_, uint256 amount) external;

    /// @notice Hub returns the reservation of a rejected or expired withdrawal (nothing left the vault, so it
    /// does not move to settling).
    function cancelReservation(address account_, uint256 amount) external;

    /// @notice Admin names the SettlementPool, once (reverts `SettlementPoolAlreadySet` afterwards).
    function setSettlementPool(ISettlementPool pool) external;

    /// @notice Admin names the hub whose attested collateral caps usable credit, once (`HubAlreadySet` afterwards).
    function setHub(IAttestedCollateral hub_) external;

    function setStaleAfter(uint256 staleAfter_) external;

    /// @notice Admin before a parameter governor is set, the governor after.
    function setIncreaseGuard(uint128 capacity, uint128 refillPerSecond) external;

    /// @notice Admin, once: the RiskParameters contract; from then on only it changes the increase guard.
    function setParamGovernor(address governor) external;
}
