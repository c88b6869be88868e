import type { JsonRpcProvider } from 'ethers';
import {
  ICollateralAuction__factory,
  ICreditManager__factory,
  IInsuranceFund__factory,
  ILiquidationRegistry__factory,
  IMarginHub__factory,
  IPerpMarket__factory,
  readCreditPushes,
} from '@tributary/contracts';
import type { Deployment } from './harness';

/** What `GET /v1/liquidations` says of one account. */
export interface LiquidationItem {
  account: string;
  health: number | null;
  stage: string;
  outcome: string | null;
  run: number | null;
  fraction: number | null;
  liquidations: number;
  seizures: number;
  settlements: number;
  startedAt: string | null;
  liquidatedAt: string | null;
  seizedAt: string | null;
  doneAt: string | null;
  error: string | null;
}

/** A liquidation stage as seen on chain: the chain, block and block time of its first event (and its tx's gas). */
export interface StageAt {
  chain: string;
  block: number;
  time: number;
  gasUsed?: bigint;
}

export const LIQUIDATION_STAGES = ['mark', 'liquidated', 'seized', 'kicked', 'taken', 'result', 'covered', 'closed'] as const;
export type LiquidationStage = (typeof LIQUIDATION_STAGES)[number];

async function at(
  provider: JsonRpcProvider,
  chain: string,
  log: { blockNumber: number; transactionHash: string } | undefined,
): Promise<StageAt | undefined> {
  if (!log) return undefined;
  const [block, receipt] = await Promise.all([provider.getBlock(log.blockNumber), provider.getTransactionReceipt(log.transactionHash)]);
  return { chain, block: log.blockNumber, time: block!.timestamp, gasUsed: receipt!.gasUsed };
}

/**
 * The account's liquidation stages since `crash` read from the chains' events: the mark (the first push
 * whose entry for the account is liquidatable), positions reduced (LiquidationExecuted), the first SEIZE sent, its lot kicked and first taken on the
 * collateral chain, the last AUCTION_RESULT applied, the fund's cover, the liquidation closed.
 */
export async function liquidationTimeline(d: Deployment, account: string, crash: StageAt): Promise<Partial<Record<LiquidationStage, StageAt>>> {
  const trading = d.trading;
  const provider = d.providers.get(trading.eid)!;
  const c = trading.contracts;
  const from = crash.block;
  const first = <T>(logs: T[]) => logs[0];
  const credit = ICreditManager__factory.connect(c.creditManager!, provider);
  const market = IPerpMarket__factory.connect(c.perpMarket!, provider);
  const hub = IMarginHub__factory.connect(c.hub!, provider);
  const fund = IInsuranceFund__factory.connect(c.insuranceFund!, provider);
  const registry = ILiquidationRegistry__factory.connect(c.liquidationRegistry!, provider);
  // No per-account push event: the pushes' entries come from their calldata.
  const marks = (await readCreditPushes(credit, from)).filter((p) =>
    p.entries.some((e) => e.account.toLowerCase() === account.toLowerCase() && e.liquidatable),
  );
  const results = await hub.queryFilter(hub.filters.AuctionResultApplied(undefined, undefined, account), from);
  const out: Partial<Record<LiquidationStage, StageAt>> = {
    mark: await at(provider, trading.name, first(marks)),
    liquidated: await at(provider, trading.name, first(await market.queryFilter(market.filters.LiquidationExecuted(undefined, account), from))),
    seized: await at(provider, trading.name, first(await hub.queryFilter(hub.filters.SeizureSent(undefined, undefined, account), from))),
    result: await at(provider, trading.name, results[results.length - 1]),
    covered: await at(provider, trading.name, first(await fund.queryFilter(fund.filters.DebtCovered(undefined, account), from))),
    closed: await at(provider, trading.name, first(await registry.queryFilter(registry.filters.LiquidationClosed(undefined, account), from))),
  };
  for (const chain of d.manifest.chains.filter((x) => x.contracts.auction)) {
    const p = d.providers.get(chain.eid)!;
    const auction = ICollateralAuction__factory.connect(chain.contracts.auction!, p);
    const kicks = [];
    for (const log of await auction.queryFilter(auction.filters.LotKicked(undefined, undefined, account))) {
      if ((await p.getBlock(log.blockNumber))!.timestamp >= crash.time) kicks.push(log);
    }
    if (!kicks.length || (out.kicked && out.kicked.time <= (await p.getBlock(kicks[0]!.blockNumber))!.timestamp)) continue;
    out.kicked = await at(p, chain.name, kicks[0]);
    const takes = await auction.queryFilter(auction.filters.LotTaken(kicks[0]!.args.lotId));
    out.taken = await at(p, chain.name, takes[0]);
  }
  return out;
}

/**
 * One line per stage: chain and block, blocks since the previous stage on the same chain, seconds since the crash,
 * and the gas of the transaction that made it (a delivered message's: the whole lzReceive).
 */
export function formatTimeline(name: string, crash: StageAt, stages: Partial<Record<LiquidationStage, StageAt>>): string {
  const lines = [`  ${name}: crash at ${crash.chain} block ${crash.block}`];
  const last = new Map<string, StageAt>([[crash.chain, crash]]);
  for (const stage of LIQUIDATION_STAGES) {
    const s = stages[stage];
    if (!s) continue;
    const previous = last.get(s.chain);
    const blocks = previous ? `+${s.block - previous.block} blocks` : 'first on this chain';
    const gas = s.gasUsed === undefined ? '' : `  tx gas ${s.gasUsed.toLocaleString('en-US')}`;
    lines.push(
      `    ${stage.padEnd(11)} ${s.chain.padEnd(13)} block ${String(s.block).padEnd(6)} ${blocks.padEnd(20)} t+${String(s.time - crash.time).padEnd(3)} s${gas}`,
    );
    last.set(s.chain, s);
  }
  return lines.join('\n');
}

/** What the auctions did with one account's collateral (token units), per chain, from their events. */
export interface AuctionFlows {
  chain: string;
  symbol: string;
  quote: string;
  lots: number;
  seized: bigint;
  sold: bigint;
  tips: bigint;
  returned: bigint;
  quotePaid: bigint;
  proceedsUsd: bigint;
  /** Each take's price over the oracle price its lot was kicked at. */
  takeRatios: number[];
}

/** Sums LotKicked, LotTaken, LotRedone and LotClosed of `account`'s lots on every collateral chain (one asset each here). */
export async function auctionFlows(d: Deployment, account: string, quoteSymbol = 'USDC'): Promise<AuctionFlows[]> {
  const out: AuctionFlows[] = [];
  for (const chain of d.manifest.chains.filter((c) => c.contracts.auction)) {
    const auction = ICollateralAuction__factory.connect(chain.contracts.auction!, d.providers.get(chain.eid)!);
    const kicks = await auction.queryFilter(auction.filters.LotKicked(undefined, undefined, account));
    const bySymbol = new Map<string, AuctionFlows>();
    for (const kick of kicks) {
      const symbol = d.manifest.assets.find((a) => a.assetId === Number(kick.args.assetId))!.symbol;
      const f = bySymbol.get(symbol) ?? {
        chain: chain.name,
        symbol,
        quote: quoteSymbol,
        lots: 0,
        seized: 0n,
        sold: 0n,
        tips: 0n,
        returned: 0n,
        quotePaid: 0n,
        proceedsUsd: 0n,
        takeRatios: [],
      };
      bySymbol.set(symbol, f);
      const id = kick.args.lotId;
      f.lots += 1;
      f.seized += kick.args.amount;
      for (const t of await auction.queryFilter(auction.filters.LotTaken(id))) {
        f.sold += t.args.amount;
        f.quotePaid += t.args.quotePaid;
        f.proceedsUsd += t.args.proceedsUsd;
        if (kick.args.oraclePrice > 0n) f.takeRatios.push(Number((t.args.price * 100_000n) / kick.args.oraclePrice) / 100_000);
      }
      for (const r of await auction.queryFilter(auction.filters.LotRedone(id))) f.tips += r.args.tip;
      for (const c of await auction.queryFilter(auction.filters.LotClosed(id))) f.returned += c.args.returned;
    }
    out.push(...bySymbol.values());
  }
  return out;
}

/**
 * The token moves closed lots make (`chain:symbol:holder` → change; holder names as in conservation.ts): the
 * vault lost what was seized and not returned, the taker bot got what it bought (and any redo tips) and paid the
 * quote tokens the auction now holds.
 */
export function lotMoves(flows: AuctionFlows[]): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  const add = (key: string, delta: bigint) => {
    const v = (out[key] ?? 0n) + delta;
    if (v === 0n) delete out[key];
    else out[key] = v;
  };
  for (const f of flows) {
    add(`${f.chain}:${f.symbol}:vault`, f.returned - f.seized);
    add(`${f.chain}:${f.symbol}:taker`, f.sold + f.tips);
    add(`${f.chain}:${f.symbol}:auction`, f.seized - f.returned - f.sold - f.tips);
    add(`${f.chain}:${f.quote}:taker`, -f.quotePaid);
    add(`${f.chain}:${f.quote}:auction`, f.quotePaid);
  }
  return out;
}
