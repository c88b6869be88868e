// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AssetId} from "../types/Ids.sol";
import {AggregatorV3Interface} from "./AggregatorV3Interface.sol";
import {ITributaryOApp} from "./ITributaryOApp.sol";
import {IAttestedCollateral} from "./IAttestedCollateral.sol";

/// @title IMarginHub
/// @notice The trading chain's end of every vault pathway. Stores the vaults' attested balances, takes
/// withdrawal requests to a two-key decision and sends seizures on liquidation.
/// @dev Only messages from a vault peer delivered by the endpoint are accepted (OAppReceiver). An attestation
/// whose sequence is not above the stored one changes nothing: delivery order and repetition do not matter.
/// Two-key withdrawals: on WITHDRAW_REQUEST the hub runs its own checks; a failure is answered at once with a
/// rejected WITHDRAW_DECISION. A pass reserves the haircut value in the CreditManager and waits (event
/// `WithdrawalPending`) for the aggregator's key (DECIDER_ROLE) to `decideWithdrawal` with the exact
/// post-withdrawal risk. The hub turns an approval into a rejection unless its own checks still pass, and
/// anyone may `expireWithdrawal` a request left undecided past its deadline: never approved by default.
/// The hub is also the chain's own view of each account's collateral (IAttestedCollateral), which caps the
/// credit the CreditManager lets it use. Replies are paid with the value the vault's request forwarded.
/// Seizure (docs/liquidation.md): `seize(account)` asks the LiquidationRegistry for the plan (an open
/// liquidation, uncovered debt, the riskiest attested asset and the amount worth debt × (1 + π)), reserves that
/// collateral so no withdrawal can take it and sends SEIZE to that chain's auction. The vault's AUCTION_RESULT
/// (seized, proceeds, returned, post-state balance) releases the reservation, applies the attestation it carries,
/// credits the proceeds to the account's cash and lets the registry close the liquidation.
interface IMarginHub is ITributaryOApp, IAttestedCollateral {
    /// @notice Latest attested balance of (account, eid, asset) and the vault sequence that carried it.
    struct Attestation {
        uint128 balance;
        uint64 sequence;
    }

    /// @notice Hub-wide risk parameters of one asset.
    struct LastHeartbeat {
        uint64 vaultSequence;
        uint64 sentAt;
        uint64 receivedAt;
    }

    struct AssetRisk {
        AggregatorV3Interface feed;
        /// @dev 1e18 = 100%; the haircut applied to withdrawn collateral when reserving credit.
        uint64 initWeight;
        bool listed;
    }

    /// @notice A withdrawal whose credit is reserved: awaiting the decider (`approved` false, until `deadline`)
    /// or approved and awaiting the vault's release attestation.
    struct PendingWithdrawal {
        address account;
        AssetId assetId;
        /// @dev Unix time after which an undecided request may be expired to a rejection.
        uint40 deadline;
        bool approved;
        uint128 amount;
        uint128 reservedValue;
    }

    /// @notice A seizure sent and not yet answered by AUCTION_RESULT (deleted on the answer).
    struct Seizure {
        uint64 liquidationId;
        address account;
        uint32 eid;
        AssetId assetId;
        /// @dev Collateral requested (token units), reserved at the hub until the answer.
        uint128 amount;
        /// @dev Debt (USD 1e18) the lot must raise; counts as covered while in flight.
        uint128 debtUsd;
    }

    /// @notice Why a withdrawal was rejected (carried in WITHDRAW_DECISION). Append-only.
    enum RejectReason {
        None,
        UnlistedAsset,
        InsufficientAttestedBalance,
        StaleCredit,
        InsufficientCredit,
        PriceUnavailable,
        Liquidatable,
        DuplicateRequest,
        SeizureInFlight,
        DecisionTimeout,
        /// @dev The decider's: post-withdrawal credit limit L' below the initial-margin floor F^init.
        PostWithdrawalCreditBelowFloor,
        /// @dev The decider's: post-withdrawal health H' below 1.
        PostWithdrawalHealthBelowOne
    }

    error AssetNotListed(uint32 eid, AssetId assetId);
    error ZeroAddress();
    error ZeroAmount();
    error InvalidWeight(uint64 weight);
    error NotPeer(uint32 eid);
    /// @notice No withdrawal awaiting a decision under (eid, requestId) (unknown, already decided or settled).
    error WithdrawalNotAwaitingDecision(uint32 eid, uint64 requestId);
    /// @notice `expireWithdrawal` before the request's deadline.
    error DecisionNotExpired(uint32 eid, uint64 requestId, uint256 deadline);
    /// @notice A rejection must name a reason other than None, within the enum.
    error InvalidRejectReason(uint8 reason);
    /// @notice The decision timeout must be in (0, MAX_DECISION_TIMEOUT].
    error InvalidDecisionTimeout(uint256 decisionTimeout);
    /// @notice `setChainAsset` of a new pair once MAX_CHAIN_ASSETS pairs are listed.
    error TooManyChainAssets(uint256 max);
    /// @notice A one-time link (the liquidation registry) already set.
    error AlreadySet();
    /// @notice `seize` before the liquidation registry is linked.
    error RegistryNotSet();
    /// @notice `seize` of an account without a fresh liquidation mark (a seizure only follows a liquidation).
    error NotLiquidatable(address account);
    /// @notice A governed parameter changed other than by the parameter governor (RiskParameters), or a second
    /// `setParamGovernor`.
    error ParamGoverned(address caller);

    /// @notice Emitted when an attestation newer than the stored one was stored.
    event AttestationApplied(address indexed account, uint32 indexed eid, AssetId indexed assetId, uint256 balance, uint64 sequence);
    /// @notice Emitted when an attestation not newer than the stored one was ignored (state unchanged).
    event AttestationIgnored(
        address indexed account, uint32 indexed eid, AssetId indexed assetId, uint256 balance, uint64 sequence, uint64 storedSequence
    );
    /// @notice Emitted when a vault's WITHDRAW_REQUEST arrived.
    event WithdrawalRequested(uint32 indexed eid, uint64 indexed requestId, address indexed account, AssetId assetId, uint256 amount);
    /// @notice Emitted when the hub's checks passed: `reservedValue` (1e18 USD) is reserved and the request
    /// waits for `decideWithdrawal` until `deadline`.
    event WithdrawalPending(
        uint32 indexed eid,
        uint64 indexed requestId,
        address indexed account,
        AssetId assetId,
        uint256 amount,
        uint256 reservedValue,
        uint256 deadline
    );
    /// @notice Emitted when a withdrawal is decided (on arrival if the hub's checks fail, else by the decider or
    /// by expiry); `reason` is 0 when approved. The WITHDRAW_DECISION goes to the vault in the same transaction.
    /// @param reservedValue credit reserved until the release attestation (1e18 USD), 0 when rejected.
    event WithdrawalDecided(
        uint32 indexed eid, uint64 indexed requestId, address indexed account, bool approved, uint8 reason, uint256 reservedValue
    );
    /// @notice Emitted when the vault's release attestation arrived and the reservation was returned.
    event WithdrawalSettled(uint32 indexed eid, uint64 indexed requestId, address indexed account, uint256 reservedValue);
    /// @notice Emitted when SEIZE is sent: `amount` of `assetId` on `eid` to the auction `recipient`, whose lot must
    /// raise `debtUsd` (USD 1e18); `value` = amount × oracle price (USD 1e18) ≤ debtUsd × (1 + π) + one unit.
    event SeizureSent(
        uint64 indexed seizureId,
        uint64 indexed liquidationId,
        address indexed account,
        uint32 eid,
        AssetId assetId,
        uint256 amount,
        uint256 debtUsd,
        uint256 value,
        address recipient
    );
    /// @notice Emitted when an AUCTION_RESULT is applied: reservation released, `proceedsUsd` credited to cash.
    /// `shortfall` = requested − seized (collateral that was not in the vault when SEIZE arrived).
    event AuctionResultApplied(
        uint64 indexed seizureId,
        uint64 indexed liquidationId,
        address indexed account,
        uint32 eid,
        AssetId assetId,
        uint256 requested,
        uint256 seized,
        uint256 shortfall,
        uint256 proceedsUsd,
        uint256 returned
    );
    /// @notice Emitted when an AUCTION_RESULT names no seizure in flight (already applied or unknown): ignored.
    event AuctionResultIgnored(uint64 indexed seizureId, uint32 indexed eid);
    /// @notice Emitted once, when the owner links the liquidation registry.
    event RegistrySet(address registry);
    /// @notice Emitted when the owner sets an asset's feed and withdrawal haircut.
    event AssetRiskSet(AssetId indexed assetId, address feed, uint64 initWeight);
    /// @notice Emitted when the owner records an asset's decimals on one vault chain.
    event ChainAssetSet(uint32 indexed eid, AssetId indexed assetId, uint8 decimals);
    /// @notice Emitted when the owner sets the oracle staleness bound.
    event MaxPriceAgeSet(uint256 maxPriceAge);
    /// @notice Emitted when the owner sets how long a request waits for the decider before it may expire.
    event DecisionTimeoutSet(uint256 decisionTimeout);
    /// @notice The parameter governor was set (once): from now on only it changes a listed asset's weight.
    event ParamGovernorSet(address governor);
    /// @notice A HEARTBEAT from `eid`: the vault's attestation sequence and its chain's timestamp when sent.
    /// Liveness of a chain = the latest of this, AttestationApplied/AttestationIgnored and WithdrawalRequested
    /// (every vault message emits one of them on delivery); the ATTEST path stores nothing more (gas target).
    event HeartbeatReceived(uint32 indexed eid, uint64 vaultSequence, uint64 sentAt);

    /// @notice The LiquidationRegistry: open liquidations, seizure plans, auctions per chain, maint weights.
    function registry() external view returns (address);

    /// @notice Last seizure id issued (ids start at 1; each is the lot id on the collateral chain's auction).
    function nextSeizureId() external view returns (uint64);

    function seizure(uint64 seizureId) external view returns (Seizure memory);

    /// @notice Collateral of (account, eid, asset) reserved by seizures in flight (token units); excluded from
    /// `withdrawableBalance`.
    function seizureReserved(address account, uint32 eid, AssetId assetId) external view returns (uint256);

    /// @notice Σ debtUsd of `account`'s seizures in flight (USD 1e18).
    function debtInFlight(address account) external view returns (uint256);

    /// @notice What `seize(account)` would send now and its fee. Reverts as `seize` would.
    function quoteSeize(address account)
        external
        view
        returns (uint32 eid, AssetId assetId, uint256 amount, uint256 debtUsd, uint256 nativeFee);

    /// @notice Role of the aggregator's key that decides pending withdrawals.
    function DECIDER_ROLE() external view returns (bytes32);

    /// @notice Upper bound on listed (eid, asset) pairs: bounds the walk of `collateralValue`.
    function MAX_CHAIN_ASSETS() external view returns (uint256);

    /// @notice Every (eid, asset) pair listed with `setChainAsset`, in listing order.
    /// @notice The last HEARTBEAT delivered from `eid`: the vault's sequence, its send time and the delivery time.
    function lastHeartbeat(uint32 eid) external view returns (uint64 vaultSequence, uint64 sentAt, uint64 receivedAt);

    function chainAssetKeys() external view returns (uint32[] memory eids, AssetId[] memory assetIds);

    /// @notice Seconds a pending withdrawal waits for `decideWithdrawal` before `expireWithdrawal` may reject it.
    function decisionTimeout() external view returns (uint256);

    /// @notice Upper bound of `decisionTimeout` (30 days).
    function MAX_DECISION_TIMEOUT() external view returns (uint256);

    /// @notice Seizures sent for `account` whose outcome has not come back (incremented by `seize`; its
    /// AUCTION_RESULT decrements it). Non-zero blocks every withdrawal.
    function seizuresInFlight(address account) external view returns (uint256);

    function attestation(address account, uint32 eid, AssetId assetId) external view returns (Attestation memory);

    /// @notice Whether (eid, asset) is listed at the hub, and the token's decimals on that chain.
    function chainAsset(uint32 eid, AssetId assetId) external view returns (bool listed, uint8 decimals);

    function pendingWithdrawal(uint32 eid, uint64 requestId) external view returns (PendingWithdrawal memory);

    /// @notice Attested balance minus approved-but-unsettled withdrawals.
    function withdrawableBalance(address account, uint32 eid, AssetId assetId) external view returns (uint256);

    /// @notice Haircut value (1e18 USD) reserved when withdrawing `amount` of `assetId` from `eid`.
    function withdrawalValue(uint32 eid, AssetId assetId, uint256 amount) external view returns (uint256);

    function setAssetRisk(AssetId assetId, AggregatorV3Interface feed, uint64 initWeight) external;

    /// @notice Records `assetId`'s decimals on vault chain `eid`; a pair listed for the first time joins the pairs
    /// `collateralValue` walks (`TooManyChainAssets` past MAX_CHAIN_ASSETS).
    /// @notice An asset's feed, initial weight (1e18) and listing flag.
    function assetRisk(AssetId assetId) external view returns (AggregatorV3Interface feed, uint64 initWeight, bool listed);

    /// @notice Owner, once: the RiskParameters contract. From then on a listed asset's initial weight changes only
    /// when it calls `setAssetRisk`; the owner still lists new assets and changes a feed at the same weight.
    function setParamGovernor(address governor) external;

    function setChainAsset(uint32 eid, AssetId assetId, uint8 decimals) external;

    /// @notice Oracle staleness bound (seconds) of every price the hub reads.
    function maxPriceAge() external view returns (uint256);

    function setMaxPriceAge(uint256 maxPriceAge) external;

    function setDecisionTimeout(uint256 decisionTimeout) external;

    /// @notice DECIDER_ROLE decides a pending withdrawal. An approval stands only if the hub's checks still pass
    /// (no liquidation mark, fresh push, no seizure in flight, creditBalance ≥ 0 with the reservation counted,
    /// deadline not passed); otherwise it becomes a rejection with the hub's reason (no revert, so a request
    /// never sticks). Approved: WITHDRAW_DECISION approved, the reservation stays until the release
    /// attestation. Rejected: the reservation is cancelled, WITHDRAW_DECISION rejected with `reason`.
    /// @param reason RejectReason of a rejection (ignored when approving).
    function decideWithdrawal(uint32 eid, uint64 requestId, bool approve, uint8 reason) external;

    /// @notice Anyone, after the request's deadline: rejects an undecided withdrawal with DecisionTimeout and
    /// cancels its reservation.
    function expireWithdrawal(uint32 eid, uint64 requestId) external;

    /// @notice Native fee of one hub→vault message of `messageType` toward `eid`.
    function quote(uint32 eid, uint8 messageType) external view returns (uint256 nativeFee);

    /// @notice Anyone, paying msg.value (`quoteSeize`; the SEIZE's options forward the vault's attestation and
    /// AUCTION_RESULT fees; excess refunded), never the hub's balance. The registry's plan decides what (and
    /// reverts without an open liquidation, uncovered debt or collateral); the amount is reserved at once.
    function seize(address account) external payable returns (uint64 seizureId);

    /// @notice Owner, once: the LiquidationRegistry.
    function setRegistry(address registry) external;
}
