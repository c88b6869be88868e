// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICreditManager} from "./interfaces/ICreditManager.sol";
import {IAttestedCollateral} from "./interfaces/IAttestedCollateral.sol";
import {ISettlementPool} from "./interfaces/ISettlementPool.sol";
import {TokenBucket} from "./libraries/TokenBucket.sol";
import {Epoch} from "./types/Ids.sol";

/// @title CreditManager
/// @notice See ICreditManager. Pushes touch one storage slot per account and never read the pool or the hub;
/// the increase guard is one token-bucket update per batch. Consumption (consume, reserve and every credit view)
/// reads the hub's attested collateral once, and only for an account whose pushed base is positive.
contract CreditManager is ICreditManager, AccessControl {
    using TokenBucket for TokenBucket.Bucket;

    bytes32 public constant PUSHER_ROLE = keccak256("PUSHER_ROLE");
    bytes32 public constant MARKET_ROLE = keccak256("MARKET_ROLE");
    bytes32 public constant HUB_ROLE = keccak256("HUB_ROLE");

    /// @dev The base sits in the entry's low 95 bits: shifting it to the top and back sign-extends it.
    uint256 private constant BASE_SHIFT = 256 - 95;

    mapping(address => Account) private _accounts;
    mapping(address => uint256) public reserved;
    mapping(address => Settling) private _settling;
    TokenBucket.Bucket private _increaseGuard;
    /// @notice RiskParameters: once set, the only way the increase guard changes.
    address public paramGovernor;
    Epoch public lastEpoch;
    uint256 public staleAfter;
    ISettlementPool public settlementPool;
    IAttestedCollateral public hub;

    constructor(address admin, uint256 staleAfter_, uint128 guardCapacity, uint128 guardRefillPerSecond) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        staleAfter = staleAfter_;
        _increaseGuard.configure(true, guardCapacity, guardRefillPerSecond);
        emit StaleAfterSet(staleAfter_);
        emit IncreaseGuardSet(guardCapacity, guardRefillPerSecond);
    }

    // ---- views ----

    function account(address account_) external view returns (Account memory) {
        return _accounts[account_];
    }

    function isStale(address account_) public view returns (bool) {
        return block.timestamp > uint256(_accounts[account_].updatedAt) + staleAfter;
    }

    /// @dev A mark expires with its push: a stale push's mark no longer lets anyone liquidate.
    function isLiquidatable(address account_) external view returns (bool) {
        return _accounts[account_].liquidatable && !isStale(account_);
    }

    /// @dev The settling amount lowers the pushed side only: the chain-visible side already sees the release.
    function creditBalance(address account_) public view returns (int256) {
        Account memory a = _accounts[account_];
        int256 limit = int256(a.limit) - SafeCast.toInt256(_activeSettling(account_, a.updatedAt));
        if (limit > 0) {
            uint256 visible = collateralValue(account_);
            if (visible < uint256(limit)) limit = int256(visible);
        }
        return limit + _cashOf(account_) - SafeCast.toInt256(uint256(a.used) + reserved[account_]);
    }

    function collateralValue(address account_) public view returns (uint256) {
        IAttestedCollateral source = hub;
        return address(source) == address(0) ? 0 : source.collateralValue(account_);
    }

    function availableCredit(address account_) public view returns (uint256) {
        int256 balance = creditBalance(account_);
        return balance > 0 ? uint256(balance) : 0;
    }

    function settlingCredit(address account_) external view returns (uint256) {
        return _activeSettling(account_, _accounts[account_].updatedAt);
    }

    function increaseAllowance() external view returns (uint256) {
        return _increaseGuard.available();
    }

    function increaseGuard() external view returns (uint128 capacity, uint128 refillPerSecond) {
        return (_increaseGuard.capacity, _increaseGuard.rate);
    }

    // ---- pusher ----

    /// @inheritdoc ICreditManager
    function pushCreditLimits(Epoch epoch, bytes32[] calldata entries) external onlyRole(PUSHER_ROLE) {
        _requireNextEpoch(epoch);
        lastEpoch = epoch;
        uint256 totalIncrease;
        uint40 now_ = uint40(block.timestamp);
        uint256 count = entries.length;
        for (uint256 i; i < count; ++i) {
            uint256 word = uint256(entries[i]);
            address acct = address(uint160(word >> 96));
            bool liquidatable = (word >> 95) & 1 == 1;
            int96 base = int96(int256(word << BASE_SHIFT) >> BASE_SHIFT);
            Account storage slot = _accounts[acct];
            int96 previous = slot.limit;
            if (base > previous) totalIncrease += uint256(int256(base) - previous);
            slot.limit = base;
            slot.updatedAt = now_;
            slot.liquidatable = liquidatable;
            emit CreditLimitSet(acct, epoch, base, liquidatable);
        }
        if (totalIncrease != 0) {
            uint256 allowance = _increaseGuard.available();
            if (!_increaseGuard.tryConsume(totalIncrease)) revert CreditIncreaseRateLimited(totalIncrease, allowance);
        }
        emit CreditBatchPushed(epoch, count, totalIncrease);
    }

    // ---- market and hub ----

    function consume(address account_, uint256 amount) external onlyRole(MARKET_ROLE) {
        Account storage a = _checkedForIncrease(account_, amount);
        a.used += SafeCast.toUint96(amount);
        emit CreditConsumed(account_, amount, a.used);
    }

    function release(address account_, uint256 amount) external onlyRole(MARKET_ROLE) {
        Account storage a = _accounts[account_];
        if (amount > a.used) revert ReleaseExceedsUsed(account_, amount, a.used);
        a.used -= uint96(amount);
        emit CreditReleased(account_, amount, a.used);
    }

    function reserve(address account_, uint256 amount) external onlyRole(HUB_ROLE) {
        _checkedForIncrease(account_, amount);
        uint256 total = reserved[account_] + amount;
        reserved[account_] = total;
        emit CreditReserved(account_, amount, total);
    }

    /// @dev The amount keeps counting against the limit (as "settling") until the next push for the account:
    /// the limit in force was computed with the withdrawn collateral still attested.
    function unreserve(address account_, uint256 amount) external onlyRole(HUB_ROLE) {
        uint256 current = reserved[account_];
        if (amount > current) revert ReleaseExceedsReserved(account_, amount, current);
        reserved[account_] = current - amount;
        uint256 still = _activeSettling(account_, _accounts[account_].updatedAt);
        _settling[account_] = Settling(uint128(still + amount), uint40(block.timestamp));
        emit ReservationReleased(account_, amount, current - amount);
    }

    function cancelReservation(address account_, uint256 amount) external onlyRole(HUB_ROLE) {
        uint256 current = reserved[account_];
        if (amount > current) revert ReleaseExceedsReserved(account_, amount, current);
        reserved[account_] = current - amount;
        emit ReservationCancelled(account_, amount, current - amount);
    }

    // ---- admin ----

    function setSettlementPool(ISettlementPool pool) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(pool) == address(0)) revert ZeroAddress();
        if (address(settlementPool) != address(0)) revert SettlementPoolAlreadySet(address(settlementPool));
        settlementPool = pool;
        emit SettlementPoolSet(address(pool));
    }

    function setHub(IAttestedCollateral hub_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(hub_) == address(0)) revert ZeroAddress();
        if (address(hub) != address(0)) revert HubAlreadySet(address(hub));
        hub = hub_;
        emit HubSet(address(hub_));
    }

    function setStaleAfter(uint256 staleAfter_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        staleAfter = staleAfter_;
        emit StaleAfterSet(staleAfter_);
    }

    function setParamGovernor(address governor) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (governor == address(0) || paramGovernor != address(0)) revert ParamGoverned(msg.sender);
        paramGovernor = governor;
        emit ParamGovernorSet(governor);
    }

    /// @dev The admin until a parameter governor is set, then only the governor.
    function setIncreaseGuard(uint128 capacity, uint128 refillPerSecond) external {
        address governor = paramGovernor;
        if (governor == address(0)) _checkRole(DEFAULT_ADMIN_ROLE);
        else if (msg.sender != governor) revert ParamGoverned(msg.sender);
        _increaseGuard.configure(true, capacity, refillPerSecond);
        emit IncreaseGuardSet(capacity, refillPerSecond);
    }

    /// @dev A private function keeps `expected` off the batch loop's stack (inline it costs ~600 gas per account).
    function _requireNextEpoch(Epoch epoch) private view {
        uint64 expected = Epoch.unwrap(lastEpoch) + 1;
        if (Epoch.unwrap(epoch) != expected) revert EpochNotNext(epoch, Epoch.wrap(expected));
    }

    function _cashOf(address account_) private view returns (int256) {
        ISettlementPool pool = settlementPool;
        return address(pool) == address(0) ? int256(0) : pool.cashOf(account_);
    }

    /// @dev Settling credit stops counting once a push lands after it (same-second pushes still count it).
    function _activeSettling(address account_, uint40 updatedAt) private view returns (uint256) {
        Settling memory settling = _settling[account_];
        return updatedAt > settling.settledAt ? 0 : settling.amount;
    }

    /// @dev Adding risk needs a fresh limit, no liquidation mark and enough available credit.
    function _checkedForIncrease(address account_, uint256 amount) private view returns (Account storage a) {
        a = _accounts[account_];
        if (isStale(account_)) revert CreditStale(account_, a.updatedAt);
        if (a.liquidatable) revert AccountLiquidatable(account_);
        uint256 available = availableCredit(account_);
        if (amount > available) revert InsufficientCredit(account_, amount, available);
    }
}
