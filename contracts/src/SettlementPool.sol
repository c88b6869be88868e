// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20, SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ISettlementPool} from "./interfaces/ISettlementPool.sol";
import {ICreditManager} from "./interfaces/ICreditManager.sol";
import {IMarginHub} from "./interfaces/IMarginHub.sol";
import {CashAccounting} from "./libraries/CashAccounting.sol";

/// @title SettlementPool
/// @notice See ISettlementPool. Token movements only through `repay`, `fund` and `withdrawCash`, so the
/// token balance equals funded + repaid − withdrawn (plus anything sent to the pool directly). Liquidation moves
/// (penalty, auction proceeds, insurance cover, write-off) change cash only; see ISettlementPool for the loss index.
contract SettlementPool is ISettlementPool, AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;
    using CashAccounting for CashAccounting.Totals;

    bytes32 public constant MARKET_ROLE = keccak256("MARKET_ROLE");
    bytes32 public constant HUB_ROLE = keccak256("HUB_ROLE");
    bytes32 public constant FUND_ROLE = keccak256("FUND_ROLE");
    uint256 private constant INDEX_ONE = 1e36;

    /// @dev One slot per account: signed cash as last written and the loss index it was written at.
    struct CashSlot {
        int128 cash;
        uint128 index;
    }

    IERC20 public immutable quoteToken;
    uint256 public immutable usdPerTokenUnit;
    ICreditManager public immutable creditManager;
    IMarginHub public immutable hub;

    mapping(address => CashSlot) private _cash;
    CashAccounting.Totals private _totals;
    uint256 public lossIndex = INDEX_ONE;
    mapping(address => uint256) public badDebtOf;
    uint256 public totalBadDebt;
    uint256 public unsocializedLoss;

    constructor(address admin, IERC20 quoteToken_, ICreditManager creditManager_, IMarginHub hub_) {
        if (admin == address(0) || address(quoteToken_) == address(0)) revert ZeroAddress();
        if (address(creditManager_) == address(0) || address(hub_) == address(0)) revert ZeroAddress();
        uint8 decimals = IERC20Metadata(address(quoteToken_)).decimals();
        if (decimals > 18) revert UnsupportedQuoteDecimals(decimals);
        quoteToken = quoteToken_;
        usdPerTokenUnit = 10 ** (18 - decimals);
        creditManager = creditManager_;
        hub = hub_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---- views ----

    function cashOf(address account) public view returns (int256) {
        return _read(account);
    }

    function totalPositiveCash() external view returns (uint256) {
        return _totals.positiveCash;
    }

    function totalDebt() external view returns (uint256) {
        return _totals.debt;
    }

    function solvency()
        external
        view
        returns (uint256 tokenBalanceUsd, uint256 totalPositiveCash_, uint256 totalDebt_, int256 equity)
    {
        CashAccounting.Totals memory totals = _totals;
        tokenBalanceUsd = _tokenBalanceUsd();
        return (tokenBalanceUsd, totals.positiveCash, totals.debt, totals.equity(tokenBalanceUsd));
    }

    function withdrawableCash(address account) external view returns (uint256) {
        if (!_accountMayWithdraw(account)) return 0;
        uint256 amount = CashAccounting.positivePart(_read(account));
        uint256 available = creditManager.availableCredit(account);
        uint256 held = _tokenBalanceUsd();
        if (available < amount) amount = available;
        if (held < amount) amount = held;
        return amount - (amount % usdPerTokenUnit);
    }

    // ---- market ----

    /// @inheritdoc ISettlementPool
    function settle(address account, int256 realizedPnl, uint256 fee) external onlyRole(MARKET_ROLE) {
        int256 before = _read(account);
        int256 afterPnl = before + realizedPnl;
        if (realizedPnl != 0) emit CashChanged(account, CashReason.RealizedPnl, realizedPnl, afterPnl);
        if (fee == 0) {
            _store(account, before, afterPnl);
            return;
        }
        int256 feeDelta = -SafeCast.toInt256(fee);
        int256 after_ = afterPnl + feeDelta;
        emit CashChanged(account, CashReason.TradingFee, feeDelta, after_);
        _store(account, before, after_);
    }

    /// @inheritdoc ISettlementPool
    function chargePenalty(uint64 liquidationId, address account, uint256 penalty, address keeper, address fund)
        external
        onlyRole(MARKET_ROLE)
    {
        if (penalty == 0) return;
        uint256 keeperShare = penalty / 2;
        _add(account, -SafeCast.toInt256(penalty), CashReason.LiquidationPenalty);
        _add(keeper, SafeCast.toInt256(keeperShare), CashReason.LiquidationReward);
        _add(fund, SafeCast.toInt256(penalty - keeperShare), CashReason.InsuranceShare);
        emit PenaltyCharged(liquidationId, account, keeper, fund, penalty, keeperShare, penalty - keeperShare);
    }

    // ---- hub ----

    /// @inheritdoc ISettlementPool
    function creditAuctionProceeds(uint64 liquidationId, uint64 seizureId, address account, uint256 proceedsUsd)
        external
        onlyRole(HUB_ROLE)
    {
        if (proceedsUsd == 0) return;
        _add(account, SafeCast.toInt256(proceedsUsd), CashReason.AuctionProceeds);
        emit AuctionProceedsCredited(liquidationId, seizureId, account, proceedsUsd);
    }

    // ---- insurance fund ----

    /// @inheritdoc ISettlementPool
    function coverFromCash(address account, uint256 usdAmount) external onlyRole(FUND_ROLE) {
        if (usdAmount == 0) revert ZeroAmount();
        uint256 fundCash = CashAccounting.positivePart(_read(msg.sender));
        uint256 debt = CashAccounting.negativePart(_read(account));
        uint256 available = fundCash < debt ? fundCash : debt;
        if (usdAmount > available) revert CoverExceedsAvailable(usdAmount, available);
        int256 delta = SafeCast.toInt256(usdAmount);
        _add(msg.sender, -delta, CashReason.InsuranceCover);
        _add(account, delta, CashReason.InsuranceCover);
    }

    /// @inheritdoc ISettlementPool
    /// @dev positive' = positive − socialized and lossIndex' = lossIndex × positive' / positive (≥ 1): every positive
    /// balance, read through the index, shrinks by the same factor. With no positive cash the loss is unsocialized.
    function socializeLoss(address account, uint256 usdAmount) external onlyRole(FUND_ROLE) {
        if (usdAmount == 0) revert ZeroAmount();
        uint256 debt = CashAccounting.negativePart(_read(account));
        if (usdAmount > debt) revert WriteOffExceedsDebt(account, usdAmount, debt);
        _add(account, SafeCast.toInt256(usdAmount), CashReason.BadDebtWriteOff);
        uint256 positive = _totals.positiveCash;
        uint256 socialized = usdAmount < positive ? usdAmount : positive;
        uint256 index = lossIndex;
        if (socialized != 0) {
            index = (index * (positive - socialized)) / positive;
            if (index == 0) index = 1;
            lossIndex = index;
            _totals.positiveCash = uint128(positive - socialized);
        }
        badDebtOf[account] += usdAmount;
        totalBadDebt += usdAmount;
        unsocializedLoss += usdAmount - socialized;
        emit LossSocialized(account, usdAmount, socialized, usdAmount - socialized, index);
    }

    // ---- anyone ----

    /// @inheritdoc ISettlementPool
    function repay(address account, uint256 tokenAmount) external nonReentrant {
        if (account == address(0)) revert ZeroAddress();
        uint256 received = _pull(tokenAmount);
        int256 delta = SafeCast.toInt256(received * usdPerTokenUnit);
        int256 before = _read(account);
        int256 after_ = before + delta;
        _store(account, before, after_);
        emit CashChanged(account, CashReason.Repayment, delta, after_);
    }

    /// @inheritdoc ISettlementPool
    function fund(uint256 tokenAmount) external nonReentrant {
        emit Funded(msg.sender, _pull(tokenAmount));
    }

    /// @inheritdoc ISettlementPool
    function withdrawCash(uint256 usdAmount) external nonReentrant {
        if (usdAmount == 0) revert ZeroAmount();
        if (usdAmount % usdPerTokenUnit != 0) revert AmountNotTokenMultiple(usdAmount, usdPerTokenUnit);
        address account = msg.sender;
        _requireWithdrawable(account, usdAmount);
        int256 before = _read(account);
        if (before < SafeCast.toInt256(usdAmount)) revert InsufficientCash(account, usdAmount, before);
        uint256 tokens = usdAmount / usdPerTokenUnit;
        uint256 held = quoteToken.balanceOf(address(this));
        if (held < tokens) revert InsufficientPoolLiquidity(tokens, held);
        int256 delta = -int256(usdAmount);
        int256 after_ = before + delta;
        _store(account, before, after_);
        emit CashChanged(account, CashReason.Withdrawal, delta, after_);
        quoteToken.safeTransfer(account, tokens);
    }

    // ---- internals ----

    /// @dev Positive cash read through the loss index (rounded down); negative cash as stored.
    function _read(address account) private view returns (int256 cash) {
        CashSlot memory slot = _cash[account];
        cash = slot.cash;
        if (cash > 0) {
            uint256 index = lossIndex;
            if (slot.index != index) cash = int256((uint256(cash) * index) / slot.index);
        }
    }

    function _add(address account, int256 delta, CashReason reason) private {
        int256 before = _read(account);
        int256 after_ = before + delta;
        _store(account, before, after_);
        emit CashChanged(account, reason, delta, after_);
    }

    function _store(address account, int256 before, int256 after_) private {
        if (after_ == before) return;
        // The index only matters for positive cash: a debt skips reading it.
        _cash[account] = CashSlot(SafeCast.toInt128(after_), after_ > 0 ? uint128(lossIndex) : 0);
        _totals.replace(before, after_);
    }

    /// @dev The received amount is the truth (as in the vaults).
    function _pull(uint256 tokenAmount) private returns (uint256 received) {
        if (tokenAmount == 0) revert ZeroAmount();
        uint256 before = quoteToken.balanceOf(address(this));
        quoteToken.safeTransferFrom(msg.sender, address(this), tokenAmount);
        received = quoteToken.balanceOf(address(this)) - before;
        if (received == 0) revert ZeroAmount();
    }

    /// @dev The hub's approval checks, at weight 1 (cash is USD).
    function _requireWithdrawable(address account, uint256 usdAmount) private view {
        ICreditManager.Account memory credit = creditManager.account(account);
        if (creditManager.isStale(account)) revert CreditStale(account, credit.updatedAt);
        if (credit.liquidatable) revert AccountLiquidatable(account);
        uint256 seizures = hub.seizuresInFlight(account);
        if (seizures != 0) revert SeizureInFlight(account, seizures);
        uint256 available = creditManager.availableCredit(account);
        if (available < usdAmount) revert InsufficientCredit(account, usdAmount, available);
    }

    /// @dev The account-level checks of `_requireWithdrawable`, as a boolean (for the `withdrawableCash` view).
    function _accountMayWithdraw(address account) private view returns (bool) {
        return !creditManager.isStale(account) && !creditManager.isLiquidatable(account) && hub.seizuresInFlight(account) == 0;
    }

    function _tokenBalanceUsd() private view returns (uint256) {
        return quoteToken.balanceOf(address(this)) * usdPerTokenUnit;
    }
}
