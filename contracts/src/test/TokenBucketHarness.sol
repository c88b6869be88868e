// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {TokenBucket} from "../libraries/TokenBucket.sol";

/// @notice Exposes TokenBucket to tests.
contract TokenBucketHarness {
    using TokenBucket for TokenBucket.Bucket;

    TokenBucket.Bucket private _bucket;

    function configure(bool enabled, uint128 capacity, uint128 rate) external {
        _bucket.configure(enabled, capacity, rate);
    }

    function consume(uint256 amount) external {
        _bucket.consume(amount);
    }

    function tryConsume(uint256 amount) external returns (bool ok) {
        ok = _bucket.tryConsume(amount);
    }

    function refund(uint256 amount) external {
        _bucket.refund(amount);
    }

    function available() external view returns (uint256) {
        return _bucket.available();
    }
}
