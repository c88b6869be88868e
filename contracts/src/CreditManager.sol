// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICreditManager} from "./interfaces/ICreditManager.sol";
import {IAttestedCollateral} from "./interfaces/IAttestedCollateral.sol";
import {ISettlementPool} from "./interfaces/ISettlementPool.sol";
import {TokenBucket} from "./libraries/TokenBucket.sol";
import {CreditSlots} from "./libraries/CreditSlots.sol";
import {Epoch} from "./types/Ids.sol";

/// @title CreditManager
/// @notice See ICreditManager. Pushes touch one storage slot per two accounts (plus one epoch timestamp per
/// batch) and never read the pool or the hub; the increase guard is one token-bucket update per batch.
/// Consumption (consume, reserve and every credit view) reads the hub's attested collateral once, and only for an
/// account whose pushed base is positive.
contract CreditManager is ICreditManager, AccessControl {
    using TokenBucket for TokenBucket.Bucket;

    bytes32 public constant PUSHER_ROLE = keccak256("PUSHER_ROLE");
    bytes32 public constant MARKET_ROLE = keccak256("MARKET_ROLE");
    bytes32 public constant HUB_ROLE = keccak256("HUB_ROLE");

    /// @dev A half (128 bits) of a limits slot: `epoch << 96 | liquidatable << 95 | uint95(base)`.
    uint256 private constant HALF_MASK = (1 << 128) - 1;
    /// @dev The base sits in an entry's low 95 bits: shifting it to the top and back sign-extends it.
    uint256 private constant BASE_SHIFT = 256 - 95;
    /// @dev Epoch timestamps: six uint40 per slot (a push writes one, in a slot the last five pushes warmed up).
    uint256 private constant TIMES_PER_SLOT = 6;

    /// @dev Per account, one word the pushes never rewrite: `used << 32 | (index + 1)` (index + 1 = 0: never pushed).
    /// `used` sits beside the index so a trade's first `consume` updates a slot the first push created (no fresh
    /// slot) and finds the index with the same read; trades never touch the packed limits.
    mapping(address => uint256) private _accountWord;
    /// @dev Two accounts per slot: index 2s in the low half of slot s, 2s + 1 in the high half.
    mapping(uint256 => uint256) private _epochTimes;
    mapping(address => uint256) public reserved;
    mapping(address => Settling) private _settling;
    TokenBucket.Bucket private _increaseGuard;
    /// @notice RiskParameters: once set, the only way the increase guard changes.
    address public paramGovernor;
    Epoch public lastEpoch;
    /// @notice Accounts given an index so far (indices 0 … accountCount − 1); shares a slot with `lastEpoch`.
    uint32 public accountCount;
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

    function account(address account_) public view returns (Account memory a) {
        (int256 base, bool liquidatable, uint40 updatedAt) = _pushed(account_);
        a.limit = int96(base);
        a.liquidatable = liquidatable;
        a.updatedAt = updatedAt;
        a.used = uint96(_accountWord[account_] >> 32);
    }

    function accountIndex(address account_) external view returns (bool known, uint256 index) {
        uint256 plusOne = uint32(_accountWord[account_]);
        return (plusOne != 0, plusOne == 0 ? 0 : plusOne - 1);
    }

    function pushedEpoch(address account_) external view returns (Epoch) {
        uint256 plusOne = uint32(_accountWord[account_]);
        return Epoch.wrap(plusOne == 0 ? 0 : uint64(_half(plusOne - 1) >> 96));
    }

    function epochTimestamp(Epoch epoch) public view returns (uint40) {
        uint256 e = Epoch.unwrap(epoch);
        return uint40(_epochTimes[e / TIMES_PER_SLOT] >> ((e % TIMES_PER_SLOT) * 40));
    }

    function limitsSlot(uint256 slot) external view returns (uint256) {
        return CreditSlots.load(slot);
    }

    function isStale(address account_) public view returns (bool) {
        (, , uint40 updatedAt) = _pushed(account_);
        return _isStale(updatedAt);
    }

    /// @dev A mark expires with its push: a stale push's mark no longer lets anyone liquidate.
    function isLiquidatable(address account_) external view returns (bool) {
        (, bool liquidatable, uint40 updatedAt) = _pushed(account_);
        return liquidatable && !_isStale(updatedAt);
    }

    function creditBalance(address account_) public view returns (int256) {
        (int256 base, , uint40 updatedAt) = _pushed(account_);
        return _creditBalance(account_, base, updatedAt);
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
        (, , uint40 updatedAt) = _pushed(account_);
        return _activeSettling(account_, updatedAt);
    }

    function increaseAllowance() external view returns (uint256) {
        return _increaseGuard.available();
    }

    function increaseGuard() external view returns (uint128 capacity, uint128 refillPerSecond) {
        return (_increaseGuard.capacity, _increaseGuard.rate);
    }

    // ---- pusher ----

    /// @inheritdoc ICreditManager
    function pushCreditLimits(Epoch epoch, address[] calldata newAccounts, bytes32[] calldata slots) external onlyRole(PUSHER_ROLE) {
        uint256 count = _startBatch(epoch, newAccounts);
        // The epoch sits above the 96-bit entry in each half; `_startBatch` checked it fits 32 bits.
        uint256 stamp = uint256(Epoch.unwrap(epoch)) << 96;
        (uint256 totalIncrease, uint256 written) = CreditSlots.write(slots, count, stamp);
        if (totalIncrease != 0) {
            uint256 allowance = _increaseGuard.available();
            if (!_increaseGuard.tryConsume(totalIncrease)) revert CreditIncreaseRateLimited(totalIncrease, allowance);
        }
        emit CreditBatchPushed(epoch, written, totalIncrease);
    }

    // ---- market and hub ----

    function consume(address account_, uint256 amount) external onlyRole(MARKET_ROLE) {
        _checkIncrease(account_, amount);
        uint256 word = _accountWord[account_];
        uint256 used = (word >> 32) + amount;
        SafeCast.toUint96(used);
        _accountWord[account_] = (used << 32) | uint32(word);
        emit CreditConsumed(account_, amount, used);
    }

    function release(address account_, uint256 amount) external onlyRole(MARKET_ROLE) {
        uint256 word = _accountWord[account_];
        uint256 used = word >> 32;
        if (amount > used) revert ReleaseExceedsUsed(account_, amount, used);
        _accountWord[account_] = ((used - amount) << 32) | uint32(word);
        emit CreditReleased(account_, amount, used - amount);
    }

    function reserve(address account_, uint256 amount) external onlyRole(HUB_ROLE) {
        _checkIncrease(account_, amount);
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
        (, , uint40 updatedAt) = _pushed(account_);
        uint256 still = _activeSettling(account_, updatedAt);
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

    /// @dev Epoch check, the epoch's timestamp and the new accounts' indices; returns the account count after them.
    /// A private function keeps its locals off the batch loop's stack.
    function _startBatch(Epoch epoch, address[] calldata newAccounts) private returns (uint256 count) {
        uint64 e = Epoch.unwrap(epoch);
        uint64 expected = Epoch.unwrap(lastEpoch) + 1;
        if (e != expected) revert EpochNotNext(epoch, Epoch.wrap(expected));
        if (e > type(uint32).max) revert EpochOverflow(epoch);
        count = accountCount;
        uint256 added = newAccounts.length;
        if (count + added > type(uint32).max) revert AccountIndexOverflow(count + added);
        for (uint256 i; i < added; ++i) {
            address acct = newAccounts[i];
            if (acct == address(0)) revert ZeroAddress();
            uint256 word = _accountWord[acct];
            if (uint32(word) != 0) revert AccountAlreadyIndexed(acct, uint32(word) - 1);
            _accountWord[acct] = word | (count + 1);
            emit AccountIndexed(acct, count);
            ++count;
        }
        lastEpoch = epoch;
        accountCount = uint32(count);
        uint256 key = e / TIMES_PER_SLOT;
        uint256 shift = (e % TIMES_PER_SLOT) * 40;
        _epochTimes[key] = (_epochTimes[key] & ~(uint256(type(uint40).max) << shift)) | (block.timestamp << shift);
    }

    function _half(uint256 index) private view returns (uint256) {
        return (CreditSlots.load(index >> 1) >> ((index & 1) * 128)) & HALF_MASK;
    }

    /// @dev The account's last pushed base, mark and push time (zeros for an account never pushed).
    function _pushed(address account_) private view returns (int256 base, bool liquidatable, uint40 updatedAt) {
        uint256 plusOne = uint32(_accountWord[account_]);
        if (plusOne == 0) return (0, false, 0);
        uint256 half = _half(plusOne - 1);
        base = int256(half << BASE_SHIFT) >> BASE_SHIFT;
        liquidatable = (half >> 95) & 1 == 1;
        updatedAt = epochTimestamp(Epoch.wrap(uint64(half >> 96)));
    }

    function _isStale(uint40 updatedAt) private view returns (bool) {
        return block.timestamp > uint256(updatedAt) + staleAfter;
    }

    /// @dev The settling amount lowers the pushed side only: the chain-visible side already sees the release.
    function _creditBalance(address account_, int256 base, uint40 updatedAt) private view returns (int256) {
        int256 limit = base - SafeCast.toInt256(_activeSettling(account_, updatedAt));
        if (limit > 0) {
            uint256 visible = collateralValue(account_);
            if (visible < uint256(limit)) limit = int256(visible);
        }
        return limit + _cashOf(account_) - SafeCast.toInt256((_accountWord[account_] >> 32) + reserved[account_]);
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
    function _checkIncrease(address account_, uint256 amount) private view {
        (int256 base, bool liquidatable, uint40 updatedAt) = _pushed(account_);
        if (_isStale(updatedAt)) revert CreditStale(account_, updatedAt);
        if (liquidatable) revert AccountLiquidatable(account_);
        int256 balance = _creditBalance(account_, base, updatedAt);
        uint256 available = balance > 0 ? uint256(balance) : 0;
        if (amount > available) revert InsufficientCredit(account_, amount, available);
    }
}
