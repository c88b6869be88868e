import type { Interface, JsonRpcProvider } from 'ethers';
import {
  ICreditManager__factory,
  IInsuranceFund__factory,
  ILiquidationRegistry__factory,
  IMarginHub__factory,
  IPerpMarket__factory,
  ISettlementPool__factory,
} from '@tributary/contracts';
import type { TxJournal, TxRequest, TxSender } from '@tributary/service-kit';
import type { TradingReceipt } from '../chain/credit-contracts';
import { describeRevert } from '../credit/trading-chain';
import type { ChainObservation, ChainPosition, KeeperChain, SentTx } from './keeper-ports';

/** The interfaces of the calls the keeper makes and reads (docs/liquidation.md "On-chain interface"). */
export const PERP_ABI = IPerpMarket__factory.createInterface();
export const HUB_ABI = IMarginHub__factory.createInterface();
export const REGISTRY_ABI = ILiquidationRegistry__factory.createInterface();
export const POOL_ABI = ISettlementPool__factory.createInterface();
export const FUND_ABI = IInsuranceFund__factory.createInterface();
export const CREDIT_ABI = ICreditManager__factory.createInterface();

export interface KeeperAddresses {
  creditManager: string;
  perpMarket: string;
  hub: string;
  liquidationRegistry: string;
  settlementPool: string;
  insuranceFund: string;
}

/**
 * The keeper's view of the trading chain over JSON-RPC: one read per fact (PerpMarket positions, CreditManager
 * mark, SettlementPool cash and bad debt, LiquidationRegistry, MarginHub seizures in flight), requests simulated with
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
      this.read<bigint>(REGISTRY_ABI, this.a.liquidationRegistry, 'activeLiquidation', [account]),
      this.read<bigint>(HUB_ABI, this.a.hub, 'seizuresInFlight', [account]),
      this.read<bigint>(HUB_ABI, this.a.hub, 'debtInFlight', [account]),
      this.read<bigint>(REGISTRY_ABI, this.a.liquidationRegistry, 'uncoveredDebt', [account]),
      this.provider.getTransactionCount(this.sender.address, 'latest'),
    ]);
    const liquidation = active ? await this.read<{ seizures: bigint }>(REGISTRY_ABI, this.a.liquidationRegistry, 'liquidation', [active]) : null;
    const canSeize =
      active !== 0n &&
      uncovered > 0n &&
      (await this.read(HUB_ABI, this.a.hub, 'quoteSeize', [account]).then(
        () => true,
        () => false,
      ));
    const exhausted = active !== 0n && (await this.read<boolean>(REGISTRY_ABI, this.a.liquidationRegistry, 'collateralExhausted', [account]));
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
    return this.simulate(this.a.liquidationRegistry, REGISTRY_ABI.encodeFunctionData('openLiquidation', [account]));
  }

  async seizeRequest(account: string): Promise<TxRequest> {
    const quote = await this.read<{ nativeFee: bigint }>(HUB_ABI, this.a.hub, 'quoteSeize', [account]).catch((error: unknown) => {
      throw new Error(describeRevert(error, HUB_ABI, REGISTRY_ABI));
    });
    return this.simulate(this.a.hub, HUB_ABI.encodeFunctionData('seize', [account]), quote.nativeFee);
  }

  settleRequest(account: string): Promise<TxRequest> {
    return this.simulate(this.a.insuranceFund, FUND_ABI.encodeFunctionData('cover', [account]));
  }

  closeRequest(account: string): Promise<TxRequest> {
    return this.simulate(this.a.liquidationRegistry, REGISTRY_ABI.encodeFunctionData('closeLiquidation', [account]));
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
      throw new Error(describeRevert(error, PERP_ABI, HUB_ABI, REGISTRY_ABI, FUND_ABI, CREDIT_ABI));
    }
  }
}
