import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ICollateralAuction__factory, devWallet, startHardhatNode, type LocalChain } from '@tributary/contracts';
import { type Manifest } from '@tributary/protocol';
import { parseUnits } from 'ethers';
import { parseDeployConfig } from '../config/schema';
import { makeProvider } from '../deploy/chain-session';
import { deploy } from '../deploy/deployer';
import type { ManifestSidecar } from '../deploy/manifest-io';
import { DEVNET_CHAINS, DEV_ACCOUNTS, devnetDeployConfig } from './devnet-config';
import { AuctionTaker, auctionOf, fundTaker, setAuctionCurve, type TakerChain } from './auction-taker';
import { CorrelatedWalk, PriceSimulator } from './price-simulator';
import { servicesFilePath, writeServicesFile } from '../supervision/service-state';
import { SupervisedService } from '../supervision/supervisor';
import { WEB_DIST, startWebServer, type WebServer } from './web-server';
import { relayerPollOverrides, writeServiceManifest } from './service-manifest';
import { fundDemoAccounts, raiseTradingGasLimit, setAutomine } from './chain-setup';

export interface DevnetOptions {
  /** Where the manifest, logs and the embedded databases go. */
  dir: string;
  /** First chain's port; the others follow (port + 1, port + 2). */
  chainPort: number;
  aggregatorPort: number;
  relayerPort: number;
  /** The independent verifier's health/metrics port (default relayerPort + 200: 3300 beside 3100). */
  verifierPort?: number;
  /** Serve the web app (web/dist), its config and API proxies on this port; none when absent. */
  webPort?: number;
  blockTimeMs: number;
  /** The collateral chains' block time when it differs from the trading chain's (ms; load benches). */
  collateralBlockTimeMs?: number;
  log: (line: string) => void;
  /** Chain heartbeat/decay (s), shortened by tests that watch a silent chain decay. */
  heartbeatSeconds?: number;
  decayWindowSeconds?: number;
  /** Run the price simulator (default true). */
  simulatePrices?: boolean;
  /** Run the auction taker bot (default true; only when every collateral chain has an auction). */
  takeAuctions?: boolean;
  /** The aggregator's liquidation rate-limit window (LIQUIDATION_WINDOW_S; default the aggregator's, one hour). */
  liquidationWindowSeconds?: number;
  /** Extra env of the aggregator process (benches compare settings with it). */
  aggregatorEnv?: Record<string, string>;
  /** Every collateral auction's lot duration in seconds (default the contract's, one hour; tests use less than a minute). */
  auctionDurationSeconds?: number;
  /** With `auctionDurationSeconds`: the lots' start price as a multiple of the oracle price (default the contract's 1.2). */
  auctionStartFactor?: number;
  /** Start the chains from a project with no compiled contracts (the deposit bench's BENCH_BARE_NODES=1). */
  bareNodes?: boolean;
  /** PostgreSQL for both services (a schema each) instead of their SQLite files in `dir`. */
  postgres?: { url: string; relayerSchema: string; aggregatorSchema: string; verifierSchema?: string };
  /** First restart delay after a crash (ms, default 1000; doubles per crash in a row up to 30 s). */
  restartBackoffMs?: number;
  /**
   * The services' RPC URL of each chain (in DEVNET_CHAINS order) instead of the node's own, e.g. a fault proxy in
   * front of it: they read a copy of the manifest with these URLs (manifest.services.json). Not followed by add-chain.
   */
  serviceRpcUrls?: string[];
  /** PostgreSQL only: further relayer workers (one per port) sharing the relayer's schema and key, and further
   * aggregator replicas sharing the aggregator's schema (the advisory-lock leader pushes). */
  replicas?: { relayerPorts: number[]; aggregatorPorts: number[] };
}

/** The services the devnet runs and restarts when they crash. */
export interface DevnetServices {
  relayer: SupervisedService;
  aggregator: SupervisedService;
  /** The independent verifier (second required DVN): own process, key (dev account 20) and store. */
  verifier: SupervisedService;
  /** Every relayer worker and every aggregator replica, the ones above first (`replicas`). */
  relayers: SupervisedService[];
  aggregators: SupervisedService[];
}

export interface Devnet {
  chains: LocalChain[];
  manifestPath: string;
  manifest: Manifest;
  sidecar: ManifestSidecar;
  services: DevnetServices;
  urls: { aggregator: string; relayer: string; verifier: string; web?: string; aggregators: string[]; relayers: string[] };
  /** Whether web/dist was there to serve (false: the page at urls.web says how to build it). */
  webBuilt?: boolean;
  simulator?: PriceSimulator;
  /** The taker bot that clears auction lots at or below the oracle price (absent without auctions). */
  taker?: AuctionTaker;
  /** Restarts the relayer, the verifier and the aggregator (they read the manifest at start). */
  restartServices(): Promise<void>;
  stop(): Promise<void>;
}

const workspaceRoot = resolve(__dirname, '..', '..', '..');

/** The embedded databases (and their write-ahead logs) of a devnet in `dir`. */
export function devnetDatabaseFiles(dir: string): { relayer: string; aggregator: string; verifier: string } {
  return { relayer: join(dir, 'relayer.sqlite'), aggregator: join(dir, 'aggregator.sqlite'), verifier: join(dir, 'verifier.sqlite') };
}

export async function startDevnet(options: DevnetOptions): Promise<Devnet> {
  mkdirSync(options.dir, { recursive: true });
  const manifestPath = join(options.dir, 'manifest.json');
  const databases = devnetDatabaseFiles(options.dir);
  // Fresh chains every start: an old manifest would name contracts that no longer exist. A database's log
  // goes with it (a stale log next to a new file would be replayed into it).
  const stale = ['manifest.json', 'manifest.extra.json', 'manifest.services.json', 'services.json'].map((f) => join(options.dir, f));
  for (const db of Object.values(databases)) stale.push(db, `${db}-wal`, `${db}-shm`);
  for (const file of stale) rmSync(file, { force: true });
  const chains: LocalChain[] = [];
  const services: Partial<DevnetServices> = {};
  const supervised: SupervisedService[] = [];
  let simulator: PriceSimulator | undefined;
  let taker: AuctionTaker | undefined;
  let web: WebServer | undefined;
  const stop = async () => {
    unwatchFile(manifestPath);
    await web?.close();
    await simulator?.stop();
    await taker?.stop();
    await Promise.all(supervised.map((s) => s.stop()));
    await Promise.all(chains.map((c) => c.stop()));
  };
  try {
    options.log(
      `starting ${DEVNET_CHAINS.length} hardhat nodes (${options.blockTimeMs} ms blocks) on ports ${options.chainPort}–${options.chainPort + DEVNET_CHAINS.length - 1}…`,
    );
    chains.push(
      ...(await Promise.all(
        DEVNET_CHAINS.map((chain, i) =>
          startHardhatNode({
            chainId: chain.chainId,
            port: options.chainPort + i,
            blockTimeMs: chain.role === 'collateral' ? (options.collateralBlockTimeMs ?? options.blockTimeMs) : options.blockTimeMs,
            wallClock: true,
            // Dev accounts 0–20 hold the devnet's roles (20: the verifier).
            accounts: DEV_ACCOUNTS.verifier + 2,
            logFile: createWriteStream(join(options.dir, `chain-${chain.name}.log`)),
            bare: options.bareNodes,
          }),
        ),
      )),
    );
    // Deploy with a block per transaction, then hand the chains back to interval mining.
    await setAutomine(chains, true);
    const config = parseDeployConfig(
      devnetDeployConfig({
        rpcUrls: chains.map((c) => c.rpcUrl),
        heartbeatSeconds: options.heartbeatSeconds,
        decayWindowSeconds: options.decayWindowSeconds,
      }),
    );
    const result = await deploy({ config, manifestPath, log: options.log, env: { ...process.env, DEPLOYER_PRIVATE_KEY: '' } });
    options.log('funding demo accounts 5–19 with test USDC/WETH/WBTC (and trading-chain USDC for the settlement pool)…');
    await fundDemoAccounts(result.manifest, result.sidecar);
    const collateral = result.manifest.chains.filter((c) => c.role === 'collateral');
    if (options.auctionDurationSeconds) {
      const owners = collateral.filter((c) => auctionOf(c)).map((c) => ({ chain: c, provider: makeProvider(c.rpcUrl, c.chainId) }));
      const auctions = owners.map(({ chain, provider }) => ({ auction: auctionOf(chain)!, owner: devWallet(DEV_ACCOUNTS.deployer, provider) }));
      const start = options.auctionStartFactor === undefined ? undefined : parseUnits(String(options.auctionStartFactor), 18);
      await setAuctionCurve(auctions, options.auctionDurationSeconds, start).finally(() => owners.forEach((o) => o.provider.destroy()));
    }
    const takerChains: TakerChain[] =
      (options.takeAuctions ?? true) && collateral.length && collateral.every((c) => auctionOf(c))
        ? collateral.map((c) => {
            const provider = makeProvider(c.rpcUrl, c.chainId);
            return {
              eid: c.eid,
              name: c.name,
              provider,
              auction: auctionOf(c)!,
              signer: devWallet(DEV_ACCOUNTS.taker, provider),
              assetIds: c.assets.map((a) => a.assetId),
            };
          })
        : [];
    if (takerChains.length) {
      options.log(`funding the auction taker bot (account ${DEV_ACCOUNTS.taker}) with test USDC on every collateral chain…`);
      await fundTaker(takerChains, 10_000_000n);
    }
    await setAutomine(chains, false);
    await raiseTradingGasLimit(chains);

    // The relayer's operator API key goes to a 0600 file, never to the console.
    const apiKey = randomBytes(24).toString('hex');
    writeFileSync(join(options.dir, 'relayer-api-key'), apiKey, { mode: 0o600 });
    const verifierPort = options.verifierPort ?? options.relayerPort + 200;
    const local = (port: number) => `http://127.0.0.1:${port}`;
    const relayerPorts = [options.relayerPort, ...(options.replicas?.relayerPorts ?? [])];
    const aggregatorPorts = [options.aggregatorPort, ...(options.replicas?.aggregatorPorts ?? [])];
    if (relayerPorts.length + aggregatorPorts.length > 2 && !options.postgres) throw new Error('devnet replicas need PostgreSQL');
    const urls = {
      aggregator: local(options.aggregatorPort),
      relayer: local(options.relayerPort),
      verifier: local(verifierPort),
      aggregators: aggregatorPorts.map(local),
      relayers: relayerPorts.map(local),
    };
    const serviceManifest = options.serviceRpcUrls ? writeServiceManifest(manifestPath, options.serviceRpcUrls) : manifestPath;
    const database = (name: 'relayer' | 'aggregator'): Record<string, string> =>
      options.postgres
        ? {
            DATABASE_URL: options.postgres.url,
            DATABASE_SCHEMA: name === 'relayer' ? options.postgres.relayerSchema : options.postgres.aggregatorSchema,
          }
        : { SQLITE_PATH: databases[name] };
    const supervise = (name: 'relayer' | 'aggregator' | 'verifier', env: () => NodeJS.ProcessEnv, replica = 0, url = urls[name]) =>
      new SupervisedService({
        name: replica ? `${name}-${replica + 1}` : name,
        script: name === 'verifier' ? join(workspaceRoot, 'relayer', 'dist', 'main-verifier.js') : join(workspaceRoot, name, 'dist', 'main.js'),
        env,
        logPath: join(options.dir, `${replica ? `${name}-${replica + 1}` : name}.log`),
        url,
        log: options.log,
        initialBackoffMs: options.restartBackoffMs,
      });
    const relayers = relayerPorts.map((port, i) =>
      supervise(
        'relayer',
        () => ({
          MANIFEST_PATH: serviceManifest,
          PORT: String(port),
          ...database('relayer'),
          RELAYER_PRIVATE_KEY: devWallet(DEV_ACCOUNTS.relayer).privateKey,
          RELAYER_API_KEY: apiKey,
          // Stable across restarts: a restarted relayer releases its killed incarnation's row claims at once
          // (PostgreSQL) instead of waiting for them to expire.
          RELAYER_WORKER_ID: i ? `devnet-relayer-${i + 1}` : 'devnet-relayer',
          ...relayerPollOverrides(manifestPath, options.blockTimeMs),
          LOG_LEVEL: 'info',
        }),
        i,
        urls.relayers[i],
      ),
    );
    services.relayer = relayers[0];
    // The second DVN: its own key, its own store (never the relayer's), its own worker in the manifest.
    services.verifier = supervise('verifier', () => ({
      MANIFEST_PATH: serviceManifest,
      VERIFIER_PORT: String(verifierPort),
      ...(options.postgres
        ? {
            VERIFIER_DATABASE_URL: options.postgres.url,
            VERIFIER_DATABASE_SCHEMA: options.postgres.verifierSchema ?? `${options.postgres.relayerSchema}_verifier`,
          }
        : { VERIFIER_SQLITE_PATH: databases.verifier }),
      VERIFIER_PRIVATE_KEY: devWallet(DEV_ACCOUNTS.verifier).privateKey,
      VERIFIER_WORKER_ID: 'devnet-verifier',
      ...relayerPollOverrides(manifestPath, options.blockTimeMs, 'VERIFIER'),
      LOG_LEVEL: 'info',
    }));
    const aggregators = aggregatorPorts.map((port, i) =>
      supervise(
        'aggregator',
        () => ({
          MANIFEST_PATH: serviceManifest,
          PORT: String(port),
          ...database('aggregator'),
          AGGREGATOR_PUSHER_PRIVATE_KEY: devWallet(DEV_ACCOUNTS.pusher).privateKey,
          LOG_LEVEL: 'info',
          ...(options.liquidationWindowSeconds ? { LIQUIDATION_WINDOW_S: String(options.liquidationWindowSeconds) } : {}),
          ...options.aggregatorEnv,
        }),
        i,
        urls.aggregators[i],
      ),
    );
    services.aggregator = aggregators[0];
    // `tributary status --manifest <dir>/manifest.json` reads the supervisor's view from this file.
    const stateFile = servicesFilePath(manifestPath);
    supervised.push(...relayers, services.verifier, ...aggregators);
    Object.assign(services, { relayers, aggregators });
    const writeState = () =>
      writeServicesFile(
        stateFile,
        supervised.map((s) => s.state()),
      );
    for (const service of supervised) service.on('change', writeState);
    const startServices = () => Promise.all(supervised.map((s) => s.start())).then(() => undefined);
    options.log('starting the relayer, the verifier and the aggregator…');
    await startServices();
    if (options.webPort !== undefined) {
      web = await startWebServer({
        port: options.webPort,
        root: WEB_DIST,
        manifestPath,
        aggregatorUrl: urls.aggregator,
        relayerUrl: urls.relayer,
        relayerApiKey: apiKey,
        demoAccounts: Array.from({ length: DEV_ACCOUNTS.lastTrader - DEV_ACCOUNTS.firstTrader + 1 }, (_, i) => DEV_ACCOUNTS.firstTrader + i),
      });
    }

    if (options.simulatePrices ?? true) {
      const trading = result.manifest.chains.find((c) => c.role === 'trading')!;
      const provider = makeProvider(trading.rpcUrl, trading.chainId);
      const assets = result.manifest.assets.map((a) => ({
        symbol: a.symbol,
        price: config.assets.find((c) => c.assetId === a.assetId)!.initialPrice ?? 1,
        volatility: a.volatility,
      }));
      // The collateral chains' auction feeds follow the trading chain's prices (the oracle key owns them all).
      const mirrors = await Promise.all(
        result.manifest.chains
          .filter((c) => c.role === 'collateral' && auctionOf(c))
          .map(async (c) => {
            const chainProvider = makeProvider(c.rpcUrl, c.chainId);
            const auction = ICollateralAuction__factory.connect(auctionOf(c)!, chainProvider);
            const feeds = [];
            for (const asset of result.manifest.assets) {
              const config = await auction.assetConfig(asset.assetId);
              if (config.listed) feeds.push({ symbol: asset.symbol, address: config.feed });
            }
            return { signer: devWallet(DEV_ACCOUNTS.oracle, chainProvider), feeds };
          }),
      );
      simulator = new PriceSimulator({
        signer: devWallet(DEV_ACCOUNTS.oracle, provider),
        feeds: result.manifest.assets.map((a) => ({ symbol: a.symbol, address: a.priceFeed! })),
        mirrors,
        walk: new CorrelatedWalk(assets, config.correlations),
        intervalMs: Math.max(options.blockTimeMs, 1000) * 2,
        dtDays: 1 / 24,
        onError: (error) => options.log(`price simulator: ${(error as Error).message}`),
      });
      simulator.start();
    }

    if (takerChains.length) {
      taker = new AuctionTaker({
        chains: takerChains,
        // 4× per block, like the relayer: a lot reaching the oracle price is taken in the next block, not the one after.
        intervalMs: Math.max(Math.floor(options.blockTimeMs / 4), 250),
        onError: (error) => options.log(`auction taker: ${(error as Error).message}`),
        onTake: (t) => options.log(`auction taker: took lot ${t.lotId} on eid ${t.eid} at ${t.price} (oracle ${t.oraclePrice})`),
      });
      taker.start();
    }

    let restarting: Promise<void> | undefined;
    const restartServices = async () => {
      restarting ??= Promise.all(supervised.map((s) => s.restart()))
        .then(() => undefined)
        .finally(() => (restarting = undefined));
      return restarting;
    };
    // add-chain rewrites the manifest: restart both services so they follow the new chain.
    watchFile(manifestPath, { interval: 500 }, (current, previous) => {
      if (current.mtimeMs === previous.mtimeMs) return;
      options.log('manifest changed (add-chain?): restarting the relayer and the aggregator…');
      restartServices().then(
        () => options.log('relayer and aggregator restarted with the new manifest'),
        (error: unknown) => options.log(`restart failed: ${(error as Error).message}`),
      );
    });

    return {
      chains,
      manifestPath,
      manifest: result.manifest,
      sidecar: result.sidecar,
      services: services as DevnetServices,
      urls: web ? { ...urls, web: web.url } : urls,
      webBuilt: web?.built,
      simulator,
      taker,
      restartServices,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
