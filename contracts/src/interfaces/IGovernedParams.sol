// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IGovernedParams
/// @notice Parameters that move credit change only by a delayed, bounded path: the owner proposes a new value
/// (within the parameter's range and at most its step away from the current value), anyone executes it once the
/// delay has passed, the owner may cancel it before. Before `activateGovernance` (the deploy's last step) the
/// contract is being configured and its direct setters work; after it they revert `ParamGoverned`.
/// A parameter is named by `key = kind << 64 | id` (kind per contract, id = asset, market or eid; see
/// docs/liveness-and-params.md). Values are 1e18 fixed point for weights, ratios and health, token units otherwise.
interface IGovernedParams {
    /// @notice `executeParam` before the proposal's `eta`.
    error TooEarly(bytes32 key, uint256 eta);
    /// @notice The proposed value is more than `maxStep` away from the current one.
    error StepTooLarge(bytes32 key, uint256 current, uint256 value, uint256 maxStep);
    /// @notice The proposed value is outside the parameter's range.
    error OutOfBounds(bytes32 key, uint256 value, uint256 min, uint256 max);
    /// @notice No pending proposal under `key`.
    error NoProposal(bytes32 key);
    /// @notice A proposal is already pending under `key` (cancel it first).
    error ProposalPending(bytes32 key);
    /// @notice `key` names no governed parameter of this contract (or an unlisted asset/market).
    error UnknownParam(bytes32 key);
    /// @notice A direct setter after governance was activated: use propose → execute.
    error ParamGoverned();
    /// @notice `activateGovernance` twice, or a proposal before it.
    error GovernanceActive();
    error GovernanceInactive();
    /// @notice A delay outside [MIN_PARAM_DELAY, MAX_PARAM_DELAY].
    error InvalidParamDelay(uint256 delay);

    event GovernanceActivated(uint256 delay);
    event ParamProposed(bytes32 indexed key, uint256 current, uint256 value, uint256 eta);
    event ParamExecuted(bytes32 indexed key, uint256 previous, uint256 value);
    event ParamCancelled(bytes32 indexed key, uint256 value);

    /// @notice Seconds between a proposal and its earliest execution (0 until governance is activated).
    function paramDelay() external view returns (uint256);

    /// @notice The parameter's current value (reverts UnknownParam).
    function paramValue(bytes32 key) external view returns (uint256);

    /// @notice The parameter's range and largest step per change, as `proposeParam` checks them now.
    function paramBound(bytes32 key) external view returns (uint256 min, uint256 max, uint256 maxStep);

    /// @notice The pending proposal under `key` (eta = 0: none).
    function pendingParam(bytes32 key) external view returns (uint256 value, uint256 eta);

    /// @notice Owner, once: ends the configuration phase; from now on parameters change only by proposal.
    function activateGovernance(uint256 delay) external;

    /// @notice Owner: proposes `value` for `key`; executable from `block.timestamp + paramDelay()`.
    function proposeParam(bytes32 key, uint256 value) external returns (uint256 eta);

    /// @notice Anyone, at or after the proposal's eta: applies it (bound checked again against the value now).
    function executeParam(bytes32 key) external;

    /// @notice Owner: drops the pending proposal under `key`.
    function cancelParam(bytes32 key) external;
}
