// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title CreditSlots
/// @notice The CreditManager's packed limits: two accounts per storage slot (index 2·slot in the low half,
/// 2·slot + 1 in the high half), each half `epoch:32 | liquidatable:1 | base:95` (base signed). The slots live at
/// `REGION + slot`, a region no Solidity variable reaches (it starts at a hash), so no mapping hash is paid per write.
/// @dev A push word (one per written slot): `slot:32 | mask:32 | high entry:96 | low entry:96`, an entry being
/// `liquidatable:1 | base:95`; mask bit 0 writes the low half, bit 1 the high half.
library CreditSlots {
    uint256 internal constant REGION = uint256(keccak256("tributary.CreditManager.limits"));

    /// @notice The raw slot holding indices 2·slot and 2·slot + 1.
    function load(uint256 slot) internal view returns (uint256 value) {
        uint256 region = REGION;
        assembly ("memory-safe") {
            value := sload(add(region, slot))
        }
    }

    /// @notice Writes every push word's halves with `stamp` (the epoch, already shifted to bit 96 of a half) and
    /// returns the sum of the bases' increases and the number of halves written. Reverts `BadCreditSlot` on a mask
    /// outside {1, 2, 3} or a half whose index is not below `count`.
    /// @dev Assembly: per word one cold SLOAD, one SSTORE and ~380 gas besides; the Solidity loop it replaces spent
    /// ~850 on bounds checks, checked arithmetic and a mapping hash per access (contracts/bench/credit-push.ts).
    /// The sums cannot overflow: each increase is below 2^96 (two signed 95-bit bases) and a batch holds far fewer
    /// than 2^160 halves.
    function write(bytes32[] calldata words, uint256 count, uint256 stamp) internal returns (uint256 totalIncrease, uint256 written) {
        uint256 region = REGION;
        assembly ("memory-safe") {
            // max(0, new base − previous base), both the low 95 bits (signed) of their word.
            function increase(previousHalf, entryWord) -> up {
                let previous := sar(161, shl(161, previousHalf))
                let base := sar(161, shl(161, entryWord))
                if sgt(base, previous) { up := sub(base, previous) }
            }
            // The low 96 bits (an entry) and the low 128 bits (a half) of a word.
            function entry(x) -> e { e := and(x, 0xffffffffffffffffffffffff) }
            function low(x) -> h { h := and(x, 0xffffffffffffffffffffffffffffffff) }
            let end := add(words.offset, shl(5, words.length))
            for { let p := words.offset } lt(p, end) { p := add(p, 32) } {
                let word := calldataload(p)
                let mask := and(shr(192, word), 0xffffffff)
                // mask − 1 ∉ {0, 1, 2} (a mask of 0 wraps around), or the highest written index is not below count
                if or(gt(sub(mask, 1), 2), iszero(lt(add(shl(1, shr(224, word)), shr(1, mask)), count))) {
                    mstore(0x00, shl(224, 0x2b4d0f25)) // BadCreditSlot(uint256 position, bytes32 word)
                    mstore(0x04, shr(5, sub(p, words.offset)))
                    mstore(0x24, word)
                    revert(0x00, 0x44)
                }
                let key := add(region, shr(224, word))
                let previous := sload(key)
                switch mask
                case 3 {
                    let high := shr(96, word)
                    sstore(key, or(or(entry(word), stamp), shl(128, or(entry(high), stamp))))
                    totalIncrease := add(totalIncrease, add(increase(previous, word), increase(shr(128, previous), high)))
                    written := add(written, 2)
                }
                case 1 {
                    sstore(key, or(and(previous, not(0xffffffffffffffffffffffffffffffff)), or(entry(word), stamp)))
                    totalIncrease := add(totalIncrease, increase(previous, word))
                    written := add(written, 1)
                }
                default {
                    let high := shr(96, word)
                    sstore(key, or(low(previous), shl(128, or(entry(high), stamp))))
                    totalIncrease := add(totalIncrease, increase(shr(128, previous), high))
                    written := add(written, 1)
                }
            }
        }
    }
}
