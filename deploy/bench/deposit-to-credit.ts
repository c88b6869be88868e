/**
 * Deposit → credit-visible latency on the devnet (3 hardhat nodes at 1 s blocks, relayer and aggregator
 * processes), at an offered load of DEPOSITS_PER_SECOND spread over the demo traders of both collateral chains.
 *
 * Stages per deposit, each in ms (from the moment the deposit's receipt = source confirmation is seen) and in
 * trading-chain blocks (block of the event − trading head at source confirmation):
 *   hub      AttestationApplied on the MarginHub (relayer: verify + commit + lzReceive)
 *   ledger   the aggregator's /v1/accounts API shows the deposit's sequence
 *   credit   the first credit push whose entry for the account covers the deposit (aggregator credit push)
 *
 * Each trader deposits on one chain only and every deposit adds 3 % to its balance (the first one 100 USDC),
 * so each deposit moves the USDC-only credit limit (linear in the balance: L = k · balance) past the pusher's
 * 1 % hysteresis, and the push that covers a deposit is recognisable: limit ≥ k · balance after it · 0.985.
 * k per account is read from the aggregator's risk breakdown at the end.
 *
 * Run: npm run bench -w @tributary/deploy   (env: BENCH_SECONDS, DEPOSITS_PER_SECOND, BENCH_AGGREGATOR_ENV;
 * BENCH_BARE_NODES=1 starts the chains without build info, BENCH_COLLATERAL_BLOCK_MS sets the source chains' blocks).
 * It ends with each node's CPU per deposit over its idle rate (node-load.ts): what a hardhat node can carry.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NonceManager, parseUnits, type JsonRpcProvider } from 'ethers';
import { CollateralVault__factory, CreditManager__factory, MSG_ATTEST, MarginHub__factory, devWallet, readCreditPushes } from '@tributary/contracts';
import { makeProvider } from '../src/deploy/chain-session';
import { startDevnet } from '../src/devnet/devnet';
import { DEV_ACCOUNTS } from '../src/devnet/devnet-config';
import { NodeLoad } from './node-load';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.DEPOSITS_PER_SECOND ?? 100);
const BLOCK_MS = 1000;
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_DRAIN_MS ?? 300_000);
/** Aggregator settings to compare, e.g. BENCH_AGGREGATOR_ENV='{"INDEXER_TRADING_CONFIRMATIONS":"1"}'. */
const AGGREGATOR_ENV = JSON.parse(process.env.BENCH_AGGREGATOR_ENV ?? '{}') as Record<string, string>;

interface Deposit {
  account: string;
  eid: number;
  assetId: number;
  sequence?: bigint;
  /** USDC units (6 decimals) of this deposit and the vault balance after it. */
  amount: bigint;
  balanceAfter?: bigint;
  sentAt: number;
  txHash?: string;
  /** Source block holding the deposit; it is confirmed once the source head is `confirmations` past it. */
  includedBlock?: number;
  confirmedAt?: number;
  tradingHeadAtConfirm?: number;
  hub?: { at: number; block: number };
  ledger?: { at: number; head: number };
  credit?: { at: number; block: number };
  failed?: string;
}

const percentile = (values: number[], p: number): number => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-'));
  const log = (line: string) => console.log(line);
  log(`starting devnet in ${dir}…`);
  const devnet = await startDevnet({
    dir,
    chainPort: 18840,
    aggregatorPort: 18850,
    relayerPort: 18851,
    blockTimeMs: BLOCK_MS,
    simulatePrices: false,
    log: () => undefined,
    aggregatorEnv: AGGREGATOR_ENV,
    bareNodes: process.env.BENCH_BARE_NODES === '1',
    collateralBlockTimeMs: Number(process.env.BENCH_COLLATERAL_BLOCK_MS ?? BLOCK_MS),
  });
  // A dropped connection can surface as an uncaught socket error: never leave the devnet's processes behind.
  process.once('uncaughtException', (error) => {
    console.error(error);
    void devnet.stop().finally(() => process.exit(1));
  });
  const manifest = devnet.manifest;
  const trading = manifest.chains.find((c) => c.role === 'trading')!;
  const collateral = manifest.chains.filter((c) => c.role === 'collateral');
  const providers = new Map<number, JsonRpcProvider>(manifest.chains.map((c) => [c.eid, makeProvider(c.rpcUrl, c.chainId, 100)]));
  // A hardhat node's request log traces and decodes every transaction on its one JS thread: at 30 deposits/s and more
  // the source nodes spent their time there and stopped answering (found by the soak, docs/soak.md). BENCH_NODE_LOG=1 keeps it.
  if (process.env.BENCH_NODE_LOG !== '1') {
    await Promise.all([...providers.values()].map((provider) => provider.send('hardhat_setLoggingEnabled', [false])));
  }
  const tradingProvider = providers.get(trading.eid)!;
  const nodeLoad = await NodeLoad.start(devnet.chains, manifest.chains, log);
  const usdc = manifest.assets.find((a) => a.symbol === 'USDC')!.assetId;
  const deposits: Deposit[] = [];
  let tradingHead = await tradingProvider.getBlockNumber();
  const headTimer = setInterval(
    () =>
      void tradingProvider.getBlockNumber().then(
        (n) => (tradingHead = n),
        () => undefined,
      ),
    100,
  );

  try {
    // One sender per trader, each on one chain (alternating), with its own nonce sequence.
    const fees = new Map(
      collateral.map((chain) => [chain.eid, CollateralVault__factory.connect(chain.contracts.vault!, providers.get(chain.eid)!).quote(MSG_ATTEST)]),
    );
    const senders = Array.from({ length: DEV_ACCOUNTS.lastTrader - DEV_ACCOUNTS.firstTrader + 1 }, (_, i) => {
      const chain = collateral[i % collateral.length]!;
      const wallet = new NonceManager(devWallet(DEV_ACCOUNTS.firstTrader + i, providers.get(chain.eid)!));
      return {
        chain,
        wallet,
        vault: CollateralVault__factory.connect(chain.contracts.vault!, wallet),
        fee: fees.get(chain.eid)!,
        address: devWallet(DEV_ACCOUNTS.firstTrader + i).address,
        sent: 0n,
      };
    });
    const gasPrices = new Map(
      collateral.map((chain) => [
        chain.eid,
        providers
          .get(chain.eid)!
          .getFeeData()
          .then((f) => ({ maxFeePerGas: f.maxFeePerGas! * 2n, maxPriorityFeePerGas: f.maxPriorityFeePerGas! })),
      ]),
    );
    const byTxHash = new Map<string, Deposit>();
    const vaultFrom = new Map(collateral.map((chain) => [chain.eid, chain.startBlock]));
    /** Source confirmation (seen at this poll): the deposit's block is the chain's `confirmations` deep, as the relayer requires. */
    async function pollConfirmations(): Promise<void> {
      for (const chain of collateral) {
        const provider = providers.get(chain.eid)!;
        const head = await provider.getBlockNumber();
        const from = vaultFrom.get(chain.eid)!;
        const vault = CollateralVault__factory.connect(chain.contracts.vault!, provider);
        if (head >= from) {
          for (const event of await vault.queryFilter(vault.filters.BalanceAttested(), from, head)) {
            const d = byTxHash.get(event.transactionHash);
            if (d) Object.assign(d, { includedBlock: event.blockNumber, sequence: event.args.sequence, balanceAfter: event.args.balance });
          }
          vaultFrom.set(chain.eid, head + 1);
        }
        for (const d of deposits) {
          if (d.eid !== chain.eid || d.confirmedAt || d.includedBlock === undefined || head < d.includedBlock + chain.confirmations) continue;
          Object.assign(d, { confirmedAt: Date.now(), tradingHeadAtConfirm: tradingHead });
        }
      }
    }
    // Follow the hub and the CreditManager by logs and the ledger by its API while deposits are sent, so every
    // stage is timed when it happens.
    const hub = MarginHub__factory.connect(trading.contracts.hub!, tradingProvider);
    const cm = CreditManager__factory.connect(trading.contracts.creditManager!, tradingProvider);
    const firstCredit = new Map<string, { block: number; at: number; limit: bigint }[]>();
    let fromBlock = manifest.chains.find((c) => c.role === 'trading')!.startBlock;
    async function pollOnce(): Promise<void> {
      await pollConfirmations();
      const head = await tradingProvider.getBlockNumber();
      const now = Date.now();
      if (head >= fromBlock) {
        // The relayer may execute a later nonce first (LayerZero allows it once lower nonces are verified):
        // the hub then ignores the older attestation. A deposit is on the hub once a sequence ≥ its own is.
        for (const event of await hub.queryFilter(hub.filters.AttestationApplied(), fromBlock, head)) {
          for (const d of deposits) {
            if (d.hub || d.sequence === undefined || d.sequence > event.args.sequence) continue;
            if (
              d.eid !== Number(event.args.eid) ||
              d.assetId !== Number(event.args.assetId) ||
              d.account.toLowerCase() !== event.args.account.toLowerCase()
            )
              continue;
            d.hub = { at: now, block: event.blockNumber };
          }
        }
        // One batch event per push: the per-account entries come from the push's calldata.
        for (const push of await readCreditPushes(cm, fromBlock, head)) {
          for (const e of push.entries) {
            const list = firstCredit.get(e.account.toLowerCase()) ?? [];
            list.push({ block: push.blockNumber, at: now, limit: e.base }); // base = limit − cash; no cash here
            firstCredit.set(e.account.toLowerCase(), list);
          }
        }
        fromBlock = head + 1;
      }
      const accounts = [...new Set(deposits.map((d) => d.account))];
      for (const account of accounts) {
        const response = await fetch(`${devnet.urls.aggregator}/v1/accounts/${account}`).catch(() => undefined);
        if (!response?.ok) continue;
        const view = (await response.json()) as { collateral: { eid: number; assetId: number; sequence: string }[] };
        for (const d of deposits) {
          if (d.ledger || d.account !== account || d.sequence === undefined) continue;
          const row = view.collateral.find((c) => c.eid === d.eid && c.assetId === d.assetId);
          if (row && BigInt(row.sequence) >= d.sequence) d.ledger = { at: Date.now(), head };
        }
      }
    }

    /** k per account: pushed USD (1e18) per USDC unit (1e6) = creditLimit / balance from the risk breakdown. */
    async function creditRatios(): Promise<Map<string, number>> {
      const ratios = new Map<string, number>();
      for (const sender of senders) {
        const response = await fetch(`${devnet.urls.aggregator}/v1/accounts/${sender.address}/risk`).catch(() => undefined);
        if (!response?.ok) continue;
        const risk = (await response.json()) as { result: { creditLimit: number }; inputs: { balances: { amount: number }[] } };
        const units = risk.inputs.balances.reduce((sum, b) => sum + b.amount, 0);
        if (units > 0) ratios.set(sender.address.toLowerCase(), risk.result.creditLimit / units);
      }
      return ratios;
    }
    function matchCredit(ratios: Map<string, number>): void {
      for (const d of deposits) {
        const k = ratios.get(d.account.toLowerCase());
        if (d.credit || !d.hub || d.balanceAfter === undefined || k === undefined) continue;
        const needed = BigInt(Math.floor(k * 0.985 * 1e6)) * d.balanceAfter * 10n ** 6n; // k · (balance / 1e6) · 1e18
        d.credit = firstCredit.get(d.account.toLowerCase())?.find((c) => c.limit >= needed);
      }
    }

    let pollErrors = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        try {
          await pollOnce();
        } catch (error) {
          // A node or the aggregator dropping a connection under load: count it and poll again.
          if (pollErrors++ === 0) log(`  (poll error, retrying: ${(error as Error).message})`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    log(`offering ${RATE} deposits/s for ${SECONDS} s over ${senders.length} senders on ${collateral.length} chains…`);
    nodeLoad.begin();
    const total = RATE * SECONDS;
    const started = Date.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const sender = senders[i % senders.length]!;
      const amount = sender.sent === 0n ? parseUnits('100', 6) : ((sender.sent * 3n) / 100n / 10n ** 6n + 1n) * 10n ** 6n;
      sender.sent += amount;
      const deposit: Deposit = { account: sender.address, eid: sender.chain.eid, assetId: usdc, sentAt: Date.now(), amount };
      deposits.push(deposit);
      inFlight.push(
        (async () => {
          try {
            // Fees and gas fixed up front: one eth_sendRawTransaction per deposit; confirmation comes from the
            // vault's logs (one getLogs per chain per poll), not from a receipt poller per transaction.
            const tx = await sender.vault.deposit(usdc, amount, sender.address, {
              value: await sender.fee,
              gasLimit: 400_000,
              ...(await gasPrices.get(sender.chain.eid)!),
            });
            deposit.txHash = tx.hash;
            byTxHash.set(tx.hash, deposit);
          } catch (error) {
            deposit.failed = (error as Error & { shortMessage?: string }).shortMessage ?? (error as Error).message;
          }
        })(),
      );
    }
    const offeredSeconds = (Date.now() - started) / 1000;
    await Promise.all(inFlight);
    log(
      `sent ${total} deposits in ${offeredSeconds.toFixed(1)} s (${(total / offeredSeconds).toFixed(0)}/s achieved offer); ${deposits.filter((d) => d.failed).length} failed`,
    );

    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const confirmed = deposits.filter((d) => d.confirmedAt);
      if (deposits.some((d) => d.txHash && !d.confirmedAt)) {
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      if (confirmed.every((d) => d.hub && d.ledger)) {
        // Credit: the last deposit of every account covered by a push (or, with no pusher, a grace period).
        const ratios = await creditRatios();
        matchCredit(ratios);
        const lastOf = new Map(confirmed.map((d) => [d.account, d]));
        if ([...lastOf.values()].every((d) => d.credit)) break;
        if (firstCredit.size === 0 && Date.now() > deadline - DRAIN_TIMEOUT_MS / 2) break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    polling = false;
    await poller;
    nodeLoad.end();
    matchCredit(await creditRatios());

    const confirmed = deposits.filter((d) => d.confirmedAt);
    const report = (name: string, stage: (d: Deposit) => { at: number; block?: number; head?: number } | undefined) => {
      const reached = confirmed.filter((d) => stage(d));
      const ms = reached.map((d) => stage(d)!.at - d.confirmedAt!);
      const blocks = reached.map((d) => {
        const s = stage(d)!;
        return (s.block ?? s.head!) - d.tradingHeadAtConfirm!;
      });
      const line = reached.length
        ? `p50 ${percentile(blocks, 50)} blocks / ${percentile(ms, 50)} ms   p99 ${percentile(blocks, 99)} blocks / ${percentile(ms, 99)} ms   max ${Math.max(...blocks)} blocks`
        : 'not observed';
      log(`  ${name.padEnd(7)} ${String(reached.length).padStart(5)}/${confirmed.length}  ${line}`);
    };
    log(`latency after source confirmation (trading-chain blocks of ${BLOCK_MS} ms; target credit p50 ≤ 2, p99 ≤ 4):`);
    report('hub', (d) => d.hub);
    report('ledger', (d) => d.ledger);
    report('credit', (d) => d.credit);
    // The aggregator's part alone: from the hub block that applied the deposit to the block of its credit push.
    const both = confirmed.filter((d) => d.hub && d.credit);
    if (both.length) {
      const blocks = both.map((d) => d.credit!.block - d.hub!.block);
      const ms = both.map((d) => d.credit!.at - d.hub!.at);
      log(
        `  hub → credit ${String(both.length).padStart(5)}  p50 ${percentile(blocks, 50)} blocks / ${percentile(ms, 50)} ms   p99 ${percentile(blocks, 99)} blocks / ${percentile(ms, 99)} ms   max ${Math.max(...blocks)} blocks   (${blocks.filter((b) => b === 1).length} in the next block)`,
      );
    }
    log(`  aggregator reaction (head read → push sent, its own histogram): ${await reactionSummary(devnet.urls.aggregator)}`);
    const delivered = confirmed.filter((d) => d.hub);
    if (delivered.length > 1) {
      const span = (Math.max(...delivered.map((d) => d.hub!.at)) - Math.min(...confirmed.map((d) => d.confirmedAt!))) / 1000;
      log(
        `  throughput: ${delivered.length} deposits on the hub ${span.toFixed(1)} s after the first source confirmation (${(delivered.length / span).toFixed(1)}/s)`,
      );
    }
    if (firstCredit.size === 0) log('  credit: no credit push was seen: the aggregator running here pushes no credit limits');
    nodeLoad.report(new Map(collateral.map((chain) => [chain.eid, confirmed.filter((d) => d.eid === chain.eid).length])), delivered.length);
    const failures = deposits.filter((d) => d.failed);
    if (failures.length) log(`  first failure: ${failures[0]!.failed}`);
  } finally {
    clearInterval(headTimer);
    nodeLoad.stop();
    for (const p of providers.values()) p.destroy();
    await devnet.stop();
  }
}

/** p50 / p99 / mean of tributary_aggregator_credit_reaction_seconds from the aggregator's /metrics (bucket bounds). */
async function reactionSummary(aggregatorUrl: string): Promise<string> {
  try {
    const text = await (await fetch(`${aggregatorUrl}/metrics`)).text();
    const buckets = [...text.matchAll(/^tributary_aggregator_credit_reaction_seconds_bucket\{le="([^"]+)"\} (\d+)/gm)].map((m) => ({
      le: m[1] === '+Inf' ? Infinity : Number(m[1]),
      count: Number(m[2]),
    }));
    const sum = Number(/^tributary_aggregator_credit_reaction_seconds_sum (\S+)/m.exec(text)?.[1] ?? NaN);
    const count = buckets.at(-1)?.count ?? 0;
    if (!count) return 'no samples';
    const bound = (p: number) => buckets.find((b) => b.count >= (p / 100) * count)!.le * 1000;
    return `${count} pushes, mean ${((sum / count) * 1000).toFixed(0)} ms, p50 ≤ ${bound(50)} ms, p99 ≤ ${bound(99)} ms`;
  } catch (error) {
    return `not read (${(error as Error).message})`;
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
