import { devWallet } from '@tributary/contracts';
import type { ManifestChain } from '@tributary/protocol';
import type { Deployment } from './harness';

/**
 * Load for the crash test: each (trader, chain) pair deposits USDC in a loop, one deposit after another's
 * receipt with a short random pause, until stopped.
 */
export class DepositStream {
  /** Base units deposited per `${trader}/${eid}` (lowercase trader). */
  readonly deposited = new Map<string, bigint>();
  count = 0;
  readonly failures: string[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly deployment: Deployment,
    private readonly pairs: { trader: number; chain: ManifestChain }[],
  ) {}

  start(): void {
    this.running = true;
    this.loops = this.pairs.map((pair) => this.loop(pair.trader, pair.chain));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(index: number, chain: ManifestChain): Promise<void> {
    const signer = devWallet(index, this.deployment.providers.get(chain.eid)!);
    const key = `${signer.address.toLowerCase()}/${chain.eid}`;
    const { decimals } = this.deployment.token(chain, 'USDC', signer);
    while (this.running) {
      const units = 1 + Math.floor(Math.random() * 1000);
      try {
        const receipt = await this.deployment.deposit(chain, signer, 'USDC', String(units));
        if (receipt.status === 1) {
          this.deposited.set(key, (this.deposited.get(key) ?? 0n) + BigInt(units) * 10n ** BigInt(decimals));
          this.count++;
        }
      } catch (error) {
        this.failures.push(`${key}: ${(error as Error).message.slice(0, 200)}`);
      }
      await new Promise((r) => setTimeout(r, Math.random() * 400));
    }
  }
}
