// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ICollateralAuction} from "../interfaces/ICollateralAuction.sol";
import {AssetId} from "../types/Ids.sol";

/// @notice Stand-in for the vault in unit tests of the CollateralAuction: funds and kicks lots, records closes.
contract AuctionVaultStub {
    struct Closed {
        uint64 seizureId;
        address account;
        uint256 seized;
        uint256 proceedsUsd;
        uint256 returned;
    }

    Closed[] public closes;

    function kick(ICollateralAuction auction, IERC20 token, uint64 lotId, address account, AssetId assetId, uint256 amount, uint256 debtUsd)
        external
    {
        token.transfer(address(auction), amount);
        auction.kick(lotId, 1, account, assetId, amount, debtUsd);
    }

    function closeLot(uint64 seizureId, uint64, address account, AssetId, uint256 seized, uint256 proceedsUsd, uint256 returned)
        external
    {
        closes.push(Closed(seizureId, account, seized, proceedsUsd, returned));
    }

    function closeCount() external view returns (uint256) {
        return closes.length;
    }
}
