import { Contract } from 'ethers';
import {
  CollateralVault__factory,
  ICollateralAuction__factory,
  IInsuranceFund__factory,
  IMarginHub__factory,
  ISettlementPool__factory,
  devWallet,
} from '@tributary/contracts';
import type { Devnet } from '@tributary/deploy';
import type { Deployment } from './harness';

const ERC20 = ['function balanceOf(address) view returns (uint256)', 'function totalSupply() view returns (uint256)'];
/** Dev accounts that may hold test tokens: 0 deployer (and the auctions' treasury), 2 keeper, 5–19 traders, 21 taker. */
const DEV_ACCOUNTS = 22;
const TRADERS = Array.from({ length: 15 }, (_, i) => 5 + i);
const REPAYMENT = 2n;
const WITHDRAWAL = 3n;
/** ICollateralAuction.LotStatus.Open */
const LOT_OPEN = 1n;

/**
 * Everything the conservation checks read at one moment: every test token held by every known holder on every
 * chain (`chain:symbol:holder`, holders named `vault`, `auction`, `pool`, `fund`, `hub`, `deployer`, `keeper`,
 * `taker`, `dev<i>`), and the protocol's own books: what each vault owes its accounts, what each auction's lots
 * hold and raised, what the pool credited from auctions and took in or paid out, what the fund took in and paid.
 */
export interface Snapshot {
  label: string;
  tokens: Map<string, bigint>;
  supply: Map<string, bigint>;
  /** `chain:symbol` → Σ accounts' vault balances (free + locked) + owed payouts. */
  vaultOwes: Map<string, bigint>;
  /** `chain:symbol` → collateral still for sale in open lots. */
  lotsRemaining: Map<string, bigint>;
  /** chain → proceedsHeld (quote units), Σ lots' proceedsUsd, usdPerQuoteUnit, quote symbol. */
  auctions: Map<string, { held: bigint; raisedUsd: bigint; usdPerUnit: bigint; quote: string }>;
  /** `chain:symbol` of the pool's quote token (the trading chain's USDC). */
  quoteKey: string;
  /** Σ AuctionProceedsCredited (USD 1e18) at the pool. */
  creditedUsd: bigint;
  /** Seizures in flight over every trader (hub). */
  seizuresInFlight: bigint;
  /** Σ Funded + Repayment − Withdrawal at the pool, USD 1e18 (the pool's token flows). */
  poolFlowsUsd: bigint;
  poolUsdPerUnit: bigint;
  /** Σ InsuranceFund.Deposited − Σ DebtCovered.fromTokens (quote units). */
  fundTokensBooked: bigint;
}

async function holderNames(devnet: Devnet, d: Deployment, eid: number): Promise<Map<string, string>> {
  const c = devnet.manifest.chains.find((x) => x.eid === eid)!.contracts;
  const names = new Map<string, string>();
  if (c.auction) names.set((await ICollateralAuction__factory.connect(c.auction, d.providers.get(eid)!).treasury()).toLowerCase(), 'treasury');
  for (let i = 0; i < DEV_ACCOUNTS; i++) {
    const name = i === 0 ? 'deployer' : i === 2 ? 'keeper' : i === 21 ? 'taker' : `dev${i}`;
    names.set(devWallet(i).address.toLowerCase(), name); // the devnet's treasury is the deployer
  }
  for (const [name, address] of Object.entries({ vault: c.vault, auction: c.auction, pool: c.settlementPool, fund: c.insuranceFund, hub: c.hub })) {
    if (address) names.set(address.toLowerCase(), name);
  }
  return names;
}

const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

async function eventSum(contract: unknown, event: string, toBlock: number, pick: (args: Record<string, bigint>) => bigint): Promise<bigint> {
  const c = contract as Contract;
  const logs = await c.queryFilter(c.filters[event]!(), 0, toBlock);
  return sum(logs.map((log) => pick(c.interface.parseLog(log)!.args as unknown as Record<string, bigint>)));
}

const newSnapshot = (label: string): Snapshot => ({
  label,
  tokens: new Map(),
  supply: new Map(),
  vaultOwes: new Map(),
  lotsRemaining: new Map(),
  auctions: new Map(),
  quoteKey: '',
  creditedUsd: 0n,
  seizuresInFlight: 0n,
  poolFlowsUsd: 0n,
  poolUsdPerUnit: 0n,
  fundTokensBooked: 0n,
});

/**
 * Reads a snapshot of every chain (see `Snapshot`), each chain at one block. The trading chain's block is fixed
 * first: whatever it credited from an auction already happened on the collateral chain read after it.
 */
export async function snapshot(devnet: Devnet, d: Deployment, label: string): Promise<Snapshot> {
  const s = newSnapshot(label);
  const ordered = [...devnet.sidecar.chains].sort((a, b) => (a.eid === d.trading.eid ? -1 : b.eid === d.trading.eid ? 1 : 0));
  const blocks: number[] = [];
  for (const chain of ordered) blocks.push(await d.providers.get(chain.eid)!.getBlockNumber());
  await Promise.all(ordered.map((chain, i) => readChain(devnet, d, chain.eid, chain.testTokens ?? {}, blocks[i]!, s)));
  return s;
}

async function readChain(
  devnet: Devnet,
  d: Deployment,
  eid: number,
  testTokens: Record<string, string>,
  blockTag: number,
  s: Snapshot,
): Promise<void> {
  const at = { blockTag };
  const symbolOf = (assetId: bigint | number) => d.manifest.assets.find((a) => a.assetId === Number(assetId))!.symbol;
  const chain = d.manifest.chains.find((c) => c.eid === eid)!;
  const provider = d.providers.get(eid)!;
  const names = await holderNames(devnet, d, eid);
  const holders = [...names.keys()];
  for (const [symbol, address] of Object.entries(testTokens)) {
    const token = new Contract(address, ERC20, provider);
    const [balances, supply] = await Promise.all([
      Promise.all(holders.map((h) => token.balanceOf(h, at) as Promise<bigint>)),
      token.totalSupply(at) as Promise<bigint>,
    ]);
    holders.forEach((h, i) => s.tokens.set(`${chain.name}:${symbol}:${names.get(h)}`, balances[i]!));
    s.supply.set(`${chain.name}:${symbol}`, supply);
    if (chain.contracts.quoteToken?.toLowerCase() === address.toLowerCase()) s.quoteKey = `${chain.name}:${symbol}`;
  }
  if (chain.contracts.vault) {
    // Every balance starts with a deposit and every owed payout with PayoutQueued: their accounts are all there is.
    const vault = CollateralVault__factory.connect(chain.contracts.vault, provider);
    const [deposits, payouts] = await Promise.all([
      vault.queryFilter(vault.filters.Deposited(), 0, blockTag),
      vault.queryFilter(vault.filters.PayoutQueued(), 0, blockTag),
    ]);
    const accounts = [...new Set(deposits.map((l) => l.args.account))];
    const payees = [...new Set(payouts.map((l) => l.args.to))];
    for (const asset of chain.assets) {
      const balances = accounts.map((who) => vault.balanceOf(who, asset.assetId, at).then((b) => b.free + b.locked));
      const owed = payees.map((to) => vault.owed(to, asset.assetId, at));
      s.vaultOwes.set(`${chain.name}:${symbolOf(asset.assetId)}`, sum(await Promise.all([...balances, ...owed])));
    }
  }
  if (chain.contracts.auction) {
    const auction = ICollateralAuction__factory.connect(chain.contracts.auction, provider);
    const kicked = await auction.queryFilter(auction.filters.LotKicked(), 0, blockTag);
    const lots = await Promise.all(kicked.map((log) => auction.lot(log.args.lotId, at)));
    let raisedUsd = 0n;
    for (const lot of lots) {
      raisedUsd += lot.proceedsUsd;
      const key = `${chain.name}:${symbolOf(lot.assetId)}`;
      if (lot.status === LOT_OPEN) s.lotsRemaining.set(key, (s.lotsRemaining.get(key) ?? 0n) + lot.remaining);
    }
    const quoteAddress = (await auction.quoteToken(at)).toLowerCase();
    const quote = Object.entries(testTokens).find(([, a]) => a.toLowerCase() === quoteAddress)?.[0] ?? '?';
    s.auctions.set(chain.name, { held: await auction.proceedsHeld(at), raisedUsd, usdPerUnit: await auction.usdPerQuoteUnit(at), quote });
  }
  if (chain.role === 'trading') {
    const pool = ISettlementPool__factory.connect(chain.contracts.settlementPool!, provider);
    const fund = IInsuranceFund__factory.connect(chain.contracts.insuranceFund!, provider);
    const hub = IMarginHub__factory.connect(chain.contracts.hub!, provider);
    s.poolUsdPerUnit = await pool.usdPerTokenUnit();
    s.creditedUsd = await eventSum(pool, 'AuctionProceedsCredited', blockTag, (a) => a.proceedsUsd!);
    const funded = await eventSum(pool, 'Funded', blockTag, (a) => a.tokenAmount!);
    const flows = await eventSum(pool, 'CashChanged', blockTag, (a) => (a.reason === REPAYMENT || a.reason === WITHDRAWAL ? a.delta! : 0n));
    s.poolFlowsUsd = funded * s.poolUsdPerUnit + flows;
    const deposited = await eventSum(fund, 'Deposited', blockTag, (a) => a.tokenAmount!);
    s.fundTokensBooked = deposited - (await eventSum(fund, 'DebtCovered', blockTag, (a) => a.fromTokens!));
    s.seizuresInFlight = sum(await Promise.all(TRADERS.map((i) => hub.seizuresInFlight(devWallet(i).address, at))));
  }
}

/**
 * Asserts that every test token is where the books say (throws naming the first that is not):
 * - on every chain, the known holders hold each token's whole supply (nothing leaked or stuck elsewhere);
 * - each vault holds exactly what it owes its accounts (every depositor's balance, every payee's owed payouts);
 * - each auction holds exactly its open lots' collateral plus its held proceeds, and its held proceeds are what its
 *   lots raised (USD);
 * - the pool credited no more auction proceeds than the auctions raised, and exactly as much once no seizure is in
 *   flight (the cash credited is backed by the quote tokens the auctions hold);
 * - the fund holds its deposits less what it paid out;
 * - since `previous`, the pool's tokens moved exactly by its recorded flows (funding, repayments — the fund's
 *   payouts among them —, withdrawals).
 */
export function assertConserved(now: Snapshot, previous?: Snapshot): void {
  const fail = (what: string, held: bigint, booked: bigint) => {
    throw new Error(`[${now.label}] ${what}: held ${held} ≠ booked ${booked}`);
  };
  const held = (key: string) => now.tokens.get(key) ?? 0n;
  for (const [key, supply] of now.supply) {
    const total = sum([...now.tokens].filter(([k]) => k.startsWith(`${key}:`)).map(([, v]) => v));
    if (total !== supply) fail(`${key} supply (known holders)`, total, supply);
  }
  for (const [key, owes] of now.vaultOwes) if (held(`${key}:vault`) !== owes) fail(`${key} in the vault`, held(`${key}:vault`), owes);
  let raised = 0n;
  for (const [chain, a] of now.auctions) {
    const symbols = new Set([...now.supply.keys()].filter((k) => k.startsWith(`${chain}:`)).map((k) => k.split(':')[1]!));
    for (const symbol of symbols) {
      const booked = (now.lotsRemaining.get(`${chain}:${symbol}`) ?? 0n) + (symbol === a.quote ? a.held : 0n);
      if (held(`${chain}:${symbol}:auction`) !== booked) fail(`${chain}:${symbol} in the auction`, held(`${chain}:${symbol}:auction`), booked);
    }
    if (a.held * a.usdPerUnit !== a.raisedUsd) fail(`${chain} auction proceeds (USD)`, a.held * a.usdPerUnit, a.raisedUsd);
    raised += a.raisedUsd;
  }
  if (now.creditedUsd > raised || (now.seizuresInFlight === 0n && now.creditedUsd !== raised)) {
    fail(`auction proceeds credited to cash (USD, ${now.seizuresInFlight} seizures in flight)`, raised, now.creditedUsd);
  }
  const trading = now.quoteKey;
  if (!trading) throw new Error(`[${now.label}] no test quote token on the trading chain`);
  if (held(`${trading}:fund`) !== now.fundTokensBooked) fail(`${trading} in the insurance fund`, held(`${trading}:fund`), now.fundTokensBooked);
  if (previous) {
    const moved = (held(`${trading}:pool`) - (previous.tokens.get(`${trading}:pool`) ?? 0n)) * now.poolUsdPerUnit;
    if (moved !== now.poolFlowsUsd - previous.poolFlowsUsd)
      fail(`${trading} pool tokens moved (USD)`, moved, now.poolFlowsUsd - previous.poolFlowsUsd);
  }
}

/** Token movements between two snapshots: `chain:symbol:holder` → signed change, non-zero entries only. */
export function moves(from: Snapshot, to: Snapshot): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const key of new Set([...from.tokens.keys(), ...to.tokens.keys()])) {
    const delta = (to.tokens.get(key) ?? 0n) - (from.tokens.get(key) ?? 0n);
    if (delta !== 0n) out[key] = delta;
  }
  return out;
}
