/**
 * What a `hardhat node` costs per transaction (its CPU, its RSS) and whether it keeps up, for the same load sent to
 * nodes started four ways: as the devnet starts them (this package's project, with every contract's build info), the
 * same with its request log off (`hardhat_setLoggingEnabled false`), a bare project (same chain settings, nothing
 * compiled: `startHardhatNode({ bare: true })`), and the bare one with a reader calling 2 blocks behind the head every
 * 100 ms (as the relayer and the aggregator do). The load: ERC-20 transfers signed here with local nonces (one
 * eth_sendRawTransaction each), `BENCH_RATE` a second (default 200) for `BENCH_SECONDS` (default 30), blocks of
 * `BENCH_BLOCK_MS` (default 1000); `BENCH_ONLY` runs the variants whose name contains it.
 * Run: npx tsx bench/node-memory.ts (ports 20200–20203). Figures: docs/performance.md.
 */
import { JsonRpcProvider, NonceManager, Wallet, parseUnits } from 'ethers';
import { devWallet, startHardhatNode, type LocalChain } from '../lib/node/hardhat-node';
import { processCpuSeconds as cpuSeconds, processRssMb as rssMb } from '../lib/node/process-stats';
import { TestERC20__factory } from '../typechain-types';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const SENDERS = 10;
const BLOCK_MS = Number(process.env.BENCH_BLOCK_MS ?? 1000);
const ONLY = process.env.BENCH_ONLY;
const CHAIN_ID = 31_999;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Result {
  variant: string;
  rssStart: number;
  rssEnd: number;
  cpuMsPerTx: number;
  sendSeconds: number;
  sent: number;
  refused: number;
  mined: number;
  lagBlocks: number;
}

async function run(
  variant: string,
  port: number,
  options: { logging: boolean; bare?: boolean; historicalReads?: boolean },
): Promise<Result | undefined> {
  if (ONLY && !variant.includes(ONLY)) return undefined;
  const chain: LocalChain = await startHardhatNode({ chainId: CHAIN_ID, port, blockTimeMs: BLOCK_MS, wallClock: true, bare: options.bare });
  const provider = new JsonRpcProvider(chain.rpcUrl, CHAIN_ID, { staticNetwork: true });
  try {
    if (!options.logging) await provider.send('hardhat_setLoggingEnabled', [false]);
    await provider.send('evm_setAutomine', [true]);
    const deployer = new NonceManager(devWallet(0, provider));
    const token = await (await new TestERC20__factory(deployer).deploy('Bench', 'BNCH', 6)).waitForDeployment();
    const senders = Array.from({ length: SENDERS }, (_, i) => new Wallet(devWallet(5 + i).privateKey, provider));
    for (const s of senders) await (await token.mint(s.address, parseUnits('1000000', 6))).wait();
    await provider.send('evm_setAutomine', [false]);
    const nonces = await Promise.all(senders.map((s) => provider.getTransactionCount(s.address)));
    const fee = { maxFeePerGas: parseUnits('10', 'gwei'), maxPriorityFeePerGas: 1n, gasLimit: 60_000n, chainId: CHAIN_ID, type: 2 };
    const pid = chain.process.pid!;
    const rssStart = rssMb(pid);
    const cpuStart = cpuSeconds(pid);
    const startBlock = await provider.getBlockNumber();
    let sent = 0;
    let refused = 0;
    const inFlight = new Set<Promise<void>>();
    const started = Date.now();
    const total = RATE * SECONDS;
    // A reader like the relayer's and the aggregator's: a call at a block behind the head, every 100 ms.
    const reading = { on: options.historicalReads === true, calls: 0 };
    const reader = (async () => {
      while (reading.on) {
        const head = await provider.getBlockNumber();
        await token.balanceOf(senders[0]!.address, { blockTag: Math.max(head - 2, 0) });
        reading.calls++;
        await sleep(100);
      }
    })();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      if (due > Date.now()) await sleep(due - Date.now());
      const k = i % SENDERS;
      const data = token.interface.encodeFunctionData('transfer', [devWallet(30 + (i % 50)).address, 1n]);
      const raw = await senders[k]!.signTransaction({ ...fee, to: await token.getAddress(), data, nonce: nonces[k]!++ });
      const p: Promise<void> = provider
        .send('eth_sendRawTransaction', [raw])
        .then(
          () => void sent++,
          () => void refused++,
        )
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    reading.on = false;
    await reader;
    const sendSeconds = (Date.now() - started) / 1000;
    // Let the node mine what it accepted, then count it.
    let mined = 0;
    for (let tries = 0; tries < 60; tries++) {
      await sleep(1000);
      mined = 0;
      const head = await provider.getBlockNumber();
      for (let b = startBlock + 1; b <= head; b++) mined += (await provider.getBlock(b))!.transactions.length;
      if (mined >= sent) break;
    }
    const head = await provider.getBlockNumber();
    const wall = Math.floor((Date.now() - started) / 1000);
    const cpuMsPerTx = ((cpuSeconds(pid) - cpuStart) * 1000) / Math.max(mined, 1);
    return { variant, rssStart, rssEnd: rssMb(pid), cpuMsPerTx, sendSeconds, sent, refused, mined, lagBlocks: wall - (head - startBlock) };
  } finally {
    provider.destroy();
    await chain.stop();
  }
}

async function main(): Promise<void> {
  console.log(`node memory: ${RATE} ERC-20 transfers/s for ${SECONDS} s (${RATE * SECONDS}), ${SENDERS} senders, 1 s blocks`);
  const results = [
    await run('devnet project, request log on', 20200, { logging: true }),
    await run('devnet project, request log off', 20201, { logging: false }),
    await run('bare project, request log off', 20202, { logging: false, bare: true }),
    await run('bare project, log off, + a call 2 blocks deep every 100 ms', 20203, { logging: false, bare: true, historicalReads: true }),
  ];
  console.log('| node | node CPU per tx | accepted (tx/s) | RSS before → after (MB) | sent / refused / mined | blocks behind the clock |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results.filter((x): x is Result => x !== undefined)) {
    console.log(
      `| ${r.variant} | ${r.cpuMsPerTx.toFixed(2)} ms | ${(r.sent / r.sendSeconds).toFixed(0)} | ${r.rssStart.toFixed(0)} → ${r.rssEnd.toFixed(0)} | ${r.sent} / ${r.refused} / ${r.mined} | ${r.lagBlocks} |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
