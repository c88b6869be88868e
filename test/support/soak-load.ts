import { NonceManager, parseUnits, type JsonRpcProvider } from 'ethers';
import { CollateralVault__factory, MSG_ATTEST, devWallet } from '@tributary/contracts';
import type { ManifestChain } from '@tributary/protocol';
import { TributaryClient } from '@tributary/sdk';
import type { Deployment } from './harness';
import type { AttestationTracker } from './soak-tracker';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Offers `rate` USDC deposits per second (bench-style: one eth_sendRawTransaction each, fees fixed up front, no
 * receipt wait) spread over `traders`, each trader on one collateral chain, straight to the nodes. A chain in
 * `paused` gets none (the reorg needs its mempool quiet).
 */
export class DepositLoad {
  offered = 0;
  /** Offers not sent because the chain already had `maxInFlight` sends unanswered (the node is behind). */
  held = 0;
  sendFailures = 0;
  firstFailure?: string;
  readonly paused = new Set<number>();
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly d: Deployment,
    private readonly traders: number[],
    private readonly rate: number,
    private readonly tracker: AttestationTracker,
    /** Unanswered sends allowed per chain: an open-loop load must not pile requests on a node that stalls. */
    readonly maxInFlight = 20,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  get pending(): number {
    return this.inFlight.size;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.all(this.inFlight);
  }

  /** Waits until every deposit sent so far got its answer from the node. */
  async settle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async run(): Promise<void> {
    const collateral = this.d.manifest.chains.filter((c) => c.role === 'collateral');
    const usdc = this.d.assetId('USDC');
    const senders = await Promise.all(
      this.traders.map(async (index, i) => {
        const chain = collateral[i % collateral.length]!;
        const provider = this.d.providers.get(chain.eid)! as JsonRpcProvider;
        const wallet = new NonceManager(devWallet(index, provider));
        const vault = CollateralVault__factory.connect(chain.contracts.vault!, wallet);
        const fees = await provider.getFeeData();
        return {
          chain,
          wallet,
          vault,
          address: devWallet(index).address,
          overrides: {
            value: await vault.quote(MSG_ATTEST),
            gasLimit: 400_000,
            maxFeePerGas: fees.maxFeePerGas! * 2n,
            maxPriorityFeePerGas: fees.maxPriorityFeePerGas!,
          },
        };
      }),
    );
    const started = Date.now();
    const perChain = new Map<number, number>();
    let turn = 0;
    while (this.running) {
      const due = started + (this.offered * 1000) / this.rate;
      if (due > Date.now()) await sleep(due - Date.now());
      const sender = senders[turn++ % senders.length]!;
      if (this.paused.has(sender.chain.eid)) continue;
      if ((perChain.get(sender.chain.eid) ?? 0) >= this.maxInFlight) {
        this.held++;
        this.offered++;
        continue;
      }
      this.offered++;
      perChain.set(sender.chain.eid, (perChain.get(sender.chain.eid) ?? 0) + 1);
      const amount = parseUnits(String(1 + Math.floor(Math.random() * 1000)), 6);
      const send = (async () => {
        try {
          const at = Date.now();
          const tx = await sender.vault.deposit(usdc, amount, sender.address, sender.overrides);
          this.tracker.noteTx(tx.hash, at);
        } catch (error) {
          this.sendFailures++;
          this.firstFailure ??= (error as Error & { shortMessage?: string }).shortMessage ?? (error as Error).message;
          sender.wallet.reset();
        }
      })();
      this.inFlight.add(send);
      void send.finally(() => {
        this.inFlight.delete(send);
        perChain.set(sender.chain.eid, perChain.get(sender.chain.eid)! - 1);
      });
    }
  }
}

/**
 * Traders that open and close WETH perp positions and withdraw USDC (two keys, followed to the payout) through the
 * SDK against the aggregator, one action at a time each, until stopped. Failures are counted (a killed replica, a
 * faulty answer), never fatal: the end checks judge the outcome.
 */
export class TraderActors {
  readonly done = { trades: 0, withdrawals: 0 };
  readonly failed = { trades: 0, withdrawals: 0 };
  readonly errors: string[] = [];
  private readonly clients: TributaryClient[];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    manifestPath: string,
    aggregatorUrl: string,
    private readonly traders: number[],
    private readonly withdrawChain: ManifestChain,
  ) {
    this.clients = traders.map((i) => new TributaryClient({ manifest: manifestPath, aggregatorUrl, privateKey: devWallet(i).privateKey }));
  }

  /**
   * Funds each trader with `usdc` on the withdrawal chain (straight to the vault: not followed to its credit, which
   * two aggregator replicas may never push — see docs/soak.md).
   */
  async fund(d: Deployment, usdc: string): Promise<void> {
    await Promise.all(this.traders.map((i) => d.deposit(this.withdrawChain, d.wallet(i, this.withdrawChain), 'USDC', usdc)));
  }

  start(): void {
    this.running = true;
    this.loops = this.clients.map((c) => this.loop(c));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    for (const c of this.clients) c.close();
  }

  private async attempt(kind: 'trades' | 'withdrawals', action: () => PromiseLike<unknown>): Promise<void> {
    try {
      await Promise.race([action(), sleep(90_000).then(() => Promise.reject(new Error('no outcome within 90 s')))]);
      this.done[kind]++;
    } catch (error) {
      this.failed[kind]++;
      if (this.errors.length < 20) this.errors.push(`${kind}: ${(error as Error).message.slice(0, 160)}`);
    }
  }

  private async loop(client: TributaryClient): Promise<void> {
    let open = false;
    while (this.running) {
      const pick = Math.random();
      if (pick < 0.6) {
        await this.attempt('trades', async () => {
          await client.trade({ asset: 'WETH', size: open ? '-0.5' : '0.5' });
          open = !open;
        });
      } else {
        await this.attempt('withdrawals', () => client.withdraw({ chain: this.withdrawChain.name, asset: 'USDC', amount: '25' }));
      }
      await sleep(1000 + Math.random() * 2000);
    }
  }
}
