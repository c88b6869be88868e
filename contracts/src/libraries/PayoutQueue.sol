// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AssetId} from "../types/Ids.sol";

/// @title PayoutQueue
/// @notice Outflows a vault could not send at once (rate limit, a token that refuses the transfer), kept per
/// payout so each one stays attributable to the account it was taken from: claims pay a recipient's payouts
/// oldest first, and a cancellation returns exactly what is left of one payout to its account.
library PayoutQueue {
    struct Payout {
        address to;
        AssetId assetId;
        /// @dev Whose balance the payout was taken from (the account itself for a withdrawal; the seized
        /// account for a seizure): where a cancellation returns it.
        address account;
        uint128 remaining;
    }

    /// @dev Payout ids of one (recipient, asset), oldest first; `head` skips the fully paid or cancelled ones.
    struct Fifo {
        uint64 head;
        uint64[] ids;
    }

    struct Queues {
        uint64 lastId;
        mapping(uint64 => Payout) payouts;
        mapping(address => mapping(AssetId => uint256)) owed;
        mapping(address => mapping(AssetId => Fifo)) fifo;
    }

    /// @notice Records `amount` owed to `to`, taken from `account`; returns the payout id (from 1).
    function push(Queues storage q, address to, AssetId assetId, address account, uint256 amount) internal returns (uint64 id) {
        id = ++q.lastId;
        q.payouts[id] = Payout(to, assetId, account, uint128(amount));
        q.owed[to][assetId] += amount;
        q.fifo[to][assetId].ids.push(id);
    }

    /// @notice Takes up to `max` of what `to` is owed in `assetId`, oldest payout first; returns the amount taken.
    function take(Queues storage q, address to, AssetId assetId, uint256 max) internal returns (uint256 taken) {
        Fifo storage fifo = q.fifo[to][assetId];
        uint256 head = fifo.head;
        uint256 count = fifo.ids.length;
        while (taken < max && head < count) {
            Payout storage payout = q.payouts[fifo.ids[head]];
            uint256 part = payout.remaining;
            if (part > max - taken) part = max - taken;
            payout.remaining -= uint128(part);
            taken += part;
            if (payout.remaining == 0) ++head;
        }
        fifo.head = uint64(head);
        q.owed[to][assetId] -= taken;
    }

    /// @notice Removes what is left of payout `id`; returns the payout as it was and the amount removed (0 when
    /// it was fully paid, cancelled or never existed).
    function cancel(Queues storage q, uint64 id) internal returns (Payout memory payout) {
        payout = q.payouts[id];
        if (payout.remaining == 0) return payout;
        q.payouts[id].remaining = 0;
        q.owed[payout.to][payout.assetId] -= payout.remaining;
    }
}
