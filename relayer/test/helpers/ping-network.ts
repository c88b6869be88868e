import { JsonRpcProvider, NonceManager, type Signer } from 'ethers';
import {
  PingOApp__factory,
  RelayerWorker__factory,
  addressToBytes32,
  deployEndpoint,
  devWallet,
  lzContract,
  lzReceiveOptions,
  wireDefaultPathway,
  type EndpointDeployment,
  type PingOApp,
} from '@tributary/contracts';
import type { RelayerConfigInput } from '../../src/config/relayer-config.schema';

/** Dev accounts by role (distinct per role: nonces never clash). */
export const ACCOUNTS = { deployer: 0, trader: 7 } as const;
/** The relayer's signer on the chain at position i of the network. */
export const relayerAccount = (i: number): number => 1 + i;
/** The independent verifier's signer on the chain at position i (networks deployed with `secondDvn`). */
export const verifierAccount = (i: number): number => 10 + i;

export interface PingChainSpec {
  name: string;
  eid: number;
  chainId: number;
  rpcUrl: string;
  confirmations: number;
}

export interface PingChain {
  spec: PingChainSpec;
  provider: JsonRpcProvider;
  endpoint: EndpointDeployment;
  worker: string;
  app: PingOApp;
  relayerAddress: string;
  relayerKey: string;
  /** With `secondDvn`: the verifier's worker (send side) and key (receive side), both required DVNs. */
  verifierWorker?: string;
  verifierAddress?: string;
  verifierKey?: string;
}

export interface PingNetwork {
  chains: PingChain[];
  byEid(eid: number): PingChain;
  relayerConfig(overrides?: {
    pollIntervalMs?: number;
    rpcUrls?: Record<number, string>;
    maxExecuteAttempts?: number;
    executeGasOverhead?: number;
    chainSteps?: boolean;
  }): RelayerConfigInput;
  /** RELAYER_PRIVATE_KEY_<NAME> for each chain. */
  keyEnv(): Record<string, string>;
  /** With `secondDvn`: the verifier's config (its own worker, nothing chained) and VERIFIER_PRIVATE_KEY_<NAME>. */
  verifierConfig(overrides?: { pollIntervalMs?: number }): RelayerConfigInput;
  verifierKeyEnv(): Record<string, string>;
  close(): void;
}

const providerCache = new Map<string, JsonRpcProvider>();
function providerFor(spec: PingChainSpec): JsonRpcProvider {
  const key = spec.rpcUrl;
  let provider = providerCache.get(key);
  if (!provider) {
    provider = new JsonRpcProvider(spec.rpcUrl, spec.chainId, { staticNetwork: true, cacheTimeout: -1 });
    provider.pollingInterval = 100;
    providerCache.set(key, provider);
  }
  return provider;
}

/**
 * Real EndpointV2 + ULN302 per eid (several eids may share one node), our RelayerWorker as send-side DVN
 * and executor, the relayer's key as the receive-side DVN, and a PingOApp per eid wired to every other.
 */
export async function deployPingNetwork(specs: PingChainSpec[], options: { secondDvn?: boolean } = {}): Promise<PingNetwork> {
  const deployers = new Map<string, Signer>();
  const deployerFor = (spec: PingChainSpec) => {
    let signer = deployers.get(spec.rpcUrl);
    if (!signer) deployers.set(spec.rpcUrl, (signer = new NonceManager(devWallet(ACCOUNTS.deployer, providerFor(spec)))));
    return signer;
  };
  const chains: PingChain[] = [];
  for (const [i, spec] of specs.entries()) {
    const deployer = deployerFor(spec);
    const owner = await deployer.getAddress();
    const endpoint = await deployEndpoint(deployer, spec.eid);
    const worker = await new RelayerWorker__factory(deployer).deploy(owner, [endpoint.sendUln302]);
    await worker.waitForDeployment();
    const app = await new PingOApp__factory(deployer).deploy(endpoint.endpoint, owner);
    await app.waitForDeployment();
    const relayer = devWallet(relayerAccount(i));
    const second = options.secondDvn ? await new RelayerWorker__factory(deployer).deploy(owner, [endpoint.sendUln302]) : undefined;
    await second?.waitForDeployment();
    const verifier = options.secondDvn ? devWallet(verifierAccount(i)) : undefined;
    chains.push({
      ...(second && verifier
        ? { verifierWorker: await second.getAddress(), verifierAddress: verifier.address, verifierKey: verifier.privateKey }
        : {}),
      spec,
      provider: providerFor(spec),
      endpoint,
      worker: await worker.getAddress(),
      app,
      relayerAddress: relayer.address,
      relayerKey: relayer.privateKey,
    });
  }
  for (const local of chains) {
    const deployer = deployerFor(local.spec);
    const worker = RelayerWorker__factory.connect(local.worker, deployer);
    for (const remote of chains) {
      if (remote === local) continue;
      await (await worker.setDstConfig(remote.spec.eid, { enabled: true, dvnFee: 1000n, executorFee: 2000n })).wait();
      if (local.verifierWorker)
        await (
          await RelayerWorker__factory.connect(local.verifierWorker, deployer).setDstConfig(remote.spec.eid, {
            enabled: true,
            dvnFee: 1000n,
            executorFee: 0n,
          })
        ).wait();
      await wireDefaultPathway(deployer, local.endpoint, {
        remoteEid: remote.spec.eid,
        confirmations: local.spec.confirmations,
        sendDvns: [local.worker, ...(local.verifierWorker ? [local.verifierWorker] : [])],
        // The relayer's key on this (destination) chain verifies packets coming from `remote` (and the verifier's, with two DVNs).
        receiveDvns: [local.relayerAddress, ...(local.verifierAddress ? [local.verifierAddress] : [])],
        executor: local.worker,
      });
      await (await local.app.connect(deployer).setPeer(remote.spec.eid, addressToBytes32(await remote.app.getAddress()))).wait();
    }
  }
  const byEid = (eid: number) => chains.find((c) => c.spec.eid === eid)!;
  const relayerConfig: PingNetwork['relayerConfig'] = (overrides = {}) => ({
    chains: chains.map((c) => ({
      name: c.spec.name,
      eid: c.spec.eid,
      chainId: c.spec.chainId,
      rpcUrl: overrides.rpcUrls?.[c.spec.eid] ?? c.spec.rpcUrl,
      confirmations: c.spec.confirmations,
      pollIntervalMs: overrides.pollIntervalMs ?? 200,
      maxBlockRange: 50,
      rpcTimeoutMs: 3_000,
      endpoint: c.endpoint.endpoint,
      receiveUln302: c.endpoint.receiveUln302,
      worker: c.worker,
      gas: {
        stuckTimeoutMs: 20_000,
        bumpPercent: 20,
        verifyGasLimit: 200_000,
        commitGasLimit: 300_000,
        executeGasOverhead: overrides.executeGasOverhead ?? 100_000,
      },
    })),
    pathways: chains.flatMap((src) =>
      chains
        .filter((dst) => dst !== src)
        .map((dst) => ({ srcEid: src.spec.eid, sender: src.app.target as string, dstEid: dst.spec.eid, receiver: dst.app.target as string })),
    ),
    pipeline: {
      tickMs: 50,
      batchSize: 64,
      claimTtlMs: 30_000,
      maxExecuteAttempts: overrides.maxExecuteAttempts ?? 5,
      confirmPollMs: 100,
      chainSteps: overrides.chainSteps ?? true,
    },
  });
  return {
    chains,
    byEid,
    relayerConfig,
    verifierConfig: (overrides = {}) => {
      const config = relayerConfig({ ...overrides, chainSteps: false });
      return { ...config, chains: config.chains.map((c) => ({ ...c, worker: byEid(c.eid).verifierWorker! })) };
    },
    verifierKeyEnv: () => Object.fromEntries(chains.map((c) => [`VERIFIER_PRIVATE_KEY_${c.spec.name.toUpperCase()}`, c.verifierKey!])),
    keyEnv: () => Object.fromEntries(chains.map((c) => [`RELAYER_PRIVATE_KEY_${c.spec.name.toUpperCase()}`, c.relayerKey])),
    close: () => {
      for (const p of providerCache.values()) p.destroy();
      providerCache.clear();
    },
  };
}

/** A trader that sends pings without waiting for each receipt (local nonce tracking). */
export function trader(chain: PingChain): NonceManager {
  return new NonceManager(devWallet(ACCOUNTS.trader, chain.provider));
}

/** Sends `count` pings from `src` to `dst`; returns once every send is mined. */
export async function sendPings(src: PingChain, dst: PingChain, count: number, sender = trader(src), gas = 200_000): Promise<void> {
  const options = lzReceiveOptions(gas);
  const fee = await src.app.quote(dst.spec.eid, '0x01020304', options);
  const app = src.app.connect(sender);
  // A fixed gas limit skips eth_estimateGas; sends go out in nonce order (automine refuses gaps), receipts are awaited together.
  const overrides = { value: fee.nativeFee, gasLimit: 400_000 };
  const sent = [];
  for (let i = 0; i < count; i++) sent.push(await app.ping(dst.spec.eid, '0x' + (i + 1).toString(16).padStart(8, '0'), options, overrides));
  const receipts = await Promise.all(sent.map((tx) => tx.wait()));
  if (receipts.some((r) => r?.status !== 1)) throw new Error('a ping reverted');
}

/** What the destination says about the pathway src → dst. */
export async function pathwayState(src: PingChain, dst: PingChain) {
  const endpoint = lzContract('EndpointV2', dst.endpoint.endpoint, devWallet(0, dst.provider));
  const receiver = await dst.app.getAddress();
  const sender = addressToBytes32(await src.app.getAddress());
  // All three at one block: a delivery landing between two reads would otherwise show a nonce behind `received`.
  const blockTag = await dst.provider.getBlockNumber();
  return {
    lazyInboundNonce: Number(await endpoint.lazyInboundNonce(receiver, src.spec.eid, sender, { blockTag })),
    received: Number(await dst.app.received({ blockTag })),
    relayerTxCount: await dst.provider.getTransactionCount(dst.relayerAddress, blockTag),
  };
}

export async function mine(provider: JsonRpcProvider, blocks: number): Promise<void> {
  await provider.send('hardhat_mine', ['0x' + blocks.toString(16)]);
}
