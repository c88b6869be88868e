import { formatEther, getAddress } from 'ethers';
import { MessageType } from '@tributary/protocol';
import { ensureAllowance, read, transact, waitStage, type TraderContext } from '../chain/context';
import { creditInLine, onChainCredit } from '../chain/credit';
import { TributaryError } from '../core/errors';
import { Operation, type StageListener } from '../core/operation';
import { formatAmount, parseAmount, usd } from '../core/units';

export interface DepositParams {
  /** Collateral chain name (manifest), e.g. `collateral-a`. */
  chain: string;
  /** Asset symbol, e.g. `USDC`. */
  asset: string;
  /** Human amount, e.g. `"1000"`. */
  amount: string;
  /** Account credited (default: the trader). */
  recipient?: string;
}

export interface DepositResult {
  account: string;
  chain: string;
  asset: string;
  amount: string;
  txHash: string;
  /** Vault sequence of the attestation the deposit sent. */
  sequence: string;
  /** The account's balance of this asset on this chain as the hub holds it now (human units). */
  hubBalance: string;
  /** Credit on the trading chain once it counts the deposit (USD). */
  creditLimit: number;
  availableCredit: number;
  /** Whether a credit push happened after the deposit was sent (false: the limit was already in line). */
  pushed: boolean;
}

/**
 * Deposit: checks (listed asset, vault not paused, balance, cap, native fee), approve when needed, `vault.deposit`
 * paying `vault.quote(ATTEST)`, then follows it: sent → confirmed (vault sequence) → delivered (the hub applied the
 * attestation) → indexed (the aggregator's ledger has it) → credited (the trading chain's credit agrees with the
 * aggregator's risk counting it).
 */
export function deposit(ctx: TraderContext, params: DepositParams, listener?: StageListener): Operation<DepositResult> {
  return new Operation(
    'deposit',
    async (recorder) => {
      const d = ctx.deployment;
      const chain = d.collateralChain(params.chain);
      const asset = d.chainAsset(chain, params.asset);
      const amount = parseAmount(params.amount, asset.decimals);
      const account = getAddress(params.recipient ?? ctx.address);
      const signer = ctx.signer(chain);
      const vault = d.vault(chain, signer);
      const vaultAddress = chain.contracts.vault!;
      const token = d.token(chain, asset.token, signer);
      const human = `${params.amount} ${asset.symbol}`;

      const [config, paused, balance, fee, native, creditBefore] = await read(`deposit on ${chain.name}`, () =>
        Promise.all([
          vault.assetConfig(asset.assetId),
          vault.paused(),
          token.balanceOf(ctx.address),
          vault.quote(MessageType.Attest),
          d.provider(chain).getBalance(ctx.address),
          onChainCredit(ctx, account),
        ]),
      );
      if (!config.listed) throw new TributaryError('unlisted-asset', `${asset.symbol} is not listed by the vault on ${chain.name}`);
      if (paused) throw new TributaryError('vault-paused', `the vault on ${chain.name} is paused: deposits resume when its guardian unpauses it`);
      if (balance < amount)
        throw new TributaryError(
          'insufficient-balance',
          `${ctx.address} holds ${formatAmount(balance, asset.decimals)} ${asset.symbol} on ${chain.name}; the deposit needs ${params.amount}`,
          { held: balance.toString(), needed: amount.toString() },
        );
      if (config.totalDeposits + amount > config.depositCap)
        throw new TributaryError(
          'deposit-cap',
          `the vault on ${chain.name} takes at most ${formatAmount(config.depositCap - config.totalDeposits, asset.decimals)} more ${asset.symbol}`,
        );
      if (native < fee)
        throw new TributaryError(
          'insufficient-native',
          `the LayerZero fee is ${formatEther(fee)} native on ${chain.name}; ${ctx.address} holds ${formatEther(native)}`,
        );

      await ensureAllowance(recorder, token, ctx.address, vaultAddress, amount, `deposit ${human}`);
      const receipt = await transact(
        recorder,
        `deposit ${human} on ${chain.name}`,
        chain,
        () => vault.deposit(asset.assetId, amount, account, { value: fee }),
        {
          fee: formatEther(fee),
        },
      );
      const attested = receipt.logs.map((log) => vault.interface.parseLog(log)).find((parsed) => parsed?.name === 'BalanceAttested');
      if (!attested) throw new TributaryError('reverted', `deposit ${receipt.hash}: no BalanceAttested event`);
      const sequence = attested.args.sequence as bigint;
      recorder.stage('confirmed', {
        block: receipt.blockNumber,
        sequence: sequence.toString(),
        vaultBalance: formatAmount(attested.args.balance as bigint, asset.decimals),
      });

      const hub = d.hub();
      const applied = await waitStage(
        ctx,
        'delivered',
        `the hub on ${d.trading.name} to apply attestation ${sequence} from ${chain.name}`,
        async () => {
          const a = await hub.attestation(account, chain.eid, asset.assetId);
          return a.sequence >= sequence ? a : undefined;
        },
        'is the relayer running?',
      );
      recorder.stage('delivered', { hubBalance: formatAmount(applied.balance, asset.decimals), hubSequence: applied.sequence.toString() });

      const row = await waitStage(
        ctx,
        'indexed',
        `the aggregator's ledger to show attestation ${sequence}`,
        async () => {
          const ledger = await ctx.api.account(account);
          const found = ledger?.collateral.find((c) => c.eid === chain.eid && c.assetId === asset.assetId);
          return found && BigInt(found.sequence) >= sequence ? found : undefined;
        },
        'is the aggregator indexing the trading chain?',
      );
      recorder.stage('indexed', { ledgerBalance: formatAmount(BigInt(row.balance), asset.decimals), attestedBlock: row.attestedBlock });

      const expected = Number(formatAmount(applied.balance, asset.decimals));
      let frozen = '';
      const credited = await waitStage(
        ctx,
        'credited',
        `the credit on ${d.trading.name} to count the deposit`,
        async () => {
          const risk = await ctx.api.accountRisk(account);
          if (!risk) return undefined;
          frozen = risk.frozen.map((f) => `${f.symbol} ${f.reason}: ${f.detail}`).join('; ');
          const counted = risk.inputs.balances.find((b) => b.eid === chain.eid && b.assetId === asset.assetId);
          if (!counted || Math.abs(counted.amount - expected) > 1e-9 * Math.max(1, expected)) return undefined;
          const credit = await onChainCredit(ctx, account);
          return creditInLine(credit, risk.result.creditLimit) ? { credit, risk } : undefined;
        },
        () => (frozen ? `credit increases are frozen: ${frozen}` : 'is the aggregator pushing credit?'),
        ctx.timeouts.creditMs,
      );
      const pushed = credited.credit.updatedAt > creditBefore.updatedAt;
      recorder.stage('credited', {
        creditLimit: usd(credited.credit.limit),
        availableCredit: usd(credited.credit.available),
        riskCreditLimit: credited.risk.result.creditLimit,
        pushed,
      });
      return {
        account,
        chain: chain.name,
        asset: asset.symbol,
        amount: params.amount,
        txHash: receipt.hash,
        sequence: sequence.toString(),
        hubBalance: formatAmount(applied.balance, asset.decimals),
        creditLimit: usd(credited.credit.limit),
        availableCredit: usd(credited.credit.available),
        pushed,
      };
    },
    listener,
  );
}
