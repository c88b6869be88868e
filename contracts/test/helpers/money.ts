import { parseUnits, type Signer } from 'ethers';
import { MSG_ATTEST } from '../../lib';
import type { CollateralVault } from '../../typechain-types';
import type { Protocol } from './fixture';

/** IMarginHub.RejectReason, by name. */
export const REASON = {
  None: 0,
  UnlistedAsset: 1,
  InsufficientAttestedBalance: 2,
  StaleCredit: 3,
  InsufficientCredit: 4,
  PriceUnavailable: 5,
  Liquidatable: 6,
  DuplicateRequest: 7,
  SeizureInFlight: 8,
  DecisionTimeout: 9,
  PostWithdrawalCreditBelowFloor: 10,
  PostWithdrawalHealthBelowOne: 11,
} as const;

/** CollateralVault.RequestStatus. */
export const STATUS = { None: 0n, Pending: 1n, Released: 2n, Rejected: 3n } as const;

export const usdc = (n: number | string) => parseUnits(String(n), 6);

export async function deposit(p: Protocol, who: Signer, assetId: number, amount: bigint, vault: CollateralVault = p.vaultA) {
  const address = await who.getAddress();
  return (await vault.connect(who).deposit(assetId, amount, address, { value: await vault.quote(MSG_ATTEST) })).wait();
}

/** Sends the request on the vault and returns its id (the hub sees it once delivered). */
export async function requestWithdraw(p: Protocol, who: Signer, assetId: number, amount: bigint, vault: CollateralVault = p.vaultA): Promise<bigint> {
  await (await vault.connect(who).requestWithdraw(assetId, amount, { value: await vault.quoteWithdraw() })).wait();
  return vault.nextRequestId();
}

/**
 * A seizure in flight for `account`: writes a debt of `debtUsd` to its cash (the fixture's deployer holds the pool's
 * MARKET_ROLE), marks it liquidatable (keeping its base), opens its liquidation and sends SEIZE paying the quote
 * — the registry picks the riskiest attested asset. With `unmark`, a later push lifts the mark again (to test a
 * seizure in flight on its own). Returns the seizure id.
 */
export async function seize(p: Protocol, account: string, debtUsd: bigint, options: { unmark?: boolean } = {}): Promise<bigint> {
  await (await p.pool.connect(p.deployer).settle(account, -debtUsd, 0n)).wait();
  const base = (await p.creditManager.account(account)).limit;
  await p.push([account, base, true]);
  await (await p.registry.connect(p.deployer).openLiquidation(account)).wait();
  const { nativeFee } = await p.hub.quoteSeize(account);
  await (await p.hub.connect(p.liquidator).seize(account, { value: nativeFee })).wait();
  if (options.unmark) await p.push([account, base, false]);
  return p.hub.nextSeizureId();
}

/** USD (1e18) of debt whose seizure takes `amount` of a token at `price` (1e18 USD per whole token), π = 2 %. */
export function debtFor(amount: bigint, price: bigint, decimals = 18): bigint {
  return (amount * price * 100n) / (10n ** BigInt(decimals) * 102n);
}

export async function lastDecision(p: Protocol) {
  const logs = await p.hub.queryFilter(p.hub.filters.WithdrawalDecided());
  return logs.at(-1)!.args;
}

export async function decisionsOf(p: Protocol, requestId: bigint) {
  return (await p.hub.queryFilter(p.hub.filters.WithdrawalDecided(undefined, requestId))).map((l) => l.args);
}

/**
 * Σ of each token over every address a flow can move it between (users, vaults, pool, insurance, deployer):
 * no flow mints or burns, so each sum is constant.
 */
export async function tokenTotals(p: Protocol): Promise<Record<'usdc' | 'weth' | 'quote', bigint>> {
  const holders = [p.alice, p.bob, p.deployer, p.insurance, p.liquidator, p.vaultA, p.vaultB, p.pool, p.fund, p.auctionA, p.auctionB];
  const addresses = await Promise.all(holders.map((h) => h.getAddress()));
  const sum = async (token: { balanceOf(a: string): Promise<bigint> }) =>
    (await Promise.all(addresses.map((a) => token.balanceOf(a)))).reduce((x, y) => x + y, 0n);
  return { usdc: await sum(p.usdc), weth: await sum(p.weth), quote: await sum(p.quote) };
}

/** The decider's answer to every request still awaiting it at the hub, then delivery of everything. */
export async function decidePending(p: Protocol, approve = true, reason = 0): Promise<bigint[]> {
  const decided: bigint[] = [];
  for (const log of await p.hub.queryFilter(p.hub.filters.WithdrawalPending())) {
    const { eid, requestId } = log.args;
    const pending = await p.hub.pendingWithdrawal(eid, requestId);
    if (pending.account === '0x0000000000000000000000000000000000000000' || pending.approved) continue;
    await (await p.decide(Number(eid), requestId, approve, reason)).wait();
    decided.push(requestId);
  }
  await p.settle();
  return decided;
}
