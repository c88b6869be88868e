// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IStablePriceFeed} from "../interfaces/IStablePriceFeed.sol";
import {StablePrice} from "../libraries/StablePrice.sol";

/// @title StablePriceFeed
/// @notice The initial side's price source on the trading chain: wraps an oracle feed and answers p⁻ = min(p, s), where
/// the stable price s follows p by at most δ per τ of on-chain time (StablePrice). The hub values collateral with it
/// (the chain-visible credit cap and the withdrawal check), so a one-block spike up adds no collateral value on chain
/// either; a fall counts at once (p⁻ = p). Maintenance and liquidation read the oracle feed itself.
/// @dev s moves when anyone calls `poke` (the aggregator does, every few minutes). One poke credits at most `maxGap`
/// seconds of movement: time nobody poked is not saved up for a later spike, so an s poked rarely lags behind p (a
/// lower p⁻: conservative), never ahead. Reads project s over min(now − last poke, maxGap) at today's p, so between
/// pokes the answer moves as a poke now would move it. δ and τ are governed (RiskParameters kinds 14, 15): they share
/// s's slot, so a read costs what it did with immutables.
contract StablePriceFeed is IStablePriceFeed, Ownable {
    AggregatorV3Interface public immutable source;
    uint8 public immutable decimals;
    /// @notice The most seconds of movement one update credits.
    uint256 public immutable maxGap;

    /// @dev s in the source's units, the on-chain time of the poke that set it, δ (1e18) and τ (s): one slot.
    uint128 private _stable;
    uint40 private _lastUpdate;
    uint64 private _maxStep;
    uint24 private _interval;

    address public paramGovernor;

    constructor(AggregatorV3Interface source_, uint256 maxStep_, uint256 interval_, uint256 maxGap_) Ownable(msg.sender) {
        if (maxGap_ == 0) revert InvalidStableParams();
        (source, decimals, maxGap) = (source_, source_.decimals(), maxGap_);
        _checkParams(maxStep_, interval_, maxGap_);
        uint256 p = _sourcePrice();
        (_stable, _lastUpdate, _maxStep, _interval) = (uint128(p), uint40(block.timestamp), uint64(maxStep_), uint24(interval_));
        emit StableParamsSet(maxStep_, interval_);
        emit StablePriceUpdated(p, p);
    }

    function description() external view returns (string memory) {
        return string.concat("stable ", source.description());
    }

    /// @notice δ (1e18 = 100 %) per `interval` seconds.
    function maxStep() external view returns (uint256) {
        return _maxStep;
    }

    function interval() external view returns (uint256) {
        return _interval;
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
        return _poke();
    }

    /// @notice The governor (RiskParameters, after its delay); the owner until there is one. s is settled at the old
    /// δ and τ first: the new ones apply only to time after this block.
    function setStableParams(uint256 maxStep_, uint256 interval_) external {
        address governor = paramGovernor;
        if (msg.sender != governor && (governor != address(0) || msg.sender != owner())) revert ParamGoverned(msg.sender);
        _checkParams(maxStep_, interval_, maxGap);
        _poke();
        (_maxStep, _interval) = (uint64(maxStep_), uint24(interval_));
        emit StableParamsSet(maxStep_, interval_);
    }

    /// @notice Owner, once: from now on only `governor` changes δ and τ.
    function setParamGovernor(address governor) external onlyOwner {
        if (governor == address(0)) revert ZeroAddress();
        if (paramGovernor != address(0)) revert ParamGoverned(msg.sender);
        paramGovernor = governor;
        emit ParamGovernorSet(governor);
    }

    function _poke() private returns (uint256 stable) {
        uint256 p = _sourcePrice();
        stable = _projected(p);
        (_stable, _lastUpdate) = (uint128(stable), uint40(block.timestamp));
        emit StablePriceUpdated(p, stable);
    }

    function _checkParams(uint256 maxStep_, uint256 interval_, uint256 gap) private pure {
        if (maxStep_ == 0 || maxStep_ >= StablePrice.WAD || interval_ < gap || interval_ > type(uint24).max) {
            revert InvalidStableParams();
        }
    }

    function _projected(uint256 p) private view returns (uint256) {
        uint256 elapsed = block.timestamp - _lastUpdate;
        return StablePrice.step(_stable, p, elapsed < maxGap ? elapsed : maxGap, _maxStep, _interval);
    }

    function _sourcePrice() private view returns (uint256) {
        (, int256 answer,,,) = source.latestRoundData();
        if (answer <= 0 || uint256(answer) > type(uint128).max) revert SourcePriceInvalid(answer);
        return uint256(answer);
    }
}
