// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Called on a contract recipient of a RestrictedERC20 transfer (a token with receive hooks).
interface ITokenRecipient {
    function onTokenReceived(address from, uint256 amount) external;
}

/// @notice ERC-20 with what real tokens do to a payout: the issuer pauses it or blocklists an address (USDC-style),
/// and a recipient's receive hook may revert. Mintable by anyone (tests only).
contract RestrictedERC20 is ERC20 {
    error TokenPaused();
    error Blocklisted(address account);

    bool public paused;
    mapping(address => bool) public blocklisted;
    /// @dev Recipients whose `onTokenReceived` hook the token calls (opt-in, so the vault itself takes deposits).
    mapping(address => bool) public hooked;

    constructor() ERC20("Restricted USD", "RUSD") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setPaused(bool paused_) external {
        paused = paused_;
    }

    function setBlocklisted(address account, bool blocked) external {
        blocklisted[account] = blocked;
    }

    function setHooked(address account, bool hooked_) external {
        hooked[account] = hooked_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (paused) revert TokenPaused();
        if (blocklisted[from]) revert Blocklisted(from);
        if (blocklisted[to]) revert Blocklisted(to);
        super._update(from, to, value);
        if (hooked[to]) ITokenRecipient(to).onTokenReceived(from, value);
    }
}

/// @notice A recipient whose token hook always reverts.
contract RevertingRecipient is ITokenRecipient {
    error Refused();

    function onTokenReceived(address, uint256) external pure {
        revert Refused();
    }
}
