// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AssetId} from "../types/Ids.sol";
import {AggregatorV3Interface} from "./AggregatorV3Interface.sol";
import {ITributaryOApp} from "./ITributaryOApp.sol";

/// @title IMarginHub
/// @notice The trading chain's end of every vault pathway. Stores the vaults' attested balances, decides
/// withdrawal requests against the CreditManager and sends seizures on liquidation.
/// @dev Only messages from a vault peer delivered by the endpoint are accepted (OAppReceiver). An attestation
/// whose sequence is not above the stored one changes nothing: delivery order and repetition do not matter.
interface IMarginHub is ITributaryOApp {
    /// @notice Latest attested balance of (account, eid, asset) and the vault sequence that carried it.
    struct Attestation {
        uint128 balance;
        uint64 sequence;
    }

    /// @notice Hub-wide risk parameters of one asset.
    struct AssetRisk {
        AggregatorV3Interface feed;
        /// @dev 1e18 = 100%; the haircut applied to withdrawn collateral when reserving credit.
        uint64 initWeight;
        bool listed;
    }

    /// @notice An approved withdrawal whose credit stays reserved until the vault attests the release.
    struct PendingWithdrawal {
        address account;
        AssetId assetId;
        uint128 amount;
        uint128 reservedValue;
    }

    /// @notice Why a withdrawal was rejected (carried in WITHDRAW_DECISION).
    enum RejectReason {
        None,
        UnlistedAsset,
        InsufficientAttestedBalance,
        StaleCredit,
        InsufficientCredit,
        PriceUnavailable,
        Liquidatable,
        DuplicateRequest
    }

    error AssetNotListed(uint32 eid, AssetId assetId);
    error ZeroAddress();
    error ZeroAmount();
    error InvalidWeight(uint64 weight);
    error NotPeer(uint32 eid);

    /// @notice Emitted when an attestation newer than the stored one was stored.
    event AttestationApplied(address indexed account, uint32 indexed eid, AssetId indexed assetId, uint256 balance, uint64 sequence);
    /// @notice Emitted when an attestation not newer than the stored one was ignored (state unchanged).
    event AttestationIgnored(
        address indexed account, uint32 indexed eid, AssetId indexed assetId, uint256 balance, uint64 sequence, uint64 storedSequence
    );
    /// @notice Emitted when a vault's WITHDRAW_REQUEST arrived.
    event WithdrawalRequested(uint32 indexed eid, uint64 indexed requestId, address indexed account, AssetId assetId, uint256 amount);
    /// @notice Emitted when the hub decided a withdrawal; `reason` is 0 when approved.
    /// @param reservedValue credit reserved until the release attestation (1e18 USD), 0 when rejected.
    event WithdrawalDecided(
        uint32 indexed eid, uint64 indexed requestId, address indexed account, bool approved, uint8 reason, uint256 reservedValue
    );
    /// @notice Emitted when the vault's release attestation arrived and the reservation was returned.
    event WithdrawalSettled(uint32 indexed eid, uint64 indexed requestId, address indexed account, uint256 reservedValue);
    /// @notice Emitted when a liquidator sent a SEIZE to a vault.
    event SeizureSent(
        uint64 indexed liquidationId, address indexed account, uint32 indexed eid, AssetId assetId, uint256 amount, address recipient
    );
    /// @notice Emitted when the owner sets an asset's feed and withdrawal haircut.
    event AssetRiskSet(AssetId indexed assetId, address feed, uint64 initWeight);
    /// @notice Emitted when the owner records an asset's decimals on one vault chain.
    event ChainAssetSet(uint32 indexed eid, AssetId indexed assetId, uint8 decimals);
    /// @notice Emitted when the owner sets the oracle staleness bound.
    event MaxPriceAgeSet(uint256 maxPriceAge);

    /// @notice Role allowed to send SEIZE.
    function LIQUIDATOR_ROLE() external view returns (bytes32);

    function attestation(address account, uint32 eid, AssetId assetId) external view returns (Attestation memory);

    function pendingWithdrawal(uint32 eid, uint64 requestId) external view returns (PendingWithdrawal memory);

    /// @notice Attested balance minus approved-but-unsettled withdrawals.
    function withdrawableBalance(address account, uint32 eid, AssetId assetId) external view returns (uint256);

    /// @notice Haircut value (1e18 USD) reserved when withdrawing `amount` of `assetId` from `eid`.
    function withdrawalValue(uint32 eid, AssetId assetId, uint256 amount) external view returns (uint256);

    function setAssetRisk(AssetId assetId, AggregatorV3Interface feed, uint64 initWeight) external;

    function setChainAsset(uint32 eid, AssetId assetId, uint8 decimals) external;

    function setMaxPriceAge(uint256 maxPriceAge) external;

    /// @notice Native fee of one hub→vault message of `messageType` toward `eid`.
    function quote(uint32 eid, uint8 messageType) external view returns (uint256 nativeFee);

    /// @notice Sends SEIZE to the vault on `eid`; msg.value (or the hub's balance) pays the fee.
    function seize(address account, uint32 eid, AssetId assetId, uint256 amount, address recipient)
        external
        payable
        returns (uint64 liquidationId);
}
