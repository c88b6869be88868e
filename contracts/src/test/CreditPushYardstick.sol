// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Epoch} from "../types/Ids.sol";

/// @notice Bench yardsticks for the credit push (bench/credit-push.ts): one cold SSTORE per account, and the
/// layout before packing (one slot per account keyed by address, one event per account), kept measurable.
contract CreditPushYardstick {
    struct LegacyAccount {
        int96 limit;
        uint96 used;
        uint40 updatedAt;
        bool liquidatable;
    }

    event CreditLimitSet(address indexed account, Epoch indexed epoch, int256 base, bool liquidatable);
    event CreditBatchPushed(Epoch indexed epoch, uint256 accounts, uint256 totalIncrease);

    mapping(uint256 => uint256) private _slots;
    mapping(address => LegacyAccount) private _legacy;
    uint256 private _total = 1;

    /// @notice One SSTORE per key (cold; 0 → nonzero the first time, nonzero → nonzero after).
    function store(uint256[] calldata keys, uint256 value) external {
        for (uint256 i; i < keys.length; ++i) _slots[keys[i]] = value;
    }

    /// @notice The pre-packing push loop: `account << 96 | liquidatable << 95 | uint95(base)` per entry.
    function legacyPush(Epoch epoch, bytes32[] calldata entries) external {
        uint256 totalIncrease;
        uint40 now_ = uint40(block.timestamp);
        for (uint256 i; i < entries.length; ++i) {
            uint256 word = uint256(entries[i]);
            address acct = address(uint160(word >> 96));
            bool liquidatable = (word >> 95) & 1 == 1;
            int96 base = int96(int256(word << 161) >> 161);
            LegacyAccount storage slot = _legacy[acct];
            int96 previous = slot.limit;
            if (base > previous) totalIncrease += uint256(int256(base) - previous);
            slot.limit = base;
            slot.updatedAt = now_;
            slot.liquidatable = liquidatable;
            emit CreditLimitSet(acct, epoch, base, liquidatable);
        }
        _total += totalIncrease;
        emit CreditBatchPushed(epoch, entries.length, totalIncrease);
    }
}
