import { Interface, type JsonRpcProvider } from 'ethers';
import type { TxJournal, TxRequest, TxSender } from '@tributary/service-kit';
import type { TradingReceipt } from '../chain/credit-contracts';
import { describeRevert } from '../credit/trading-chain';
import type { ChainObservation, ChainPosition, KeeperChain, SentTx } from './keeper-ports';

/** The calls the keeper makes and reads (docs/liquidation.md "On-chain interface"). */
export const PERP_ABI = new Interface([
  'function marketCount() view returns (uint32)',
  'function position(address account, uint32 marketId) view returns (tuple(int128 size, uint128 entryPrice, uint128 margin))',
  'function liquidate(address account, uint256 fraction) returns (uint64 liquidationId, uint256 penalty)',
  'function liquidationPenalty() view returns (uint256)',
]);
export const HUB_ABI = new Interface([
  'function activeLiquidation(address account) view returns (uint64)',
  'function liquidation(uint64 liquidationId) view returns (tuple(address account, uint40 openedAt, bool closed, uint32 seizures))',
  'function seizuresInFlight(address account) view returns (uint256)',
  'function debtInFlight(address account) view returns (uint256)',
  'function uncoveredDebt(address account) view returns (uint256)',
  'function collateralExhausted(address account) view returns (bool)',
  'function quoteSeize(address account) view returns (uint32 eid, uint16 assetId, uint256 amount, uint256 debtUsd, uint256 nativeFee)',
  'function openLiquidation(address account) returns (uint64)',
  'function closeLiquidation(address account)',
  'function seize(address account) payable returns (uint64)',
]);
export const POOL_ABI = new Interface([
  'function cashOf(address account) view returns (int256)',
  'function badDebtOf(address account) view returns (uint256)',
]);
export const FUND_ABI = new Interface(['function cover(address account) returns (uint256 paidUsd, uint256 badDebt)']);
export const CREDIT_ABI = new Interface(['function isLiquidatable(address account) view returns (bool)']);

export interface KeeperAddresses {
  creditManager: string;
  perpMarket: string;
  hub: string;
  settlementPool: string;
  insuranceFund: string;
}

/**
 * The keeper's view of the trading chain over JSON-RPC: one read per fact (PerpMarket positions, CreditManager
 * mark, SettlementPool cash and bad debt, MarginHub liquidation registry), requests simulated with
 * eth_estimateGas (a revert is thrown decoded, nothing sent), sends through the liquidator's TxSender.
 */
export class EthersKeeperChain implements KeeperChain {
  readonly disabledReason = null;

  constructor(
    private readonly provider: JsonRpcProvider,
    private readonly a: KeeperAddresses,
    private readonly sender: TxSender<TradingReceipt>,
  ) {}

  private async read<T>(iface: Interface, to: string, fn: string, args: unknown[]): Promise<T> {
    const data = iface.encodeFunctionData(fn, args);
    const result = iface.decodeFunctionResult(fn, await this.provider.call({ to, data }));
    return (result.length === 1 ? result[0] : result) as T;
  }

  async liquidationPenalty(): Promise<bigint> {
    return this.read<bigint>(PERP_ABI, this.a.perpMarket, 'liquidationPenalty', []);
  }

  async observe(account: string): Promise<ChainObservation> {
    const count = Number(await this.read<bigint>(PERP_ABI, this.a.perpMarket, 'marketCount', []));
    const [positions, marked, cash, badDebt, active, inFlight, inFlightDebt, uncovered, minedNonce] = await Promise.all([
      Promise.all(
        Array.from({ length: count }, async (_, marketId): Promise<ChainPosition> => {
          const p = await this.read<{ size: bigint }>(PERP_ABI, this.a.perpMarket, 'position', [account, marketId]);
          return { marketId, size: p.size };
        }),
      ),
      this.read<boolean>(CREDIT_ABI, this.a.creditManager, 'isLiquidatable', [account]),
      this.read<bigint>(POOL_ABI, this.a.settlementPool, 'cashOf', [account]),
      this.read<bigint>(POOL_ABI, this.a.settlementPool, 'badDebtOf', [account]),
      this.read<bigint>(HUB_ABI, this.a.hub, 'activeLiquidation', [account]),
      this.read<bigint>(HUB_ABI, this.a.hub, 'seizuresInFlight', [account]),
      this.read<bigint>(HUB_ABI, this.a.hub, 'debtInFlight', [account]),
      this.read<bigint>(HUB_ABI, this.a.hub, 'uncoveredDebt', [account]),
      this.provider.getTransactionCount(this.sender.address, 'latest'),
    ]);
    const liquidation = active ? await this.read<{ seizures: bigint }>(HUB_ABI, this.a.hub, 'liquidation', [active]) : null;
    const canSeize =
      active !== 0n &&
      uncovered > 0n &&
      (await this.read(HUB_ABI, this.a.hub, 'quoteSeize', [account]).then(
        () => true,
        () => false,
      ));
    const exhausted = active !== 0n && (await this.read<boolean>(HUB_ABI, this.a.hub, 'collateralExhausted', [account]));
    return {
      marked,
      positions: positions.filter((p) => p.size !== 0n),
      cash,
      badDebt,
      activeLiquidation: active,
      seizureCount: Number(liquidation?.seizures ?? 0n),
      inFlightDebt,
      inFlight: inFlight > 0n,
      canSeize,
      exhausted,
      minedNonce,
    };
  }

  liquidateRequest(account: string, fractionWad: bigint): Promise<TxRequest> {
    return this.simulate(this.a.perpMarket, PERP_ABI.encodeFunctionData('liquidate', [account, fractionWad]));
  }

  openRequest(account: string): Promise<TxRequest> {
    return this.simulate(this.a.hub, HUB_ABI.encodeFunctionData('openLiquidation', [account]));
  }

  async seizeRequest(account: string): Promise<TxRequest> {
    const quote = await this.read<{ nativeFee: bigint }>(HUB_ABI, this.a.hub, 'quoteSeize', [account]).catch((error: unknown) => {
      throw new Error(describeRevert(error, HUB_ABI));
    });
    return this.simulate(this.a.hub, HUB_ABI.encodeFunctionData('seize', [account]), quote.nativeFee);
  }

  settleRequest(account: string): Promise<TxRequest> {
    return this.simulate(this.a.insuranceFund, FUND_ABI.encodeFunctionData('cover', [account]));
  }

  closeRequest(account: string): Promise<TxRequest> {
    return this.simulate(this.a.hub, HUB_ABI.encodeFunctionData('closeLiquidation', [account]));
  }

  async send(request: TxRequest, journal: TxJournal): Promise<SentTx> {
    const mined = await this.sender.sendAndWait(request, journal);
    return { hash: mined.hash, reverted: mined.reverted };
  }

  rebroadcast(raw: string): Promise<void> {
    return this.sender.rebroadcast(raw);
  }

  private async simulate(to: string, data: string, value?: bigint): Promise<TxRequest> {
    try {
      const gas = await this.provider.estimateGas({ from: this.sender.address, to, data, value });
      return { to, data, value, gasLimit: (gas * 13n) / 10n + 30_000n };
    } catch (error) {
      throw new Error(describeRevert(error, PERP_ABI, HUB_ABI, FUND_ABI));
    }
  }
}
