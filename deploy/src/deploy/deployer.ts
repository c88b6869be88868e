import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devWallet, CONTRACTS_ROOT } from '@tributary/contracts';
import type { Manifest, ManifestChain } from '@tributary/protocol';
import type { ChainConfig, DeployConfig } from '../config/schema';
import { ensureHubAssets, ensureTradingContracts, ensureVault, type Operators, type TradingContracts, type VaultDeployment } from './app';
import { ensureRiskParameters } from './risk-params';
import { ensureStableFeeds } from './stable-feeds';
import { ensureAuction, ensureSeizureTargets, type AuctionDeployment } from './auction';
import { explainSendError, openChainSession, requireFunds, transactionsSent, type ChainSession } from './chain-session';
import { DeployJournal } from './journal';
import {
  ensureDeliveryWorker,
  ensureLayerZero,
  ensureLocalDefaults,
  ensureVerifierWorker,
  ensureWorkerDestination,
  type ChainLayerZero,
} from './infra';
import { extraDvns } from '../config/dvns';
import { readManifestIfPresent, readSidecar, recordedChain, writeManifest, type ManifestSidecar } from './manifest-io';
import { appPathways, enforcedGasFromSnapshot, enforcedOptionsHex, workerFees, type EnforcedGas, type GasSnapshot } from './plan';
import { replyValues, replyValuesEqual, type ReplyValues } from './reply-fees';
import { Progress } from './progress';
import { ensurePathway } from './wiring';

export interface DeployOptions {
  config: DeployConfig;
  manifestPath: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface DeployResult {
  manifest: Manifest;
  sidecar: ManifestSidecar;
  /** Transactions the deployer sent, per chain name (0 everywhere on a repeated run). */
  transactions: Record<string, number>;
  manifestChanged: boolean;
}

/** Minimum native balance checked before deploying on a chain (a full chain deploy costs well under this). */
const MIN_DEPLOYER_BALANCE = 10n ** 16n;

export function loadGasSnapshot(): GasSnapshot {
  try {
    return JSON.parse(readFileSync(join(CONTRACTS_ROOT, 'gas-snapshot.json'), 'utf8')) as GasSnapshot;
  } catch {
    return {};
  }
}

/** Hardhat dev account of the independent verifier on local chains (devnet-config's DEV_ACCOUNTS.verifier). */
export const VERIFIER_DEV_ACCOUNT = 20;

/**
 * Operator addresses: from the config, or on local chains Hardhat dev accounts 1 (relayer), 2 (pusher), 3 (oracle),
 * 4 (guardian), 20 (verifier). The withdrawal decider defaults to the pusher (the same aggregator key).
 */
export function resolveOperators(config: DeployConfig): Operators {
  const local = config.chains.every((c) => c.local);
  const pick = (value: string | undefined, devIndex: number) => value ?? (local ? devWallet(devIndex).address : undefined);
  const relayer = pick(config.operators.relayer, 1)!;
  const pusher = pick(config.operators.pusher, 2)!;
  const decider = config.operators.decider ?? pusher;
  const oracle = pick(config.operators.oracle, 3) ?? pusher;
  const guardian = pick(config.operators.guardian, 4)!;
  const liquidator = config.operators.liquidator ?? (local ? pusher : undefined);
  const verifier = pick(config.operators.verifier, VERIFIER_DEV_ACCOUNT);
  return { relayer, pusher, decider, guardian, oracle, ...(liquidator ? { liquidator } : {}), ...(verifier ? { verifier } : {}) };
}

/**
 * Deploys and wires everything the config describes, reusing what the manifest records and the chain
 * still holds, and writes the manifest (+ sidecar). Every step reads first: a second run sends nothing.
 */
export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const { config, manifestPath } = options;
  const progress = new Progress(options.log ?? (() => undefined));
  const env = options.env ?? process.env;
  const previous = readManifestIfPresent(manifestPath);
  const operators = resolveOperators(config);
  const snapshot = loadGasSnapshot();
  const enforcedGas = enforcedGasFromSnapshot(snapshot, config.gasHeadroom);

  const sessions = new Map<number, ChainSession>();
  try {
    const journal = DeployJournal.forManifest(manifestPath);
    for (const chain of config.chains) sessions.set(chain.eid, { ...(await openChainSession(chain, env)), journal });
    for (const session of sessions.values()) await requireFunds(session, MIN_DEPLOYER_BALANCE);
    const trading = config.chains.find((c) => c.role === 'trading')!;
    const run = async <T>(chain: ChainConfig, work: (session: ChainSession, p: Progress) => Promise<T>): Promise<T> => {
      const session = sessions.get(chain.eid)!;
      try {
        return await work(session, progress.forChain(chain.name));
      } catch (error) {
        throw explainSendError(session, error);
      }
    };

    // 1. LayerZero on every chain (independent chains in parallel).
    const startBlocks = new Map<number, number>();
    const layerZero = new Map<number, ChainLayerZero>();
    await Promise.all(
      config.chains.map((chain) =>
        run(chain, async (session, p) => {
          const recorded = recordedChain(previous, chain.eid);
          const journaledStart = journal.get(chain.eid, 'startBlock');
          const startBlock = recorded?.startBlock ?? (journaledStart ? Number(journaledStart) : await session.provider.getBlockNumber());
          if (!recorded) journal.record(chain.eid, 'startBlock', String(startBlock));
          startBlocks.set(chain.eid, startBlock);
          const lz = await ensureLayerZero(session, recorded, p);
          // Local chains: the independent verifier's DVN worker, owned (and priced) by the verifier's dev key.
          const verifierKey = chain.local && operators.verifier ? devWallet(VERIFIER_DEV_ACCOUNT, session.provider) : undefined;
          if (verifierKey) lz.verifierWorker = await ensureVerifierWorker(session, lz, verifierKey.address, recorded, p);
          // The receive-side DVNs: one DeliveryWorker per operator key (its verify, commit and lzReceive in batches).
          lz.deliveryWorker = await ensureDeliveryWorker(session, lz, 'DeliveryWorker', operators.relayer, recorded?.layerZero.deliveryWorker, p);
          if (verifierKey)
            lz.verifierDeliveryWorker = await ensureDeliveryWorker(
              session,
              lz,
              'VerifierDeliveryWorker',
              verifierKey.address,
              recorded?.layerZero.verifierDeliveryWorker,
              p,
            );
          layerZero.set(chain.eid, lz);
          for (const { local, remote } of appPathways(config.chains).filter((x) => x.local.eid === chain.eid)) {
            const fees = workerFees(local, remote, snapshot, config.workerFees);
            await ensureWorkerDestination(session, lz.worker, remote.eid, fees, p);
            if (verifierKey && lz.verifierWorker) await ensureWorkerDestination(session, lz.verifierWorker, remote.eid, fees, p, verifierKey);
            if (local.local)
              await ensureLocalDefaults(
                session,
                lz,
                {
                  remoteEid: remote.eid,
                  confirmations: local.confirmations,
                  sendDvns: [lz.worker, ...(lz.verifierWorker ? [lz.verifierWorker] : [])],
                  receiveDvns: receiveDvnsOf(lz, operators),
                  maxMessageSize: config.maxMessageSize,
                },
                p,
              );
          }
        }),
      ),
    );

    // 2. Our contracts: the trading chain and the vault chains in parallel.
    let tradingContracts!: TradingContracts;
    const vaults = new Map<number, VaultDeployment>();
    const auctions = new Map<number, AuctionDeployment>();
    await Promise.all([
      run(trading, async (session, p) => {
        tradingContracts = await ensureTradingContracts(
          session,
          config,
          layerZero.get(trading.eid)!.endpoint,
          { chain: recordedChain(previous, trading.eid), manifest: previous },
          operators,
          p,
        );
      }),
      ...config.chains
        .filter((c) => c.role === 'collateral')
        .map((chain) =>
          run(chain, async (session, p) => {
            vaults.set(
              chain.eid,
              await ensureVault(
                session,
                chain,
                config,
                trading.eid,
                layerZero.get(chain.eid)!.endpoint,
                recordedChain(previous, chain.eid),
                operators.guardian,
                p,
              ),
            );
            const auction = await ensureAuction(session, chain, config, vaults.get(chain.eid)!, recordedChain(previous, chain.eid), operators, p);
            if (auction) auctions.set(chain.eid, auction);
          }),
        ),
    ]);
    await run(trading, async (session, p) => {
      await ensureHubAssets(
        session,
        tradingContracts.hub,
        config,
        await ensureStableFeeds(session, tradingContracts.hub, config, tradingContracts.feeds, p),
        [...vaults.entries()].map(([eid, v]) => ({ eid, assets: v.assets })),
      );
      await ensureSeizureTargets(session, config, tradingContracts.liquidationRegistry, auctions);
    });
    tradingContracts.riskParameters = await run(trading, (session, p) =>
      ensureRiskParameters(
        session,
        tradingContracts,
        config,
        config.chains.filter((c) => c.role === 'collateral').map((c) => ({ eid: c.eid, weight: c.weight, name: c.name })),
        recordedChain(previous, trading.eid)?.contracts.riskParameters,
        p,
      ),
    );

    // 3. Wiring, both directions of every vault ⇄ hub pathway; replies prepaid through the enforced options.
    const oappOf = (chain: ChainConfig) => (chain.role === 'trading' ? tradingContracts.hub : vaults.get(chain.eid)!.vault);
    const confirmationsOf = (eid: number) => config.chains.find((c) => c.eid === eid)!.confirmations;
    const sideOf = (chain: ChainConfig) => ({
      provider: sessions.get(chain.eid)!.provider,
      endpoint: layerZero.get(chain.eid)!.endpoint,
      oapp: oappOf(chain),
      eid: chain.eid,
    });
    const quoteReplies = async () =>
      new Map<number, ReplyValues>(
        await Promise.all(
          config.chains
            .filter((c) => c.role === 'collateral')
            .map(async (c) => [c.eid, await replyValues(sideOf(trading), sideOf(c), enforcedGas, config.replyFeeHeadroom)] as const),
        ),
      );
    const wire = (replies: Map<number, ReplyValues>, only?: Set<number>) =>
      Promise.all(
        config.chains.map((chain) =>
          run(chain, async (session, p) => {
            for (const { local, remote } of appPathways(config.chains).filter((x) => x.local.eid === chain.eid)) {
              const vaultEid = local.role === 'trading' ? remote.eid : local.eid;
              if (only && !only.has(vaultEid)) continue;
              const lz = layerZero.get(local.eid)!;
              const extra = extraDvns(local, config.dvns);
              const gas = local.role === 'trading' ? enforcedGas.hubToVault : enforcedGas.vaultToHub;
              const values = local.role === 'trading' ? replies.get(vaultEid)!.hubToVault : replies.get(vaultEid)!.vaultToHub;
              await ensurePathway(
                session,
                {
                  oapp: oappOf(local),
                  remoteEid: remote.eid,
                  remoteOApp: oappOf(remote),
                  endpoint: lz.endpoint,
                  sendUln302: lz.sendUln302,
                  receiveUln302: lz.receiveUln302,
                  worker: lz.worker,
                  dvnSigner: lz.deliveryWorker ?? operators.relayer,
                  ...(lz.verifierWorker && operators.verifier
                    ? { verifierWorker: lz.verifierWorker, verifierSigner: lz.verifierDeliveryWorker ?? operators.verifier }
                    : {}),
                  additionalDvns: extra.required,
                  optionalDvns: extra.optional,
                  optionalThreshold: extra.optionalThreshold,
                  localConfirmations: local.confirmations,
                  remoteConfirmations: confirmationsOf(remote.eid),
                  maxMessageSize: config.maxMessageSize,
                  enforcedOptions: enforcedOptionsHex(gas, values),
                },
                `${local.role === 'trading' ? 'hub' : 'vault'} → ${remote.name}`,
                p,
              );
            }
          }),
        ),
      );
    // Quoted before wiring (a fresh OApp quotes on the endpoint's defaults), then again under the app's own
    // config: a pathway whose fees changed with the wiring is rewired (its enforced options only).
    const quoted = await quoteReplies();
    await wire(quoted);
    const requoted = await quoteReplies();
    const changed = new Set([...requoted].filter(([eid, values]) => !replyValuesEqual(values, quoted.get(eid)!)).map(([eid]) => eid));
    if (changed.size) await wire(requoted, changed);

    const manifest = buildManifest(config, { layerZero, startBlocks, tradingContracts, vaults, auctions, operators });
    const sidecar = buildSidecar(config, { layerZero, tradingContracts, vaults, auctions, operators, enforcedGas, sessions });
    const manifestChanged = writeManifest(manifestPath, manifest, sidecar);
    journal.clear();
    const transactions: Record<string, number> = {};
    for (const [eid, session] of sessions) transactions[config.chains.find((c) => c.eid === eid)!.name] = await transactionsSent(session);
    return { manifest, sidecar, transactions, manifestChanged };
  } finally {
    for (const session of sessions.values()) session.close();
  }
}

interface Deployed {
  layerZero: Map<number, ChainLayerZero>;
  startBlocks: Map<number, number>;
  tradingContracts: TradingContracts;
  vaults: Map<number, VaultDeployment>;
  auctions: Map<number, AuctionDeployment>;
  operators: Operators;
}

function buildManifest(config: DeployConfig, d: Deployed): Manifest {
  const chains: ManifestChain[] = config.chains.map((chain) => {
    const lz = d.layerZero.get(chain.eid)!;
    const vault = d.vaults.get(chain.eid);
    const t = d.tradingContracts;
    return {
      name: chain.name,
      chainId: chain.chainId,
      eid: chain.eid,
      rpcUrl: chain.rpcUrl,
      role: chain.role,
      confirmations: chain.confirmations,
      startBlock: d.startBlocks.get(chain.eid)!,
      weight: chain.weight,
      heartbeatSeconds: chain.heartbeatSeconds,
      decayWindowSeconds: chain.decayWindowSeconds,
      layerZero: {
        endpoint: lz.endpoint,
        sendUln302: lz.sendUln302,
        receiveUln302: lz.receiveUln302,
        worker: lz.worker,
        dvnSigner: d.operators.relayer,
        ...(lz.verifierWorker && d.operators.verifier ? { verifierWorker: lz.verifierWorker, verifierSigner: d.operators.verifier } : {}),
        ...(lz.deliveryWorker ? { deliveryWorker: lz.deliveryWorker } : {}),
        ...(lz.verifierDeliveryWorker ? { verifierDeliveryWorker: lz.verifierDeliveryWorker } : {}),
      },
      contracts:
        chain.role === 'trading'
          ? {
              hub: t.hub,
              creditManager: t.creditManager,
              perpMarket: t.perpMarket,
              settlementPool: t.settlementPool,
              quoteToken: t.quoteToken,
              liquidationRegistry: t.liquidationRegistry,
              insuranceFund: t.insuranceFund,
              riskParameters: t.riskParameters,
            }
          : { vault: vault!.vault, ...(d.auctions.has(chain.eid) ? { auction: d.auctions.get(chain.eid)!.auction } : {}) },
      assets: vault?.assets ?? [],
    };
  });
  return {
    version: 1,
    chains,
    assets: config.assets.map((a) => ({
      assetId: a.assetId,
      symbol: a.symbol,
      weightInit: a.weightInit,
      weightMaint: a.weightMaint,
      imf: a.imf,
      volatility: a.volatility,
      priceFeed: d.tradingContracts.feeds[a.assetId],
      heartbeatSeconds: a.heartbeatSeconds,
      maxDeviation: a.maxDeviation,
    })),
    correlations: config.correlations.map((c) => ({ a: assetIdOf(config, c.a), b: assetIdOf(config, c.b), rho: c.rho })),
  };
}

const assetIdOf = (config: DeployConfig, symbol: string): number => config.assets.find((a) => a.symbol === symbol)!.assetId;

function buildSidecar(
  config: DeployConfig,
  d: Omit<Deployed, 'startBlocks'> & { enforcedGas: EnforcedGas; sessions: Map<number, ChainSession> },
): ManifestSidecar {
  return {
    version: 1,
    config,
    operators: d.operators,
    markets: d.tradingContracts.markets,
    enforcedGas: d.enforcedGas,
    chains: config.chains.map((chain) => ({
      eid: chain.eid,
      name: chain.name,
      layerZeroDeployedByUs: d.layerZero.get(chain.eid)!.deployedByUs,
      deployer: d.sessions.get(chain.eid)!.deployerAddress,
      testTokens:
        chain.role === 'trading'
          ? d.tradingContracts.testTokens
          : { ...d.vaults.get(chain.eid)?.testTokens, ...d.auctions.get(chain.eid)?.testTokens },
    })),
  };
}

/** The config a previous deploy recorded (add-chain extends it). */
export function recordedConfig(manifestPath: string): DeployConfig | undefined {
  return readSidecar(manifestPath)?.config;
}

/** The receive-side required DVNs of a chain: the DeliveryWorker contracts where deployed, else the keys themselves. */
function receiveDvnsOf(lz: ChainLayerZero, operators: Operators): string[] {
  const verifier = operators.verifier ? [lz.verifierDeliveryWorker ?? operators.verifier] : [];
  return [lz.deliveryWorker ?? operators.relayer, ...verifier];
}
