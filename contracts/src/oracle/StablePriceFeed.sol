// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {StablePrice} from "../libraries/StablePrice.sol";

/// @title StablePriceFeed
/// @notice The initial side's price source on the trading chain: wraps an oracle feed and answers p⁻ = min(p, s), where
/// the stable price s follows p by at most δ per τ of on-chain time (StablePrice). The hub values collateral with it
/// (the chain-visible credit cap and the withdrawal check), so a one-block spike up adds no collateral value on chain
/// either; a fall counts at once (p⁻ = p). Maintenance and liquidation read the oracle feed itself.
/// @dev s moves when anyone calls `poke` (the aggregator does, every few minutes). One poke credits at most `maxGap`
/// seconds of movement: time nobody poked is not saved up for a later spike, so an s poked rarely lags behind p (a
/// lower p⁻: conservative), never ahead. Reads project s over min(now − last poke, maxGap) at today's p, so between
/// pokes the answer moves as a poke now would move it.
contract StablePriceFeed is AggregatorV3Interface {
    AggregatorV3Interface public immutable source;
    uint8 public immutable decimals;
    /// @notice δ (1e18 = 100 %) per `interval` seconds.
    uint256 public immutable maxStep;
    uint256 public immutable interval;
    /// @notice The most seconds of movement one update credits.
    uint256 public immutable maxGap;

    /// @dev s in the source's units, and the on-chain time of the poke that set it: one slot.
    uint192 private _stable;
    uint64 private _lastUpdate;

    error InvalidStableParams();
    error SourcePriceInvalid(int256 answer);

    /// @notice s moved (or was confirmed) at a poke: `oraclePrice` and `stablePrice` in the source's units.
    event StablePriceUpdated(uint256 oraclePrice, uint256 stablePrice);

    constructor(AggregatorV3Interface source_, uint256 maxStep_, uint256 interval_, uint256 maxGap_) {
        if (maxStep_ == 0 || maxStep_ >= StablePrice.WAD || interval_ == 0 || maxGap_ == 0 || maxGap_ > interval_) {
            revert InvalidStableParams();
        }
        (source, decimals, maxStep, interval, maxGap) = (source_, source_.decimals(), maxStep_, interval_, maxGap_);
        uint256 p = _sourcePrice();
        (_stable, _lastUpdate) = (uint192(p), uint64(block.timestamp));
        emit StablePriceUpdated(p, p);
    }

    function description() external view returns (string memory) {
        return string.concat("stable ", source.description());
    }

    /// @notice The source's latest round with its answer replaced by min(p, s).
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) = source.latestRoundData();
        if (answer > 0) {
            uint256 s = _projected(uint256(answer));
            if (s < uint256(answer)) answer = int256(s);
        }
        return (roundId, answer, startedAt, updatedAt, answeredInRound);
    }

    /// @notice s as a poke now would set it, and the time of the last poke.
    function stablePrice() external view returns (uint256 stable, uint256 lastUpdate) {
        return (_projected(_sourcePrice()), _lastUpdate);
    }

    /// @notice Anyone: moves s toward the source's price now.
    function poke() external returns (uint256 stable) {
        uint256 p = _sourcePrice();
        stable = _projected(p);
        (_stable, _lastUpdate) = (uint192(stable), uint64(block.timestamp));
        emit StablePriceUpdated(p, stable);
    }

    function _projected(uint256 p) private view returns (uint256) {
        uint256 elapsed = block.timestamp - _lastUpdate;
        return StablePrice.step(_stable, p, elapsed < maxGap ? elapsed : maxGap, maxStep, interval);
    }

    function _sourcePrice() private view returns (uint256) {
        (, int256 answer,,,) = source.latestRoundData();
        if (answer <= 0 || uint256(answer) > type(uint192).max) revert SourcePriceInvalid(answer);
        return uint256(answer);
    }
}
