// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title SeizureMath
/// @notice How much collateral a seizure takes (pure). The hub seizes collateral worth the uncovered debt × (1 + π)
/// at the oracle price, capped by what is there; the lot then must raise the part of the debt that collateral
/// covers at the same markup: debt = min(uncovered, value / (1 + π)). A capped lot holds all there is of that
/// asset, so it must raise its whole value, debt = min(uncovered, value): with the markup, a take at the oracle
/// price would stop at value / (1 + π) and return the rest to an account still in debt, to be seized again (a
/// 2 % sliver per round trip, a dozen round trips before an 18-decimal balance is gone). Either way value ≤
/// uncovered × (1 + π) + one token unit's worth (the amount is rounded up to whole units).
library SeizureMath {
    uint256 internal constant WAD = 1e18;

    /// @param uncoveredDebt USD (1e18) the account still owes beyond seizures in flight.
    /// @param penalty π (1e18 = 100%).
    /// @param available token units that may be seized (attested − pending − reserved).
    /// @param price 1e18 USD per whole token; `decimals` of the token on its chain.
    /// @return amount token units to seize, `debtUsd` the lot must raise, `value` amount × price (USD 1e18).
    function plan(uint256 uncoveredDebt, uint256 penalty, uint256 available, uint256 price, uint8 decimals)
        internal
        pure
        returns (uint256 amount, uint256 debtUsd, uint256 value)
    {
        uint256 target = Math.mulDiv(uncoveredDebt, WAD + penalty, WAD, Math.Rounding.Ceil);
        uint256 unit = 10 ** decimals;
        amount = Math.mulDiv(target, unit, price, Math.Rounding.Ceil);
        bool capped = amount >= available;
        if (capped) amount = available;
        value = Math.mulDiv(amount, price, unit);
        debtUsd = capped ? value : Math.mulDiv(value, WAD, WAD + penalty);
        if (debtUsd > uncoveredDebt) debtUsd = uncoveredDebt;
    }
}
