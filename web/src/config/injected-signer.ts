import {
  AbstractSigner,
  BrowserProvider,
  type JsonRpcSigner,
  type Provider,
  type TransactionRequest,
  type TransactionResponse,
  type TypedDataDomain,
  type TypedDataField,
} from 'ethers';
import type { Config } from 'wagmi';
import { getAccount, getConnectorClient, switchChain } from 'wagmi/actions';

/**
 * The SDK's signer on one chain for an injected (browser) wallet connected through wagmi: reads and calls go to the
 * chain's own RPC (the SDK's provider); a transaction first switches the wallet to this chain, then the wallet signs
 * and sends it. Private keys stay in the wallet.
 */
export class InjectedChainSigner extends AbstractSigner {
  constructor(
    private readonly config: Config,
    private readonly chainId: number,
    private readonly address: string,
    provider: Provider | null,
  ) {
    super(provider);
  }

  connect(provider: Provider | null): InjectedChainSigner {
    return new InjectedChainSigner(this.config, this.chainId, this.address, provider);
  }

  async getAddress(): Promise<string> {
    return this.address;
  }

  override async sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    return (await this.wallet()).sendTransaction(tx);
  }

  override async signTransaction(): Promise<string> {
    throw new Error('a browser wallet signs and sends in one step: use sendTransaction');
  }

  async signMessage(message: string | Uint8Array): Promise<string> {
    return (await this.wallet()).signMessage(message);
  }

  async signTypedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>): Promise<string> {
    return (await this.wallet()).signTypedData(domain, types, value);
  }

  /** The wallet, switched to this chain (asks the user when it is on another). */
  private async wallet(): Promise<JsonRpcSigner> {
    if (getAccount(this.config).chainId !== this.chainId) await switchChain(this.config, { chainId: this.chainId });
    const client = await getConnectorClient(this.config, { chainId: this.chainId });
    return new BrowserProvider(client.transport, { chainId: this.chainId, name: client.chain.name }).getSigner(this.address);
  }
}
