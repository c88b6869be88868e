import { parseUnits, type JsonRpcProvider } from 'ethers';
import { CollateralVault__factory, MSG_ATTEST, devWallet } from '@tributary/contracts';
import type { Devnet, SupervisedService } from '@tributary/deploy';
import type { ManifestChain } from '@tributary/protocol';
import type { Deployment } from './harness';
import type { DepositLoad } from './soak-load';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGKILLs a relayer worker, the verifier or an aggregator replica (each kind in turn, the replica at random). */
export class Killer {
  readonly kills: string[] = [];
  private turn = Math.floor(Math.random() * 3);

  constructor(private readonly devnet: Devnet) {}

  killOne(): string {
    const { relayers, aggregators, verifier } = this.devnet.services;
    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
    const kind = this.turn++ % 3;
    const target: SupervisedService = kind === 0 ? pick(relayers) : kind === 1 ? verifier : pick(aggregators);
    const pid = target.pid;
    if (pid === undefined) return `${target.name} not running (skipped)`;
    process.kill(pid, 'SIGKILL');
    const line = `${target.name} (pid ${pid})`;
    this.kills.push(line);
    return line;
  }
}

export interface ReorgResult {
  chain: string;
  trader: string;
  /** Balance of the deposit the revert removed, and of the one mined in its place (base units). */
  reverted: bigint;
  kept: bigint;
  /** Source head when the removed deposit's block was the tip (unconfirmed), and the block it was in. */
  block: number;
  seenUnconfirmedMs: number;
}

/**
 * A reorg inside the confirmation window on `chain`: with interval mining off, a deposit of `trader` is mined
 * into a block that stays the tip (0 blocks on top: fewer than the chain's confirmations) for `holdMs` while the
 * relayer and the verifier poll it; then the chain reverts to before it and mines a different deposit of the same
 * trader (same nonce, other amount) instead. The load generator sends nothing to the chain meanwhile.
 */
export async function reorgDeposit(
  d: Deployment,
  load: DepositLoad,
  chain: ManifestChain,
  trader: number,
  blockTimeMs: number,
  holdMs = 2500,
): Promise<ReorgResult> {
  const provider = d.providers.get(chain.eid)! as JsonRpcProvider;
  const wallet = devWallet(trader, provider);
  const vault = CollateralVault__factory.connect(chain.contracts.vault!, wallet);
  const usdc = d.assetId('USDC');
  const fee = await vault.quote(MSG_ATTEST);
  const [reverted, kept] = [parseUnits('111', 6), parseUnits('222', 6)];
  load.paused.add(chain.eid);
  try {
    await load.settle();
    await sleep(blockTimeMs * 2);
    await provider.send('evm_setIntervalMining', [0]);
    await provider.send('evm_mine', []); // whatever else was pending goes in before the snapshot
    const snapshot = (await provider.send('evm_snapshot', [])) as string;
    const nonce = await provider.getTransactionCount(wallet.address, 'latest');
    const first = await vault.deposit(usdc, reverted, wallet.address, { value: fee, nonce, gasLimit: 400_000 });
    await provider.send('evm_mine', []);
    const block = (await first.wait(0))!.blockNumber;
    const started = Date.now();
    await sleep(holdMs);
    const seenUnconfirmedMs = Date.now() - started;
    if (!(await provider.send('evm_revert', [snapshot]))) throw new Error('evm_revert refused');
    await vault.deposit(usdc, kept, wallet.address, { value: fee, nonce, gasLimit: 400_000 });
    await provider.send('evm_mine', []);
    return { chain: chain.name, trader: wallet.address, reverted, kept, block, seenUnconfirmedMs };
  } finally {
    await provider.send('evm_setIntervalMining', [blockTimeMs]);
    load.paused.delete(chain.eid);
  }
}
