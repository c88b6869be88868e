import { formatEther } from 'ethers';
import { MessageType } from '@tributary/protocol';
import { read, type TraderContext } from '../chain/context';
import { TributaryError } from '../core/errors';
import { parseAmount, parseSize, usd } from '../core/units';

/** An action to price before it is sent; amounts and sizes as in the actions (human units; a size is signed). */
export type QuoteParams =
  | { action: 'deposit'; chain: string; asset: string; amount: string }
  | { action: 'withdraw'; chain: string; asset: string; amount: string }
  | { action: 'trade'; asset: string; size: string }
  | { action: 'close'; asset: string }
  | { action: 'withdraw-cash'; amount: string }
  | { action: 'repay'; amount: string };

/** What an action costs besides gas: the LayerZero fee sent with it and the perp market's taker fee. */
export interface FeeQuote {
  action: QuoteParams['action'];
  /** The chain the transaction is sent on (its gas and any messaging fee are paid there, in its native token). */
  chain: string;
  /** LayerZero fee sent with the transaction (native, human units; "0" when the action sends no message). */
  messagingFee: string;
  messagingFeeWei: string;
  /** The trader's native balance on that chain (human units). */
  nativeBalance: string;
  /** Taker fee charged to cash (USD) for a trade or a close at the market's price now; null for other actions. */
  tradingFeeUsd: number | null;
  /** Notional of the trade at the price now (USD); null for other actions. */
  notionalUsd: number | null;
  /** What the fee covers, in a sentence. */
  covers: string;
}

/**
 * Prices an action without sending it: a deposit pays `vault.quote(ATTEST)`, a withdrawal
 * `vault.quote(WITHDRAW_REQUEST)` (the whole round trip: request, decision and release, paid up front); a trade or a
 * close pays the market's fee rate on |size| × price to cash; cash actions send no message.
 */
export async function quote(ctx: TraderContext, params: QuoteParams): Promise<FeeQuote> {
  const d = ctx.deployment;
  if (params.action === 'deposit' || params.action === 'withdraw') {
    const chain = d.collateralChain(params.chain);
    const asset = d.chainAsset(chain, params.asset);
    parseAmount(params.amount, asset.decimals);
    const type = params.action === 'deposit' ? MessageType.Attest : MessageType.WithdrawRequest;
    const [fee, native] = await read(`quoting a ${params.action} on ${chain.name}`, () =>
      Promise.all([d.vault(chain).quote(type), d.provider(chain).getBalance(ctx.address)]),
    );
    return {
      action: params.action,
      chain: chain.name,
      messagingFee: formatEther(fee),
      messagingFeeWei: fee.toString(),
      nativeBalance: formatEther(native),
      tradingFeeUsd: null,
      notionalUsd: null,
      covers:
        params.action === 'deposit'
          ? `the attestation from ${chain.name} to the hub on ${d.trading.name}`
          : `the request to the hub, its decision and the release on ${chain.name} (the whole round trip, paid up front)`,
    };
  }
  const native = await read(`native balance on ${d.trading.name}`, () => d.provider(d.trading).getBalance(ctx.address));
  const base = { chain: d.trading.name, messagingFee: '0', messagingFeeWei: '0', nativeBalance: formatEther(native) };
  if (params.action === 'withdraw-cash' || params.action === 'repay') {
    parseAmount(params.amount, 18);
    return { ...base, action: params.action, tradingFeeUsd: null, notionalUsd: null, covers: 'no message and no fee: gas only' };
  }
  const market = await read('reading perp markets', () => d.market(params.asset));
  const perp = d.perpMarket();
  let size: bigint;
  if (params.action === 'close') {
    const position = await read('reading the position', () => perp.position(ctx.address, market.marketId));
    if (position.size === 0n) throw new TributaryError('no-position', `${ctx.address} has no ${market.symbol} position`);
    size = -position.size;
  } else size = parseSize(params.size);
  const price = usd(await read(`price of ${market.symbol}`, () => perp.price(market.marketId)));
  const notional = Math.abs(usd(size)) * price;
  return {
    ...base,
    action: params.action,
    tradingFeeUsd: notional * market.feeRate,
    notionalUsd: notional,
    covers: `the ${market.symbol} market's taker fee (${(market.feeRate * 100).toFixed(3)} % of the notional), charged to cash`,
  };
}
