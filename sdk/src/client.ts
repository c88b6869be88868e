import { Wallet, getAddress, type Signer } from 'ethers';
import type { Manifest, ManifestChain } from '@tributary/protocol';
import { maxWithdrawable, readAccount, type AccountSummary, type MaxWithdrawable } from './margin/account';
import { repay, withdrawCash, type CashResult } from './actions/cash';
import { deposit, type DepositParams, type DepositResult } from './actions/deposit';
import { quote, type FeeQuote, type QuoteParams } from './actions/quote';
import { close, trade, type TradeParams, type TradeResult } from './actions/trade';
import { withdraw, type WithdrawParams, type WithdrawResult } from './actions/withdraw';
import { AggregatorApi, type FetchLike } from './api/aggregator-api';
import type { RiskRequestBody } from './api/types';
import { DEFAULT_TIMEOUTS, type TraderContext, type Timeouts } from './chain/context';
import { Deployment, type DeploymentOptions } from './chain/deployment';
import { TributaryError } from './core/errors';
import { AccountSubscription, type SubscribeOptions } from './api/events';
import type { Operation, StageListener } from './core/operation';
import { whatIf, type WhatIfChange, type WhatIfResult } from './margin/what-if';

export interface TributaryClientOptions extends DeploymentOptions {
  /** The deployment manifest: parsed, or a path to its JSON. */
  manifest: Manifest | string;
  /** The aggregator's base URL, e.g. http://127.0.0.1:3000. */
  aggregatorUrl: string;
  /** The trader's key (0x…): the same account on every chain. Or `signer` instead. */
  privateKey?: string;
  /** The trader's signer on a chain, for keys held elsewhere; `provider` is the SDK's provider of that chain. */
  signer?: (chain: ManifestChain, provider: ReturnType<Deployment['provider']>) => Signer;
  /** The trader's address when `signer` is given (read-only use needs only this). */
  address?: string;
  timeouts?: Partial<Timeouts>;
  fetch?: FetchLike;
}

/**
 * A trader's client of one Tributary deployment: deposit, withdraw, trade, close, withdraw cash, repay (each an
 * `Operation` whose stages can be followed and awaited), read the unified account, ask what-if and the maximum
 * withdrawable, and subscribe to the account's event stream.
 */
export class TributaryClient {
  readonly deployment: Deployment;
  readonly api: AggregatorApi;
  readonly address: string;
  private readonly context: TraderContext;
  private readonly signers = new Map<number, Signer>();

  constructor(options: TributaryClientOptions) {
    this.deployment = typeof options.manifest === 'string' ? Deployment.load(options.manifest, options) : new Deployment(options.manifest, options);
    this.api = new AggregatorApi(options.aggregatorUrl, options.fetch);
    const key = options.privateKey;
    let makeSigner: (chain: ManifestChain) => Signer;
    if (key) {
      let wallet: Wallet;
      try {
        wallet = new Wallet(key);
      } catch {
        throw new TributaryError('invalid-argument', 'the private key is not a 32-byte hex key');
      }
      this.address = wallet.address;
      makeSigner = (chain) => wallet.connect(this.deployment.provider(chain));
    } else if (options.signer && options.address) {
      this.address = getAddress(options.address);
      makeSigner = (chain) => options.signer!(chain, this.deployment.provider(chain));
    } else if (options.address) {
      this.address = getAddress(options.address);
      makeSigner = () => {
        throw new TributaryError('invalid-argument', 'this client is read-only: give it a privateKey or a signer');
      };
    } else {
      throw new TributaryError('invalid-argument', 'give the client a privateKey, a signer with its address, or an address (read-only)');
    }
    const signers = this.signers;
    this.context = {
      deployment: this.deployment,
      api: this.api,
      address: this.address,
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
      signer(chain) {
        let signer = signers.get(chain.eid);
        if (!signer) signers.set(chain.eid, (signer = makeSigner(chain)));
        return signer;
      },
    };
  }

  deposit(params: DepositParams, onStage?: StageListener): Operation<DepositResult> {
    return deposit(this.context, params, onStage);
  }

  withdraw(params: WithdrawParams, onStage?: StageListener): Operation<WithdrawResult> {
    return withdraw(this.context, params, onStage);
  }

  trade(params: TradeParams, onStage?: StageListener): Operation<TradeResult> {
    return trade(this.context, params, onStage);
  }

  /** Closes the whole position on `asset`'s market. */
  closePosition(params: { asset: string }, onStage?: StageListener): Operation<TradeResult> {
    return close(this.context, params, onStage);
  }

  withdrawCash(params: { amount: string }, onStage?: StageListener): Operation<CashResult> {
    return withdrawCash(this.context, params, onStage);
  }

  repay(params: { amount: string; account?: string }, onStage?: StageListener): Operation<CashResult> {
    return repay(this.context, params, onStage);
  }

  /** What an action costs besides gas (LayerZero fee, trading fee), before it is sent. */
  quote(params: QuoteParams): Promise<FeeQuote> {
    return quote(this.context, params);
  }

  account(address = this.address): Promise<AccountSummary> {
    return readAccount(this.context, address);
  }

  whatIf(changes: WhatIfChange | WhatIfChange[], options: { account?: string; params?: RiskRequestBody['params'] } = {}): Promise<WhatIfResult> {
    return whatIf(this.context, options.account ?? this.address, Array.isArray(changes) ? changes : [changes], options.params);
  }

  maxWithdrawable(params: { chain: string; asset: string; account?: string }): Promise<MaxWithdrawable> {
    return maxWithdrawable(this.context, params);
  }

  /** The account's live event stream (GET /v1/accounts/:a/events); `close()` it when done. */
  subscribe(options: SubscribeOptions & { account?: string } = {}): AccountSubscription {
    return new AccountSubscription(this.api, getAddress(options.account ?? this.address), options);
  }

  /** Stops the providers' polling (the process can exit). */
  close(): void {
    this.deployment.close();
  }
}
