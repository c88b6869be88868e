// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title TokenBucket
/// @notice Rate limiter in the style of Chainlink CCIP's RateLimiter: `capacity` tokens, refilled at
/// `rate` per second; a disabled bucket allows everything.
library TokenBucket {
    struct Bucket {
        uint128 tokens;
        uint32 lastUpdated;
        bool enabled;
        uint128 capacity;
        uint128 rate;
    }

    error RateLimited(uint256 requested, uint256 available);

    /// @notice Tokens available at the current block time.
    function available(Bucket storage bucket) internal view returns (uint256) {
        if (!bucket.enabled) return type(uint256).max;
        return _refilled(bucket.tokens, bucket.capacity, bucket.rate, bucket.lastUpdated);
    }

    /// @notice Takes `amount` or reverts `RateLimited`.
    function consume(Bucket storage bucket, uint256 amount) internal {
        if (!tryConsume(bucket, amount)) revert RateLimited(amount, available(bucket));
    }

    /// @notice Takes `amount` if available; returns false and changes nothing otherwise.
    function tryConsume(Bucket storage bucket, uint256 amount) internal returns (bool) {
        if (!bucket.enabled || amount == 0) return true;
        uint256 tokens = _refilled(bucket.tokens, bucket.capacity, bucket.rate, bucket.lastUpdated);
        if (amount > tokens) return false;
        bucket.tokens = uint128(tokens - amount);
        bucket.lastUpdated = uint32(block.timestamp);
        return true;
    }

    /// @notice Puts back `amount` taken by `tryConsume` in the same block (an outflow that could not be sent),
    /// never above capacity.
    function refund(Bucket storage bucket, uint256 amount) internal {
        if (!bucket.enabled || amount == 0) return;
        uint256 tokens = _refilled(bucket.tokens, bucket.capacity, bucket.rate, bucket.lastUpdated) + amount;
        bucket.tokens = uint128(tokens < bucket.capacity ? tokens : bucket.capacity);
        bucket.lastUpdated = uint32(block.timestamp);
    }

    /// @notice Reconfigures the bucket; current tokens are refilled first, then clamped to the new capacity.
    function configure(Bucket storage bucket, bool enabled, uint128 capacity, uint128 rate) internal {
        uint256 tokens = bucket.enabled ? _refilled(bucket.tokens, bucket.capacity, bucket.rate, bucket.lastUpdated) : capacity;
        bucket.tokens = uint128(tokens < capacity ? tokens : capacity);
        bucket.lastUpdated = uint32(block.timestamp);
        bucket.enabled = enabled;
        bucket.capacity = capacity;
        bucket.rate = rate;
    }

    function _refilled(uint128 tokens, uint128 capacity, uint128 rate, uint32 lastUpdated) private view returns (uint256) {
        uint256 refilled = uint256(tokens) + (block.timestamp - lastUpdated) * uint256(rate);
        return refilled < capacity ? refilled : capacity;
    }
}
