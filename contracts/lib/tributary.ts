import { type BigNumberish, type Signer, ZeroAddress } from 'ethers';
import {
  CollateralVault__factory,
  CreditManager__factory,
  MarginHub__factory,
  PerpMarket__factory,
  SettlementPool__factory,
  SettablePriceFeed__factory,
  TestERC20__factory,
  type CollateralVault,
  type CreditManager,
  type MarginHub,
  type PerpMarket,
  type SettlementPool,
  type SettablePriceFeed,
  type TestERC20,
} from '../typechain-types';
import { MessageType } from '@tributary/protocol';
import { addressToBytes32, lzReceiveOptions } from './layerzero';

/** The message table lives in `@tributary/protocol`; re-exported for the deploy helpers' callers. */
export { MESSAGE_LENGTHS, MESSAGE_VERSION, MessageType, RejectReason } from '@tributary/protocol';

/** Short names of `MessageType` members (also the msgType of enforced options). */
export const MSG_ATTEST = MessageType.Attest;
export const MSG_WITHDRAW_REQUEST = MessageType.WithdrawRequest;
export const MSG_WITHDRAW_DECISION = MessageType.WithdrawDecision;
export const MSG_SEIZE = MessageType.Seize;
export const MSG_AUCTION_RESULT = MessageType.AuctionResult;
export const MSG_HEARTBEAT = MessageType.Heartbeat;

/**
 * lzReceive gas the executor gets per message type, measured with margin (see gas-snapshot.json):
 * requests and decisions send a reply from inside lzReceive.
 */
export const DEFAULT_RECEIVE_GAS = {
  [MSG_ATTEST]: 120_000,
  [MSG_WITHDRAW_REQUEST]: 400_000,
  [MSG_WITHDRAW_DECISION]: 350_000,
  [MSG_SEIZE]: 600_000,
  [MSG_AUCTION_RESULT]: 300_000,
  [MSG_HEARTBEAT]: 80_000,
} as const;

export async function deployCreditManager(
  signer: Signer,
  params: { admin?: string; staleAfterSeconds: BigNumberish; guardCapacity: BigNumberish; guardRefillPerSecond: BigNumberish },
): Promise<CreditManager> {
  const admin = params.admin ?? (await signer.getAddress());
  const cm = await new CreditManager__factory(signer).deploy(admin, params.staleAfterSeconds, params.guardCapacity, params.guardRefillPerSecond);
  await cm.waitForDeployment();
  return cm;
}

/** Seconds a withdrawal waits for the aggregator's decision before anyone may expire it to a rejection. */
export const DEFAULT_DECISION_TIMEOUT_SECONDS = 600;

export async function deployHub(
  signer: Signer,
  params: { endpoint: string; creditManager: string; maxPriceAgeSeconds: BigNumberish; decisionTimeoutSeconds?: BigNumberish; owner?: string },
): Promise<MarginHub> {
  const owner = params.owner ?? (await signer.getAddress());
  const timeout = params.decisionTimeoutSeconds ?? DEFAULT_DECISION_TIMEOUT_SECONDS;
  const hub = await new MarginHub__factory(signer).deploy(params.endpoint, owner, params.creditManager, params.maxPriceAgeSeconds, timeout);
  await hub.waitForDeployment();
  return hub;
}

/** The trading chain's bank (quote token + signed cash per account); needs the CreditManager and the hub it checks. */
export async function deploySettlementPool(
  signer: Signer,
  params: { quoteToken: string; creditManager: string; hub: string; admin?: string },
): Promise<SettlementPool> {
  const admin = params.admin ?? (await signer.getAddress());
  const pool = await new SettlementPool__factory(signer).deploy(admin, params.quoteToken, params.creditManager, params.hub);
  await pool.waitForDeployment();
  return pool;
}

export async function deployVault(signer: Signer, params: { endpoint: string; hubEid: number; owner?: string }): Promise<CollateralVault> {
  const owner = params.owner ?? (await signer.getAddress());
  const vault = await new CollateralVault__factory(signer).deploy(params.endpoint, owner, params.hubEid);
  await vault.waitForDeployment();
  return vault;
}

export async function deployPerpMarket(
  signer: Signer,
  params: { creditManager: string; settlementPool: string; maxPriceAgeSeconds: BigNumberish; owner?: string },
): Promise<PerpMarket> {
  const owner = params.owner ?? (await signer.getAddress());
  const market = await new PerpMarket__factory(signer).deploy(owner, params.creditManager, params.settlementPool, params.maxPriceAgeSeconds);
  await market.waitForDeployment();
  return market;
}

/** Chainlink-compatible feed whose owner sets the price (local chains). `price` in feed units (e.g. 8 decimals). */
export async function deployPriceFeed(
  signer: Signer,
  params: { decimals?: number; description: string; price: BigNumberish; owner?: string },
): Promise<SettablePriceFeed> {
  const owner = params.owner ?? (await signer.getAddress());
  const feed = await new SettablePriceFeed__factory(signer).deploy(owner, params.decimals ?? 8, params.description, params.price);
  await feed.waitForDeployment();
  return feed;
}

/** Freely mintable ERC-20 (local chains and tests). */
export async function deployTestToken(signer: Signer, params: { name: string; symbol: string; decimals: number }): Promise<TestERC20> {
  const token = await new TestERC20__factory(signer).deploy(params.name, params.symbol, params.decimals);
  await token.waitForDeployment();
  return token;
}

/** Share of an asset's deposit cap a vault lets out per hour unless told otherwise (basis points). */
export const DEFAULT_OUTFLOW_BPS_PER_HOUR = 500n;

/**
 * The outflow token bucket of an asset from the share of its deposit cap that may leave per hour: capacity =
 * that hourly amount, refilled over an hour (so at most twice it in the worst hour). Never 0 (a vault refuses
 * to list without a limit).
 */
export function outflowLimit(
  depositCap: BigNumberish,
  bpsPerHour: bigint = DEFAULT_OUTFLOW_BPS_PER_HOUR,
): { capacity: bigint; refillPerSecond: bigint } {
  const hourly = (BigInt(depositCap) * bpsPerHour) / 10_000n;
  const capacity = hourly > 0n ? hourly : 1n;
  const refill = capacity / 3600n;
  return { capacity, refillPerSecond: refill > 0n ? refill : 1n };
}

/**
 * Lists an asset on a vault; does nothing if it is already listed. Returns whether a transaction was sent.
 * Without `rateCapacity`/`refillPerSecond` the outflow limit is `outflowLimit(depositCap)`.
 */
export async function listAsset(
  vault: CollateralVault,
  params: { assetId: number; token: string; depositCap: BigNumberish; rateCapacity?: BigNumberish; refillPerSecond?: BigNumberish },
): Promise<boolean> {
  if ((await vault.assetConfig(params.assetId)).listed) return false;
  const fallback = outflowLimit(params.depositCap);
  const capacity = params.rateCapacity ?? fallback.capacity;
  const refill = params.refillPerSecond ?? fallback.refillPerSecond;
  await (await vault.listAsset(params.assetId, params.token, params.depositCap, capacity, refill)).wait();
  return true;
}

/** Sets the vault's guardian (a key other than its owner) unless it is already the guardian. */
export async function setVaultGuardian(vault: CollateralVault, guardian: string): Promise<boolean> {
  if ((await vault.guardian()).toLowerCase() === guardian.toLowerCase()) return false;
  await (await vault.setGuardian(guardian)).wait();
  return true;
}

/** Names the hub whose attested collateral caps usable credit (once; a different hub already set throws). */
export async function connectCreditToHub(creditManager: CreditManager, hub: string): Promise<boolean> {
  const current = await creditManager.hub();
  if (current.toLowerCase() === hub.toLowerCase()) return false;
  if (current !== ZeroAddress) throw new Error(`CreditManager already counts the collateral of hub ${current}, not ${hub}`);
  await (await creditManager.setHub(hub)).wait();
  return true;
}

/** Sets an asset's feed and withdrawal haircut on the hub, and its decimals on each vault chain. */
export async function configureHubAsset(
  hub: MarginHub,
  params: { assetId: number; feed: string; initWeight: BigNumberish; chains: { eid: number; decimals: number }[] },
): Promise<void> {
  const risk = await hub.assetRisk(params.assetId);
  // Once a parameter governor holds the hub, a listed asset's weight changes only through it: keep the chain's.
  const governed = risk.listed && (await hub.paramGovernor()) !== ZeroAddress;
  const weight = governed ? risk.initWeight : BigInt(params.initWeight);
  if (!risk.listed || risk.feed.toLowerCase() !== params.feed.toLowerCase() || risk.initWeight !== weight) {
    await (await hub.setAssetRisk(params.assetId, params.feed, weight)).wait();
  }
  for (const chain of params.chains) {
    const current = await hub.chainAsset(chain.eid, params.assetId);
    if (current.listed && Number(current.decimals) === chain.decimals) continue;
    await (await hub.setChainAsset(chain.eid, params.assetId, chain.decimals)).wait();
  }
}

/** Grants CreditManager roles (skipping ones already held). */
export async function grantCreditRoles(creditManager: CreditManager, params: { pusher?: string; market?: string; hub?: string }): Promise<void> {
  const grants: [string, string | undefined][] = [
    [await creditManager.PUSHER_ROLE(), params.pusher],
    [await creditManager.MARKET_ROLE(), params.market],
    [await creditManager.HUB_ROLE(), params.hub],
  ];
  for (const [role, who] of grants) {
    if (!who || (await creditManager.hasRole(role, who))) continue;
    await (await creditManager.grantRole(role, who)).wait();
  }
}

/** Grants the hub's DECIDER_ROLE (the aggregator's withdrawal-decision key; skips if held). */
export async function grantDecider(hub: MarginHub, decider: string): Promise<void> {
  const role = await hub.DECIDER_ROLE();
  if (!(await hub.hasRole(role, decider))) await (await hub.grantRole(role, decider)).wait();
}

/**
 * Wires the SettlementPool (each contract connected to its admin): the CreditManager counts the pool's cash
 * (set once; a different pool already set throws) and the market may settle into the pool. Skips what is set.
 */
export async function connectSettlementPool(params: { creditManager: CreditManager; pool: SettlementPool; market: string }): Promise<void> {
  const pool = await params.pool.getAddress();
  const current = await params.creditManager.settlementPool();
  if (current === ZeroAddress) await (await params.creditManager.setSettlementPool(pool)).wait();
  else if (current.toLowerCase() !== pool.toLowerCase()) throw new Error(`CreditManager already counts the cash of pool ${current}, not ${pool}`);
  const role = await params.pool.MARKET_ROLE();
  if (!(await params.pool.hasRole(role, params.market))) await (await params.pool.grantRole(role, params.market)).wait();
}

/** Lists a perp market unless one on `assetId` is listed; returns its id. Ratios and fee rate in 1e18 (WAD). */
export async function ensureMarket(
  market: PerpMarket,
  params: { assetId: number; feed: string; imr: BigNumberish; mmr: BigNumberish; feeRate: BigNumberish },
): Promise<{ marketId: number; listed: boolean }> {
  const count = Number(await market.marketCount());
  for (let id = 0; id < count; id++) {
    const m = await market.market(id);
    if (m.listed && Number(m.assetId) === params.assetId) return { marketId: id, listed: false };
  }
  await (await market.listMarket(params.assetId, params.feed, params.imr, params.mmr, params.feeRate)).wait();
  return { marketId: count, listed: true };
}

/** An OApp with its chain's eid; `oapp` must be connected to its owner on that chain. */
export interface OAppOnChain {
  oapp: {
    getAddress(): Promise<string>;
    peers(eid: BigNumberish): Promise<string>;
    setPeer(eid: BigNumberish, peer: string): Promise<{ wait(): Promise<unknown> }>;
  };
  eid: number;
}

/** Sets `a` and `b` as each other's peers (skips sides already set). */
export async function wireOAppPeers(a: OAppOnChain, b: OAppOnChain): Promise<void> {
  for (const [local, remote] of [
    [a, b],
    [b, a],
  ] as const) {
    const peer = addressToBytes32(await remote.oapp.getAddress());
    if ((await local.oapp.peers(remote.eid)).toLowerCase() === peer) continue;
    await (await local.oapp.setPeer(remote.eid, peer)).wait();
  }
}

/**
 * Sets type-3 enforced lzReceive options per message type toward `dstEid` (gas, and the native value the
 * executor hands the receiver, for the types in `valueByMessageType`), skipping types already set to the same
 * options. Returns whether a transaction was sent.
 */
export async function setEnforcedOptions(
  oapp: CollateralVault | MarginHub,
  dstEid: number,
  gasByMessageType: Partial<Record<number, number | bigint>>,
  valueByMessageType: Partial<Record<number, bigint>> = {},
): Promise<boolean> {
  const params = [];
  for (const [msgType, gas] of Object.entries(gasByMessageType)) {
    const options = lzReceiveOptions(gas ?? 0, valueByMessageType[Number(msgType)] ?? 0n);
    if ((await oapp.enforcedOptions(dstEid, Number(msgType))).toLowerCase() === options.toLowerCase()) continue;
    params.push({ eid: dstEid, msgType: Number(msgType), options });
  }
  if (params.length === 0) return false;
  await (await oapp.setEnforcedOptions(params)).wait();
  return true;
}

/**
 * Wires one vault and the hub (each contract connected to its owner on its own chain): peers both ways and
 * the enforced options of every message type in both directions. Replies are paid by whoever started the
 * exchange: the hub's DECISION and SEIZE carry the vault's ATTEST fee as lzReceive value, and the vault's
 * WITHDRAW_REQUEST carries the hub's DECISION fee, both quoted on chain (set the workers' prices first), so
 * `quoteWithdraw` is the whole round trip. The quotes assume the same native asset on both chains.
 */
export async function connectVaultToHub(params: {
  hub: MarginHub;
  hubEid: number;
  vault: CollateralVault;
  vaultEid: number;
  vaultToHubGas?: Partial<Record<number, number | bigint>>;
  hubToVaultGas?: Partial<Record<number, number | bigint>>;
}): Promise<void> {
  await wireOAppPeers({ oapp: params.hub, eid: params.hubEid }, { oapp: params.vault, eid: params.vaultEid });
  const toHub = params.vaultToHubGas ?? VAULT_TO_HUB_GAS;
  const toVault = params.hubToVaultGas ?? HUB_TO_VAULT_GAS;
  const { [MSG_WITHDRAW_REQUEST]: requestGas, ...attestOnly } = toHub;
  await setEnforcedOptions(params.vault, params.hubEid, attestOnly);
  const attestFee = await params.vault.quote(MSG_ATTEST);
  // SEIZE prepays both replies: the ATTEST after the seizure and the AUCTION_RESULT when the lot closes.
  const resultFee = MSG_AUCTION_RESULT in attestOnly ? await params.vault.quote(MSG_AUCTION_RESULT) : 0n;
  await setEnforcedOptions(params.hub, params.vaultEid, toVault, {
    [MSG_WITHDRAW_DECISION]: attestFee,
    [MSG_SEIZE]: attestFee + resultFee,
  });
  if (requestGas === undefined) return;
  const decisionFee = await params.hub.quote(params.vaultEid, MSG_WITHDRAW_DECISION);
  await setEnforcedOptions(params.vault, params.hubEid, { [MSG_WITHDRAW_REQUEST]: requestGas }, { [MSG_WITHDRAW_REQUEST]: decisionFee });
}

/** Tops `to` up to at least `minimum` wei (a float for fee rises between configuration updates; replies are prepaid). */
export async function ensureNativeBalance(signer: Signer, to: string, minimum: bigint): Promise<boolean> {
  const balance = await signer.provider!.getBalance(to);
  if (balance >= minimum) return false;
  await (await signer.sendTransaction({ to, value: minimum - balance })).wait();
  return true;
}

/** Enforced options a vault needs toward the hub, and the hub toward a vault. */
export const VAULT_TO_HUB_GAS = {
  [MSG_ATTEST]: DEFAULT_RECEIVE_GAS[MSG_ATTEST],
  [MSG_WITHDRAW_REQUEST]: DEFAULT_RECEIVE_GAS[MSG_WITHDRAW_REQUEST],
  [MSG_AUCTION_RESULT]: DEFAULT_RECEIVE_GAS[MSG_AUCTION_RESULT],
  [MSG_HEARTBEAT]: DEFAULT_RECEIVE_GAS[MSG_HEARTBEAT],
};
export const HUB_TO_VAULT_GAS = { [MSG_WITHDRAW_DECISION]: DEFAULT_RECEIVE_GAS[MSG_WITHDRAW_DECISION], [MSG_SEIZE]: DEFAULT_RECEIVE_GAS[MSG_SEIZE] };

/** @deprecated the largest base; a pushed entry now carries `limit − cashAtPush` (MAX_CREDIT_BASE). */
export { MAX_CREDIT_BASE as MAX_CREDIT_LIMIT } from './credit-push';
