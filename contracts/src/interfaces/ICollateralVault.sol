// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AssetId} from "../types/Ids.sol";
import {ITributaryOApp} from "./ITributaryOApp.sol";

/// @title ICollateralVault
/// @notice Custody of one collateral chain. Deposits are attested to the MarginHub on the trading chain;
/// collateral leaves only when the hub says so (WITHDRAW_DECISION approval or SEIZE), and only from the hub's
/// eid and peer.
/// @dev An account's attested balance is `free + locked`: locked amounts wait for the hub's decision and
/// still count as collateral until released.
/// Outflows never revert a delivery: one over the asset's outflow rate limit (on for every listed asset), or
/// one the token refuses (paused token, blocklisted recipient, reverting recipient hook) is queued as a payout
/// the recipient `claim`s later. The guardian (a key other than the owner) pauses the vault and, while it is
/// paused, cancels queued payouts back to the accounts they were taken from.
/// Who pays: a withdrawal's request carries (enforced options) the native value of the hub's decision, whose
/// options carry the value of the release attestation, so `quoteWithdraw` is the whole round trip.
/// Seizure: SEIZE takes up to the requested amount from the account's free balance here (whatever the hub had
/// attested), pays it to the chain's auction contract (no outflow limit: it stays in the protocol) and kicks a
/// lot; a shortfall (less there than requested, or a recipient that is not the auction) is an event, and with
/// nothing seized the vault answers AUCTION_RESULT at once — never a stuck message. When the lot closes the
/// auction returns the unsold rest here (`closeLot`), the vault credits it to the account and sends
/// AUCTION_RESULT carrying the post-state balance. The liquidator prepaid both replies: SEIZE's enforced options
/// forward the ATTEST and AUCTION_RESULT fees, which wait in the vault's balance.
interface ICollateralVault is ITributaryOApp {
    /// @notice Configuration of one listed asset.
    struct AssetConfig {
        address token;
        uint8 decimals;
        bool listed;
        /// @dev Upper bound on the vault's total custody of this asset (sum of account balances).
        uint128 depositCap;
        uint128 totalDeposits;
    }

    /// @notice One account's balance of one asset.
    struct Balance {
        uint128 free;
        uint128 locked;
    }

    enum RequestStatus {
        None,
        Pending,
        Released,
        Rejected
    }

    /// @notice A withdrawal waiting for, or settled by, the hub's decision.
    struct WithdrawalRequest {
        address account;
        AssetId assetId;
        RequestStatus status;
        uint128 amount;
    }

    error AssetNotListed(AssetId assetId);
    error AssetAlreadyListed(AssetId assetId);
    error ZeroAmount();
    error ZeroAddress();
    error DepositCapExceeded(AssetId assetId, uint256 totalAfter, uint256 cap);
    error InsufficientFreeBalance(uint256 requested, uint256 available);
    error VaultPaused();
    error NotGuardianOrOwner(address caller);
    error UnknownWithdrawalRequest(uint64 requestId);
    error NothingOwed(address to, AssetId assetId);
    /// @notice The guardian must be a key other than the owner.
    error GuardianIsOwner(address guardian);
    /// @notice A delivered message whose source eid is not the hub's.
    error NotHub(uint32 srcEid);
    /// @notice The vault only ever peers with the hub's eid.
    error PeerNotHub(uint32 eid);
    /// @notice Only the owner resumes a paused vault.
    error NotOwner(address caller);
    /// @notice Payouts are cancelled only while the vault is paused.
    error NotPaused();
    /// @notice No payout left under this id (unknown, paid or cancelled).
    error UnknownPayout(uint64 payoutId);
    /// @notice Every listed asset has an outflow rate limit (capacity and refill above 0).
    error RateLimitRequired(AssetId assetId);
    /// @notice `closeLot` by anyone but the chain's auction contract.
    error NotAuction(address caller);
    /// @notice The auction contract is set once.
    error AuctionAlreadySet(address auction);
    /// @notice `heartbeat` runs at most once per quarter heartbeat period; the next one is allowed at `nextAt`.
    error HeartbeatTooSoon(uint256 nextAt);
    /// @notice A heartbeat period outside [MIN_HEARTBEAT_PERIOD, MAX_HEARTBEAT_PERIOD].
    error InvalidHeartbeatPeriod(uint32 period);

    /// @notice A HEARTBEAT went to the hub (`sequence`: the last attestation number, unchanged by heartbeats).
    event HeartbeatSent(address indexed caller, uint64 sequence, uint64 timestamp);
    /// @notice The owner set the chain's heartbeat period (heartbeat_c, seconds).
    event HeartbeatPeriodSet(uint32 period);

    /// @notice Emitted when the owner lists an asset.
    event AssetListed(AssetId indexed assetId, address indexed token, uint8 decimals, uint128 depositCap);
    /// @notice Emitted when the owner changes an asset's deposit cap.
    event DepositCapSet(AssetId indexed assetId, uint128 depositCap);
    /// @notice Emitted when the owner changes an asset's outflow rate limit.
    event RateLimitSet(AssetId indexed assetId, bool enabled, uint128 capacity, uint128 refillPerSecond);
    /// @notice Emitted when the owner sets the guardian (may pause).
    event GuardianSet(address indexed guardian);
    /// @notice Emitted when deposits and withdrawal requests are paused or resumed.
    event PausedSet(address indexed by, bool paused);
    /// @notice Emitted on deposit; `received` is the amount the vault actually received.
    event Deposited(address indexed account, AssetId indexed assetId, address indexed payer, uint256 received, uint256 balance);
    /// @notice Emitted whenever the vault sends an ATTEST of `balance` (= free + locked) with `sequence`.
    /// @param requestId the withdrawal this attestation settles, 0 if none.
    event BalanceAttested(address indexed account, AssetId indexed assetId, uint256 balance, uint64 sequence, uint64 requestId);
    /// @notice Emitted when an account asks to withdraw; `amount` is locked until the hub decides.
    event WithdrawalRequested(uint64 indexed requestId, address indexed account, AssetId indexed assetId, uint256 amount);
    /// @notice Emitted when the hub approved a withdrawal and the vault paid it out (or queued it, see PayoutQueued).
    event WithdrawalReleased(uint64 indexed requestId, address indexed account, AssetId indexed assetId, uint256 amount);
    /// @notice Emitted when the hub rejected a withdrawal and its amount was unlocked.
    event WithdrawalRejected(uint64 indexed requestId, address indexed account, AssetId indexed assetId, uint256 amount, uint8 reason);
    /// @notice Emitted when a rejection arrived with the value forwarded for a release attestation that will not be
    /// sent: returned to the account (`sent`), or kept by the vault when the account refused it.
    event RejectionValueReturned(uint64 indexed requestId, address indexed account, uint256 amount, bool sent);
    /// @notice Emitted when the hub seized collateral of `account` for `recipient` (the auction; lot = seizureId).
    event CollateralSeized(
        uint64 indexed liquidationId, address indexed account, AssetId indexed assetId, uint256 amount, address recipient, uint64 seizureId
    );
    /// @notice Emitted when an outflow was queued for `to` instead of sent: over the rate limit (`refused` false)
    /// or refused by the token (`refused` true). `account` is whose balance it was taken from.
    event PayoutQueued(address indexed to, AssetId indexed assetId, uint256 amount, uint64 indexed payoutId, address account, bool refused);
    /// @notice Emitted when `to` claimed owed payouts, sent to `receiver`.
    event PayoutClaimed(address indexed to, AssetId indexed assetId, uint256 amount, address receiver);
    /// @notice Emitted when the guardian (or owner) cancelled what was left of a queued payout while paused; the
    /// amount went back to `account`'s free balance (and was attested).
    event PayoutCancelled(uint64 indexed payoutId, address indexed to, AssetId indexed assetId, address account, uint256 amount);

    /// @notice Emitted when a SEIZE found less than it asked for (`seized` < `requested`), or a recipient other than
    /// the auction (then nothing is seized).
    event SeizureShortfall(
        uint64 indexed seizureId, uint64 indexed liquidationId, address indexed account, AssetId assetId, uint256 requested, uint256 seized
    );
    /// @notice Emitted when a closed lot's unsold collateral is credited back to the account.
    event CollateralReturned(uint64 indexed seizureId, address indexed account, AssetId indexed assetId, uint256 amount, uint256 balance);
    /// @notice Emitted when AUCTION_RESULT is sent to the hub (with the post-state `balance` at `sequence`).
    event AuctionResultSent(
        uint64 indexed seizureId,
        uint64 indexed liquidationId,
        address indexed account,
        AssetId assetId,
        uint256 seized,
        uint256 proceedsUsd,
        uint256 returned,
        uint256 balance,
        uint64 sequence
    );
    /// @notice Emitted once, when the owner names the chain's auction contract.
    event AuctionSet(address auction);

    /// @notice The chain's CollateralAuction (SEIZE's expected recipient).
    function auction() external view returns (address);

    /// @notice Owner, once: the chain's CollateralAuction.
    function setAuction(address auction) external;

    /// @notice Auction only, when lot `seizureId` closes: `returned` collateral was transferred back to this vault
    /// first; credits it to `account`, then sends AUCTION_RESULT (paid from the value SEIZE forwarded).
    function closeLot(
        uint64 seizureId,
        uint64 liquidationId,
        address account,
        AssetId assetId,
        uint256 seized,
        uint256 proceedsUsd,
        uint256 returned
    ) external;

    /// @notice Endpoint id of the trading chain's MarginHub.
    function hubEid() external view returns (uint32);

    /// @notice Last sequence number used in an ATTEST (strictly increasing, one counter per vault).
    function sequence() external view returns (uint64);

    function assetConfig(AssetId assetId) external view returns (AssetConfig memory);

    function balanceOf(address account, AssetId assetId) external view returns (Balance memory);

    function withdrawalRequest(uint64 requestId) external view returns (WithdrawalRequest memory);

    /// @notice Configuration of an asset's outflow token bucket.
    function outflowLimit(AssetId assetId) external view returns (bool enabled, uint128 capacity, uint128 refillPerSecond);

    /// @notice Amount owed to `to` by queued payouts, claimable with `claim`.
    function owed(address to, AssetId assetId) external view returns (uint256);

    /// @notice A queued payout (remaining 0 once paid or cancelled).
    function queuedPayout(uint64 payoutId) external view returns (address to, AssetId assetId, address account, uint256 remaining);

    /// @notice The guardian: pauses, and cancels queued payouts while paused (never the owner).
    function guardian() external view returns (address);

    /// @notice Lists `token` as `assetId`. Fee-on-transfer tokens are tolerated: the received amount is the truth.
    /// @param refillPerSecond together with `rateCapacity` the outflow token bucket; both must be above 0
    /// (`RateLimitRequired`): the limit is on from listing.
    function listAsset(AssetId assetId, address token, uint128 depositCap, uint128 rateCapacity, uint128 refillPerSecond) external;

    function setDepositCap(AssetId assetId, uint128 depositCap) external;

    function setRateLimit(AssetId assetId, bool enabled, uint128 capacity, uint128 refillPerSecond) external;

    /// @notice Owner sets the guardian; never the owner itself (`GuardianIsOwner`).
    function setGuardian(address guardian) external;

    /// @notice Owner or guardian pauses deposits, withdrawal requests, claims and the processing of hub messages
    /// (which then revert and are retried by the executor after unpause); only the owner resumes.
    function setPaused(bool paused) external;

    /// @notice Guardian or owner, while paused: returns what is left of queued payout `payoutId` to the account it
    /// was taken from and attests that account's balance (msg.value pays the ATTEST, see `quote`).
    function cancelPayout(uint64 payoutId) external payable;

    /// @notice Native fee of one message of `messageType` to the hub (enforced options).
    function quote(uint8 messageType) external view returns (uint256 nativeFee);

    /// @notice Native fee of a whole withdrawal round trip, paid with `requestWithdraw`: the request, and the
    /// value its enforced options forward to pay the hub's decision and, through the decision's options, the
    /// release attestation. Hub and vault pay nothing of it.
    function quoteWithdraw() external view returns (uint256 nativeFee);

    /// @notice Anyone: sends a HEARTBEAT (vault sequence, timestamp) to the hub, so a chain without user
    /// traffic still counts as live. At most once per `heartbeatPeriod / 4` (HeartbeatTooSoon); msg.value pays
    /// the LayerZero fee (`quote(6)`; the excess is refunded). Allowed while paused: liveness is not an outflow.
    function heartbeat() external payable;

    /// @notice Owner: the chain's heartbeat period heartbeat_c in seconds (the deploy config's `heartbeatSeconds`).
    function setHeartbeatPeriod(uint32 period) external;

    /// @notice Pulls `amount` of the asset from the caller, credits `account`, attests to the hub.
    /// @dev msg.value pays the LayerZero fee (see `quote`); the excess is refunded to the caller.
    function deposit(AssetId assetId, uint256 amount, address account) external payable returns (uint64 sequence);

    /// @notice Locks `amount` of the caller's free balance and asks the hub for a decision; msg.value pays the
    /// round trip (`quoteWithdraw`; the excess is refunded).
    function requestWithdraw(AssetId assetId, uint256 amount) external payable returns (uint64 requestId);

    /// @notice Pays out what queued payouts owe the caller (oldest first), as much as the bucket allows now.
    function claim(AssetId assetId) external returns (uint256 amount);

    /// @notice `claim`, sent to `receiver` (a recipient the token refuses can take its payout elsewhere).
    function claimTo(AssetId assetId, address receiver) external returns (uint256 amount);
}
