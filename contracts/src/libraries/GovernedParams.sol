// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IGovernedParams} from "../interfaces/IGovernedParams.sol";

/// @title GovernedParams
/// @notice Propose → wait → execute (or cancel) for a contract's credit-moving parameters, with a range and a
/// largest step per change. The contract supplies each key's current value and bound; this library keeps the
/// proposals and the delay, checks and emits (events and errors of IGovernedParams).
library GovernedParams {
    uint256 internal constant MIN_DELAY = 10;
    uint256 internal constant MAX_DELAY = 30 days;

    struct Bound {
        uint256 min;
        uint256 max;
        uint256 maxStep;
    }

    struct Proposal {
        uint192 value;
        uint64 eta;
    }

    struct Store {
        uint64 delay;
        bool active;
        mapping(bytes32 => Proposal) proposals;
    }

    /// @notice `kind << 64 | id`: kinds are per contract, ids an asset, market or eid (0 for a global one).
    function key(uint8 kind, uint64 id) internal pure returns (bytes32) {
        return bytes32((uint256(kind) << 64) | id);
    }

    function kindOf(bytes32 k) internal pure returns (uint8) {
        return uint8(uint256(k) >> 64);
    }

    function idOf(bytes32 k) internal pure returns (uint64) {
        return uint64(uint256(k));
    }

    function activate(Store storage self, uint256 delay) internal {
        if (self.active) revert IGovernedParams.GovernanceActive();
        if (delay < MIN_DELAY || delay > MAX_DELAY) revert IGovernedParams.InvalidParamDelay(delay);
        self.active = true;
        self.delay = uint64(delay);
        emit IGovernedParams.GovernanceActivated(delay);
    }

    /// @notice For the direct setters: they configure the contract only until governance is activated.
    function requireConfiguring(Store storage self) internal view {
        if (self.active) revert IGovernedParams.ParamGoverned();
    }

    function propose(Store storage self, bytes32 k, uint256 current, uint256 value, Bound memory bound)
        internal
        returns (uint256 eta)
    {
        if (!self.active) revert IGovernedParams.GovernanceInactive();
        if (self.proposals[k].eta != 0) revert IGovernedParams.ProposalPending(k);
        check(k, current, value, bound);
        eta = block.timestamp + self.delay;
        self.proposals[k] = Proposal(uint192(value), uint64(eta));
        emit IGovernedParams.ParamProposed(k, current, value, eta);
    }

    /// @notice Returns the value to apply; the caller writes it. The bound is checked again: another parameter
    /// it depends on (e.g. imr for mmr) may have moved since the proposal.
    function execute(Store storage self, bytes32 k, uint256 current, Bound memory bound) internal returns (uint256 value) {
        Proposal memory p = self.proposals[k];
        if (p.eta == 0) revert IGovernedParams.NoProposal(k);
        if (block.timestamp < p.eta) revert IGovernedParams.TooEarly(k, p.eta);
        value = p.value;
        check(k, current, value, bound);
        delete self.proposals[k];
        emit IGovernedParams.ParamExecuted(k, current, value);
    }

    function cancel(Store storage self, bytes32 k) internal {
        Proposal memory p = self.proposals[k];
        if (p.eta == 0) revert IGovernedParams.NoProposal(k);
        delete self.proposals[k];
        emit IGovernedParams.ParamCancelled(k, p.value);
    }

    function pending(Store storage self, bytes32 k) internal view returns (uint256 value, uint256 eta) {
        Proposal memory p = self.proposals[k];
        return (p.value, p.eta);
    }

    function check(bytes32 k, uint256 current, uint256 value, Bound memory bound) internal pure {
        if (value < bound.min || value > bound.max || value > type(uint192).max) {
            revert IGovernedParams.OutOfBounds(k, value, bound.min, bound.max);
        }
        uint256 step = value > current ? value - current : current - value;
        if (step > bound.maxStep) revert IGovernedParams.StepTooLarge(k, current, value, bound.maxStep);
    }
}
