import { Contract, formatEther } from 'ethers';
import { addressToBytes32 } from '@tributary/contracts';
import { loadManifest, tradingChain, type Manifest, type ManifestChain } from '@tributary/protocol';
import { readServicesFile, servicesFilePath } from '../supervision/service-state';
import type { ServiceState } from '../supervision/supervisor';
import { makeProvider, checkRpc } from './chain-session';
import { readSidecar, type ManifestSidecar } from './manifest-io';
import { extraDvns } from '../config/dvns';
import { appPathways, describeUlnDrift, enforcedOptionsHex, planPathway } from './plan';
import { replyValues } from './reply-fees';
import { desiredPathway, readPathway } from './wiring';

export interface ChainStatus {
  name: string;
  eid: number;
  role: string;
  reachable: boolean;
  head?: number;
  problems: string[];
}

export interface ServiceStatus {
  name: string;
  url: string;
  healthy: boolean;
  /** What the devnet's supervisor knows of it (restarts, last exit), when a devnet runs it. */
  supervisor?: ServiceState;
}

export interface DeploymentStatus {
  chains: ChainStatus[];
  services: ServiceStatus[];
  /** A devnet's supervisor state file next to the manifest, when there is one. */
  devnet?: { pid: number; running: boolean; updatedAt: string };
  ok: boolean;
}

export class UnknownChainError extends Error {}

const PEERS_ABI = ['function peers(uint32 eid) view returns (bytes32)'];

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3000) })).ok;
  } catch {
    return false;
  }
}

/** Reads a deployment back: each chain reachable, code at every recorded contract, peers set both ways, services up. */
export async function deploymentStatus(
  manifestPath: string,
  services: { name: string; url: string }[] = [],
  only?: string,
): Promise<DeploymentStatus> {
  const manifest = loadManifest(manifestPath);
  if (only && !manifest.chains.some((c) => c.name === only)) {
    throw new UnknownChainError(`unknown chain "${only}" (the manifest has: ${manifest.chains.map((c) => c.name).join(', ')})`);
  }
  const sidecar = readSidecar(manifestPath);
  const hubChain = tradingChain(manifest);
  const chains: ChainStatus[] = [];
  for (const chain of manifest.chains.filter((c) => !only || c.name === only)) {
    const status: ChainStatus = { name: chain.name, eid: chain.eid, role: chain.role, reachable: false, problems: [] };
    chains.push(status);
    try {
      await checkRpc(chain.name, chain.rpcUrl, chain.chainId, 3000);
    } catch (error) {
      status.problems.push((error as Error).message);
      continue;
    }
    status.reachable = true;
    const provider = makeProvider(chain.rpcUrl, chain.chainId);
    try {
      status.head = await provider.getBlockNumber();
      const addresses = { ...chain.layerZero, ...chain.contracts } as Record<string, string | undefined>;
      delete addresses.dvnSigner;
      delete addresses.verifierSigner;
      for (const [name, address] of Object.entries(addresses)) {
        if (address && (await provider.getCode(address)) === '0x') status.problems.push(`no code at ${name} ${address}`);
      }
      const peerChecks = chain.role === 'trading' ? manifest.chains.filter((c) => c.role === 'collateral') : [hubChain];
      const local = chain.contracts.hub ?? chain.contracts.vault;
      for (const remote of peerChecks) {
        const remoteOApp = remote.contracts.hub ?? remote.contracts.vault;
        if (!local || !remoteOApp || status.problems.length) continue;
        const peer: string = await new Contract(local, PEERS_ABI, provider).getFunction('peers')(remote.eid);
        if (peer.toLowerCase() !== addressToBytes32(remoteOApp)) status.problems.push(`peer toward ${remote.name} not set`);
      }
      if (status.problems.length === 0) status.problems.push(...(await auctionDrift(manifest, chain, provider)));
      if (sidecar && status.problems.length === 0) status.problems.push(...(await wiringDrift(manifest, sidecar, chain, provider)));
      const deployer = sidecar?.chains.find((c) => c.eid === chain.eid)?.deployer;
      if (deployer) {
        const balance = await provider.getBalance(deployer);
        if (balance === 0n) status.problems.push(`deployer ${deployer} has ${formatEther(balance)} native`);
      }
    } finally {
      provider.destroy();
    }
  }
  const devnet = readServicesFile(servicesFilePath(manifestPath));
  const supervised = devnet?.devnetRunning ? devnet.services : [];
  const checked = [
    ...services,
    ...supervised.filter((state) => !services.some((s) => s.name === state.name)).map((state) => ({ name: state.name, url: `${state.url}/health` })),
  ];
  const serviceStatus = await Promise.all(
    checked.map(async (s) => ({ ...s, healthy: await healthy(s.url), supervisor: supervised.find((state) => state.name === s.name) })),
  );
  return {
    chains,
    services: serviceStatus,
    devnet: devnet && { pid: devnet.pid, running: devnet.devnetRunning, updatedAt: devnet.updatedAt },
    ok: chains.every((c) => c.problems.length === 0) && serviceStatus.every((s) => s.healthy && s.supervisor?.state !== 'failed'),
  };
}

const AUCTION_WIRING_ABI = ['function auction() view returns (address)', 'function auctionOf(uint32 eid) view returns (address)'];

/**
 * Seizure wiring (docs/liquidation.md): a collateral chain's vault sends seizures to its auction, and the trading
 * chain's registry targets each collateral chain's auction. A collateral chain without an auction is reported.
 */
async function auctionDrift(manifest: Manifest, chain: ManifestChain, provider: ReturnType<typeof makeProvider>): Promise<string[]> {
  const same = (a: string, b: string | undefined) => !!b && a.toLowerCase() === b.toLowerCase();
  const problems: string[] = [];
  if (chain.role === 'collateral') {
    if (!chain.contracts.auction) return ['no CollateralAuction: a seizure here finds nothing to sell'];
    const target: string = await new Contract(chain.contracts.vault!, AUCTION_WIRING_ABI, provider).getFunction('auction')();
    if (!same(target, chain.contracts.auction)) problems.push(`vault sends seizures to ${target}, not the auction ${chain.contracts.auction}`);
    return problems;
  }
  const registry = chain.contracts.liquidationRegistry;
  if (!registry) return problems;
  for (const remote of manifest.chains.filter((c) => c.role === 'collateral' && c.contracts.auction)) {
    const target: string = await new Contract(registry, AUCTION_WIRING_ABI, provider).getFunction('auctionOf')(remote.eid);
    if (!same(target, remote.contracts.auction)) problems.push(`registry seizes on ${remote.name} toward ${target}, not its auction`);
  }
  return problems;
}

/** Pathway settings of this chain's OApp that differ from what `deploy` would write (needs the sidecar). */
async function wiringDrift(
  manifest: Manifest,
  sidecar: ManifestSidecar,
  chain: ManifestChain,
  provider: ReturnType<typeof makeProvider>,
): Promise<string[]> {
  const drift: string[] = [];
  for (const { local, remote } of appPathways(manifest.chains).filter((p) => p.local.eid === chain.eid)) {
    const oapp = local.contracts.hub ?? local.contracts.vault;
    const remoteOApp = remote.contracts.hub ?? remote.contracts.vault;
    if (!oapp || !remoteOApp) continue;
    const gas = local.role === 'trading' ? sidecar.enforcedGas.hubToVault : sidecar.enforcedGas.vaultToHub;
    const [hub, vault] = local.role === 'trading' ? [local, remote] : [remote, local];
    const other = makeProvider(remote.rpcUrl, remote.chainId);
    let values: Record<number, bigint>;
    try {
      const at = (c: ManifestChain, p: typeof provider) => ({
        provider: p,
        endpoint: c.layerZero.endpoint,
        oapp: (c.contracts.hub ?? c.contracts.vault)!,
        eid: c.eid,
      });
      const [hubProvider, vaultProvider] = local.role === 'trading' ? [provider, other] : [other, provider];
      const replies = await replyValues(at(hub, hubProvider), at(vault, vaultProvider), sidecar.enforcedGas, sidecar.config.replyFeeHeadroom ?? 1);
      values = local.role === 'trading' ? replies.hubToVault : replies.vaultToHub;
    } finally {
      other.destroy();
    }
    const configured = sidecar.config.chains.find((c) => c.eid === local.eid);
    const extra = extraDvns(configured ?? { name: local.name }, sidecar.config.dvns);
    const side = {
      oapp,
      remoteEid: remote.eid,
      remoteOApp,
      endpoint: local.layerZero.endpoint,
      sendUln302: local.layerZero.sendUln302,
      receiveUln302: local.layerZero.receiveUln302,
      worker: local.layerZero.worker,
      dvnSigner: local.layerZero.deliveryWorker ?? local.layerZero.dvnSigner,
      ...(local.layerZero.verifierWorker && local.layerZero.verifierSigner
        ? { verifierWorker: local.layerZero.verifierWorker, verifierSigner: local.layerZero.verifierDeliveryWorker ?? local.layerZero.verifierSigner }
        : {}),
      additionalDvns: extra.required,
      optionalDvns: extra.optional,
      optionalThreshold: extra.optionalThreshold,
      localConfirmations: local.confirmations,
      remoteConfirmations: remote.confirmations,
      maxMessageSize: sidecar.config.maxMessageSize,
      enforcedOptions: enforcedOptionsHex(gas, values),
    };
    const current = await readPathway(provider, side);
    const desired = desiredPathway(side);
    const writes = planPathway(current, desired);
    if (writes.length) drift.push(`toward ${remote.name}: ${writes.map((w) => w.kind).join(', ')} needed (run deploy)`);
    for (const [what, a, b] of [
      ['send ULN', current.sendUln, desired.sendUln],
      ['receive ULN', current.receiveUln, desired.receiveUln],
    ] as const) {
      const differences = describeUlnDrift(a, b);
      if (differences.length) drift.push(`toward ${remote.name}: ${what} ${differences.join('; ')}`);
    }
  }
  return drift;
}

export function formatStatus(status: DeploymentStatus): string {
  const lines = status.chains.map((c) => {
    const state = !c.reachable ? 'UNREACHABLE' : c.problems.length ? 'PROBLEM' : 'ok';
    const head = c.head !== undefined ? ` block ${c.head}` : '';
    return [`${c.name.padEnd(16)} eid ${c.eid} ${c.role.padEnd(10)} ${state}${head}`, ...c.problems.map((p) => `    - ${p}`)].join('\n');
  });
  if (status.devnet && !status.devnet.running)
    lines.push(`devnet supervisor (pid ${status.devnet.pid}) not running; its last state is from ${status.devnet.updatedAt}`);
  for (const s of status.services) {
    lines.push(`${s.name.padEnd(16)} ${s.url} ${s.healthy ? 'ok' : 'DOWN'}${s.supervisor ? `  ${describeSupervised(s.supervisor)}` : ''}`);
  }
  return lines.join('\n');
}

/** e.g. "running, pid 4242, up 3m 10s, 2 restarts (last exit: SIGKILL at 12:03:04, answering again after 2.1 s)". */
export function describeSupervised(state: ServiceState, now = Date.now()): string {
  const parts: string[] = [state.state];
  if (state.pid) parts.push(`pid ${state.pid}`);
  if (state.upSince) parts.push(`up ${duration(now - Date.parse(state.upSince))}`);
  parts.push(`${state.restarts} restart${state.restarts === 1 ? '' : 's'}`);
  let text = parts.join(', ');
  if (state.lastExit) {
    const how = state.lastExit.signal ?? `code ${state.lastExit.code}`;
    const recovery = state.lastRecoveryMs !== undefined ? `, answering again after ${(state.lastRecoveryMs / 1000).toFixed(1)} s` : '';
    text += ` (last exit: ${how} at ${state.lastExit.at.slice(11, 19)}${recovery})`;
  }
  if (state.failure) text += `\n    - not restarted: ${state.failure}`;
  return text;
}

function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  return h ? `${h}h ${m}m` : m ? `${m}m ${s}s` : `${s}s`;
}
