// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20, SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IInsuranceFund} from "./interfaces/IInsuranceFund.sol";
import {ISettlementPool} from "./interfaces/ISettlementPool.sol";
import {ILiquidationRegistry} from "./interfaces/ILiquidationRegistry.sol";
import {CashAccounting} from "./libraries/CashAccounting.sol";

/// @title InsuranceFund
/// @notice See IInsuranceFund. Holds quote tokens and a cash balance in the SettlementPool (the penalty shares).
/// No owner: tokens leave only through `cover`, into the pool, for an account whose collateral is exhausted.
contract InsuranceFund is IInsuranceFund, ReentrancyGuard {
    using SafeERC20 for IERC20;

    IERC20 public immutable quoteToken;
    ISettlementPool public immutable settlementPool;
    ILiquidationRegistry public immutable registry;
    uint256 private immutable _usdPerUnit;

    constructor(ISettlementPool settlementPool_, ILiquidationRegistry registry_) {
        if (address(settlementPool_) == address(0) || address(registry_) == address(0)) revert ZeroAddress();
        settlementPool = settlementPool_;
        registry = registry_;
        quoteToken = settlementPool_.quoteToken();
        _usdPerUnit = settlementPool_.usdPerTokenUnit();
    }

    function balance() public view returns (uint256) {
        return quoteToken.balanceOf(address(this)) * _usdPerUnit + CashAccounting.positivePart(settlementPool.cashOf(address(this)));
    }

    /// @inheritdoc IInsuranceFund
    function deposit(uint256 tokenAmount) external nonReentrant {
        if (tokenAmount == 0) revert ZeroAmount();
        quoteToken.safeTransferFrom(msg.sender, address(this), tokenAmount);
        emit Deposited(msg.sender, tokenAmount);
        _emitBalance();
    }

    /// @inheritdoc IInsuranceFund
    function cover(address account) external nonReentrant returns (uint256 paidUsd, uint256 badDebt) {
        if (!registry.collateralExhausted(account)) revert CollateralNotExhausted(account);
        ISettlementPool pool = settlementPool;
        int256 cash = pool.cashOf(account);
        if (cash >= 0) revert NoDebt(account);
        uint256 debt = uint256(-cash);
        uint256 fromCash = Math.min(CashAccounting.positivePart(pool.cashOf(address(this))), debt);
        if (fromCash != 0) pool.coverFromCash(account, fromCash);
        uint256 tokens = Math.min(quoteToken.balanceOf(address(this)), Math.ceilDiv(debt - fromCash, _usdPerUnit));
        if (tokens != 0) {
            quoteToken.forceApprove(address(pool), tokens);
            pool.repay(account, tokens);
        }
        paidUsd = fromCash + tokens * _usdPerUnit;
        int256 left = pool.cashOf(account);
        if (left < 0) {
            badDebt = uint256(-left);
            pool.socializeLoss(account, badDebt);
        }
        uint64 liquidationId = registry.activeLiquidation(account);
        registry.closeLiquidation(account);
        emit DebtCovered(liquidationId, account, debt, fromCash, tokens, badDebt);
        _emitBalance();
    }

    function _emitBalance() private {
        emit FundBalance(balance(), quoteToken.balanceOf(address(this)), settlementPool.cashOf(address(this)));
    }
}
