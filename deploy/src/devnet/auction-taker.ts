import { Contract, NonceManager, type ContractTransactionResponse, type JsonRpcProvider, type Signer } from 'ethers';
import { AggregatorV3Interface__factory, ICollateralAuction__factory, TestERC20__factory } from '@tributary/contracts';

const AUCTION_ABI = ICollateralAuction__factory.abi;
const FEED_ABI = AggregatorV3Interface__factory.abi;
const TOKEN_ABI = TestERC20__factory.abi;
/** ICollateralAuction.LotStatus.Open */
const LOT_OPEN = 1n;

/** The bot's rule: take a whole lot once its Dutch price is at or below the oracle price (a discount, never a premium). */
export function shouldTake(lotPrice: bigint, oraclePrice: bigint): boolean {
  return lotPrice > 0n && oraclePrice > 0n && lotPrice <= oraclePrice;
}

/** A feed answer (`decimals` places) as 1e18 USD. */
export function feedToWad(answer: bigint, decimals: number): bigint {
  return decimals <= 18 ? answer * 10n ** BigInt(18 - decimals) : answer / 10n ** BigInt(decimals - 18);
}

export interface TakerChain {
  eid: number;
  name: string;
  /** Destroyed by `stop()`. */
  provider: JsonRpcProvider;
  /** The chain's CollateralAuction. */
  auction: string;
  /** The taker's key on that chain (holds native gas and the auction's quote token, approved). */
  signer: Signer;
  /** Assets whose breaker the bot keeps fed with price points (`poke`); none when absent. */
  assetIds?: number[];
}

/** A price point for the breaker when the feed moved since the last one, or the last is older than `everyMs`. */
export function pokeDue(last: { answer: bigint; at: number } | undefined, answer: bigint, now: number, everyMs: number): boolean {
  return !last || last.answer !== answer || now - last.at >= everyMs;
}

export interface TakeRecord {
  eid: number;
  lotId: bigint;
  price: bigint;
  oraclePrice: bigint;
  txHash: string;
}

/** A receipt within 30 s: a transaction a reorg removed (or a node dropped) never gets one, and the pass must end. */
const mined = (tx: ContractTransactionResponse) => tx.wait(1, 30_000);

/**
 * The devnet's taker bot: every `intervalMs` it follows LotKicked on each collateral chain's auction and
 * `take`s the whole remaining lot (maxPrice = the current price) as soon as the lot's price is ≤ the oracle
 * price of its asset on that chain, and `redo`es a lot it will not take once the auction allows it, so auctions
 * clear by themselves on `npm start`; it leaves alone the lots of an asset the auction breaker paused, and feeds
 * every breaker with the feed price when it moves (`poke`). Anyone else may take too:
 * a lot closed meanwhile is dropped.
 */
export class AuctionTaker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly open = new Map<number, Set<bigint>>();
  private readonly nextBlock = new Map<number, number>();
  readonly takes: TakeRecord[] = [];
  /** Lots restarted with `redo` (unpriced, or floor above the oracle price). */
  redos = 0;
  private readonly signers = new Map<number, NonceManager>();
  private readonly pokes = new Map<string, { answer: bigint; at: number }>();

  constructor(
    private readonly options: {
      chains: TakerChain[];
      intervalMs: number;
      onError: (error: unknown) => void;
      onTake?: (take: TakeRecord) => void;
      /** Price points for the auction breaker at least this often while the price stands still (default 60 s). */
      pokeEveryMs?: number;
    },
  ) {
    for (const chain of options.chains) this.signers.set(chain.eid, new NonceManager(chain.signer));
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    for (const chain of this.options.chains) chain.provider.destroy();
  }

  /** One pass over every chain (a pass already running is joined). */
  tick(): Promise<void> {
    this.running ??= Promise.all(
      this.options.chains.map((c) =>
        this.chainPass(c).catch((error: unknown) => {
          this.signers.get(c.eid)!.reset(); // a transaction that never got mined leaves the local nonce ahead
          this.options.onError(error);
        }),
      ),
    )
      .then(() => undefined)
      .finally(() => (this.running = null));
    return this.running;
  }

  /**
   * A lot the bot will not take (unpriced: its kick found no fresh oracle price; or its floor is above today's
   * oracle price) is restarted with `redo` once the auction allows it (at the floor, or unpriced): a fresh curve
   * from today's price, and a tip for the caller. The simulation says whether a redo is allowed now.
   */
  private async redoIfDue(auction: Contract, lotId: bigint): Promise<void> {
    try {
      await auction.redo.staticCall(lotId);
    } catch {
      return; // not at the floor yet (NotAtFloor) or closed meanwhile
    }
    await mined(await auction.redo(lotId));
    this.redos += 1;
  }

  /**
   * The auction breaker only sees the price points it is shown: the bot shows it each asset's feed price when it
   * moved (and every `pokeEveryMs` while it stands still, so the window's high stays in the window).
   */
  private async pokeBreakers(chain: TakerChain, auction: Contract): Promise<void> {
    for (const assetId of chain.assetIds ?? []) {
      const config = (await auction.assetConfig(assetId)) as { feed: string; listed: boolean };
      if (!config.listed) continue;
      const round = (await new Contract(config.feed, FEED_ABI, chain.provider).latestRoundData()) as { answer: bigint };
      const key = `${chain.eid}:${assetId}`;
      const now = Date.now();
      if (!pokeDue(this.pokes.get(key), round.answer, now, this.options.pokeEveryMs ?? 60_000)) continue;
      await mined(await auction.poke(assetId));
      this.pokes.set(key, { answer: round.answer, at: now });
    }
  }

  private async chainPass(chain: TakerChain): Promise<void> {
    const auction = new Contract(chain.auction, AUCTION_ABI, this.signers.get(chain.eid)!);
    await this.pokeBreakers(chain, auction);
    const head = await chain.provider.getBlockNumber();
    const from = this.nextBlock.get(chain.eid) ?? 0;
    const open = this.open.get(chain.eid) ?? new Set<bigint>();
    this.open.set(chain.eid, open);
    if (from <= head) {
      for (const log of await auction.queryFilter(auction.filters.LotKicked(), from, head)) {
        const parsed = auction.interface.parseLog(log);
        if (parsed) open.add(parsed.args.lotId as bigint);
      }
      this.nextBlock.set(chain.eid, head + 1);
    }
    for (const lotId of [...open]) {
      const lot = (await auction.lot(lotId)) as { status: bigint; assetId: bigint; remaining: bigint };
      if (BigInt(lot.status) !== LOT_OPEN || lot.remaining === 0n) {
        open.delete(lotId);
        continue;
      }
      // The auction breaker paused the asset (a fast fall): no take or redo until it resumes.
      if ((await auction.isPaused(lot.assetId)) as boolean) continue;
      // The price in the block the take would land in (latest + 1): read at `latest`, a take mined a block later
      // pays up to one block's fall less than what the bot saw (on a short devnet curve, more than π below oracle).
      const price = (await auction.lotPrice(lotId, { blockTag: 'pending' })) as bigint;
      const config = (await auction.assetConfig(lot.assetId)) as { feed: string };
      const feed = new Contract(config.feed, FEED_ABI, chain.provider);
      const [decimals, round] = (await Promise.all([feed.decimals(), feed.latestRoundData()])) as [bigint, { answer: bigint }];
      const oraclePrice = feedToWad(round.answer, Number(decimals));
      if (!shouldTake(price, oraclePrice)) {
        await this.redoIfDue(auction, lotId);
        continue;
      }
      const tx = await auction.take(lotId, lot.remaining, price, await chain.signer.getAddress());
      const receipt = (await mined(tx))!;
      // A take whose own price point tripped the breaker buys nothing (the pause is recorded instead).
      if (!receipt.logs.some((l: { topics: readonly string[] }) => l.topics[0] === auction.interface.getEvent('LotTaken')!.topicHash)) continue;
      const record = { eid: chain.eid, lotId, price, oraclePrice, txHash: tx.hash as string };
      this.takes.push(record);
      this.options.onTake?.(record);
    }
  }
}

/** A collateral chain of the manifest with an auction (the `auction` contract of its manifest entry). */
export function auctionOf(chain: { contracts: Record<string, string | undefined> }): string | undefined {
  return chain.contracts.auction;
}

/**
 * Gives the taker key native gas (hardhat_setBalance), `quoteUnits` whole quote tokens of every chain's auction
 * (the devnet's test USDC: open mint) and an unlimited approval to the auction.
 */
export async function fundTaker(chains: readonly TakerChain[], quoteUnits: bigint): Promise<void> {
  for (const chain of chains) {
    const address = await chain.signer.getAddress();
    await chain.provider.send('hardhat_setBalance', [address, '0x56BC75E2D63100000']); // 100 ETH
    const auction = new Contract(chain.auction, AUCTION_ABI, chain.provider);
    const token = new Contract((await auction.quoteToken()) as string, TOKEN_ABI, chain.signer);
    const decimals = (await token.decimals()) as bigint;
    await (await token.mint(address, quoteUnits * 10n ** decimals)).wait();
    await (await token.approve(chain.auction, 2n ** 256n - 1n)).wait();
  }
}

/**
 * Sets the lot duration of every auction named (signed by its owner, the deployer), keeping its floor and redo tip
 * and, unless `startFactor` (1e18 = the oracle price) is given, its start: tests use seconds instead of the
 * contract's hour so lots reach the oracle price (where the bot takes) within seconds.
 */
export async function setAuctionCurve(auctions: readonly { auction: string; owner: Signer }[], seconds: number, startFactor?: bigint): Promise<void> {
  for (const { auction, owner } of auctions) {
    const contract = ICollateralAuction__factory.connect(auction, owner);
    const [start, floor, tip, duration] = await Promise.all([
      contract.startFactor(),
      contract.floorFactor(),
      contract.redoTipRate(),
      contract.duration(),
    ]);
    if (duration === BigInt(seconds) && (startFactor === undefined || startFactor === start)) continue;
    await (await contract.setAuctionParams(startFactor ?? start, floor, seconds, tip)).wait();
  }
}
