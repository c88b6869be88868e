/**
 * Per-account gas of CreditManager.pushCreditLimits for batch sizes 1, 10, 100, 500: paired updates (both halves
 * of every slot change), one-half updates (every other index: a lone account per slot), first pushes (new
 * indices), next to yardsticks measured in the same run: one cold SSTORE per account (0 → nonzero and
 * nonzero → nonzero) and the pre-packing layout (one slot per account, one event per account).
 * Per account = (batch − the same kind of call with no entries, same state) / accounts.
 * Run: npx hardhat run bench/credit-push.ts (in-process network, no ports).
 */
import { ethers } from 'hardhat';
import { parseEther, type ContractTransactionResponse } from 'ethers';
import { deployCreditManager, grantCreditRoles, packCreditEntry, pushCredit } from '../lib';
import { CreditPushYardstick__factory } from '../typechain-types';

const SIZES = [1, 10, 100, 500];

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  return Number((await (await tx).wait())!.gasUsed);
}

async function main(): Promise<void> {
  const [admin, pusher] = await ethers.getSigners();
  const rows: string[][] = [];
  let next = 1;
  for (const n of SIZES) {
    // A fresh CreditManager per size (unlimited guard) and 2n accounts: n paired, then n lone.
    const cm = await deployCreditManager(admin, { staleAfterSeconds: 3600, guardCapacity: 1n << 127n, guardRefillPerSecond: 0n });
    await grantCreditRoles(cm, { pusher: pusher.address, market: admin.address, hub: admin.address });
    const c = cm.connect(pusher);
    const accounts = Array.from({ length: 2 * n }, () => ethers.getAddress('0x' + 'dd'.repeat(16) + (next++).toString(16).padStart(8, '0')));
    let epoch = 0;
    const push = (list: string[], base: bigint) =>
      gasOf(
        pushCredit(
          c,
          ++epoch,
          list.map((a) => packCreditEntry(a, base)),
        ),
      );
    // Epoch timestamps are six to a slot (epoch / 6): `measure` keeps a push and its baseline (an empty push
    // right after it) off an epoch that opens a slot, so both pay nonzero → nonzero for the timestamp.
    await push([], 0n); // epoch 1 opens the first timestamp slot
    const measure = async (list: string[], base: bigint): Promise<number> => {
      while ((epoch + 1) % 6 === 0 || (epoch + 2) % 6 === 0) await push([], 0n);
      return (await push(list, base)) - (await push([], 0n));
    };
    // ≤ 250 accounts per transaction (500 first pushes exceed a transaction's gas cap).
    const chunked = async (list: string[], base: bigint): Promise<number> => {
      let total = 0;
      for (let i = 0; i < list.length; i += 250) total += await measure(list.slice(i, i + 250), base);
      return total;
    };
    const first = await chunked(accounts.slice(0, n), parseEther('100'));
    await chunked(accounts.slice(n), parseEther('100')); // indexes the rest (not used)
    const paired = await measure(accounts.slice(0, n), parseEther('90'));
    const lone = await measure(
      accounts.filter((_, i) => i % 2 === 0),
      parseEther('80'),
    );
    const y = await new CreditPushYardstick__factory(admin).deploy();
    const keys = Array.from({ length: n }, (_, i) => BigInt(i + 1));
    const storeEmpty = await gasOf(y.store([], 1n));
    const sstoreFresh = await gasOf(y.store(keys, 1n));
    const sstoreUpdate = await gasOf(y.store(keys, 2n));
    const legacyEntries = (base: bigint) => accounts.slice(0, n).map((a) => packCreditEntry(a, base));
    const legacyEmpty = await gasOf(y.legacyPush(1, []));
    const legacyFirst = await gasOf(y.legacyPush(2, legacyEntries(parseEther('100'))));
    const legacyUpdate = await gasOf(y.legacyPush(3, legacyEntries(parseEther('90'))));

    const per = (total: number, base: number, count: number) => String(Math.round((total - base) / count));
    rows.push([
      String(n),
      per(paired, 0, n),
      per(lone, 0, n),
      per(first, 0, n),
      per(sstoreUpdate, storeEmpty, n),
      per(sstoreFresh, storeEmpty, n),
      per(legacyUpdate, legacyEmpty, n),
      per(legacyFirst, legacyEmpty, n),
    ]);
  }
  const head = ['accounts', 'paired', 'one-half', 'first push', 'SSTORE nz→nz', 'SSTORE 0→nz', 'old update', 'old first'];
  console.log('credit push gas per account (target: update ≤ 5,500)');
  console.log(head.map((h) => h.padStart(13)).join(''));
  for (const r of rows) console.log(r.map((v) => v.padStart(13)).join(''));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
