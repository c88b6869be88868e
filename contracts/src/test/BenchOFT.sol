// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {OFT} from "@layerzerolabs/oft-evm/contracts/OFT.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice Minimal LayerZero OFT (oft-evm 4.0.1), the gas baseline our messages are compared with.
contract BenchOFT is OFT {
    constructor(address endpoint, address owner_) OFT("Bench OFT", "BOFT", endpoint, owner_) Ownable(owner_) {}

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
