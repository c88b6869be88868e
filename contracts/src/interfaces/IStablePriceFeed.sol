// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AggregatorV3Interface} from "./AggregatorV3Interface.sol";

/// @title IStablePriceFeed
/// @notice The hub's init-side price source per asset: min(oracle, stable price) (docs/breakers-and-dampeners.md).
/// δ and τ are governed (RiskParameters kinds 14 and 15): once the owner names the parameter governor, only it
/// changes them, and a change first settles s at the old parameters so it never applies to time already passed.
interface IStablePriceFeed is AggregatorV3Interface {
    error InvalidStableParams();
    error SourcePriceInvalid(int256 answer);
    /// @notice `setStableParams` by anyone but the governor (or, before there is one, the owner); a second governor.
    error ParamGoverned(address caller);
    error ZeroAddress();

    /// @notice s moved (or was confirmed) at a poke or a settle: `oraclePrice` and `stablePrice` in the source's units.
    event StablePriceUpdated(uint256 oraclePrice, uint256 stablePrice);
    /// @notice δ (1e18 = 100 %) per `interval` seconds from now on.
    event StableParamsSet(uint256 maxStep, uint256 interval);
    event ParamGovernorSet(address governor);

    function source() external view returns (AggregatorV3Interface);
    function maxStep() external view returns (uint256);
    function interval() external view returns (uint256);
    function maxGap() external view returns (uint256);
    function paramGovernor() external view returns (address);
    function stablePrice() external view returns (uint256 stable, uint256 lastUpdate);
    function poke() external returns (uint256 stable);
    /// @notice Settles s at the current parameters (a poke), then takes the new δ and τ.
    function setStableParams(uint256 maxStep, uint256 interval) external;
}
