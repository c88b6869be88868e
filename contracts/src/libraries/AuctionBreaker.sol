// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title AuctionBreaker
/// @notice The auction breaker (docs/breakers-and-dampeners.md#auction-breaker, after Maker's ClipperMom) on chain:
/// a price point at t trips it when it is below (1 − β) × the highest point in [t − window, t]; the asset's lots and
/// takes pause until the last trip + window, or until the guardian resumes (points up to the resume stop counting).
/// The chain only sees the points it is shown (kick, take, redo, and anyone's `poke`), and keeps the window's high
/// in one slot: the high and the highest point after it (a monotone deque cut to two entries). When the high leaves
/// the window the second entry takes its place; a third point lower than both is forgotten, so the chain's reference
/// can only be lower than the full history's (it may miss a trip, never invent one).
library AuctionBreaker {
    uint256 internal constant WAD = 1e18;

    /// @dev One slot: the window's high and the highest point observed after it (1e18 USD, ≤ type(uint96).max).
    struct Window {
        uint96 high;
        uint32 highAt;
        uint96 next;
        uint32 nextAt;
    }

    /// @dev One slot: whether a pause is recorded, when it ends, the last trip and the high it fell from.
    struct Pause {
        bool paused;
        uint40 pausedUntil;
        uint40 trippedAt;
        uint40 resumedAt;
        uint96 referencePrice;
    }

    /// @notice Adds the point (now, px) to the window; returns true when it trips the breaker (px < (1 − drop) × high).
    /// A price above type(uint96).max is not recorded (never trips).
    function observe(Window storage self, uint256 px, uint256 drop, uint256 window) internal returns (bool tripped, uint256 high) {
        if (px > type(uint96).max) return (false, 0);
        Window memory w = self;
        uint256 t = block.timestamp;
        if (w.high != 0 && uint256(w.highAt) + window < t) {
            (w.high, w.highAt, w.next, w.nextAt) = (w.next, w.nextAt, 0, 0);
            if (w.high != 0 && uint256(w.highAt) + window < t) (w.high, w.highAt) = (0, 0);
        }
        if (px >= w.high) (w.high, w.highAt, w.next, w.nextAt) = (uint96(px), uint32(t), 0, 0);
        else if (px >= w.next) (w.next, w.nextAt) = (uint96(px), uint32(t));
        self.high = w.high;
        self.highAt = w.highAt;
        self.next = w.next;
        self.nextAt = w.nextAt;
        high = w.high;
        tripped = px * WAD < high * (WAD - drop);
    }

    /// @notice The pause as it stands now: a recorded pause counts until `pausedUntil`.
    function active(Pause memory p) internal view returns (bool) {
        return p.paused && block.timestamp < p.pausedUntil;
    }
}
