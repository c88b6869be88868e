import { ZeroAddress, type Signer } from 'ethers';
import {
  DeliveryWorker__factory,
  RelayerWorker__factory,
  deployEndpoint,
  lzContract,
  wireDefaultPathway,
  type EndpointDeployment,
} from '@tributary/contracts';
import type { ManifestChain } from '@tributary/protocol';
import type { ChainSession } from './chain-session';
import { ensureContract } from './app';
import { planContract, workerConfigEquals, workerPricingEquals, type WorkerFees } from './plan';
import type { Progress } from './progress';

export interface ChainLayerZero extends EndpointDeployment {
  worker: string;
  /** The independent verifier's RelayerWorker (local chains). */
  verifierWorker?: string;
  /** Receive-side DVN contracts (DeliveryWorker) of the relayer's key and of the verifier's key. */
  deliveryWorker?: string;
  verifierDeliveryWorker?: string;
  deployedByUs: boolean;
}

const hasCode = async (session: ChainSession, address: string | undefined) => !!address && (await session.provider.getCode(address)) !== '0x';

/**
 * LayerZero V2 on one chain. Local: EndpointV2 + SendUln302 + ReceiveUln302 from LayerZero's artifacts,
 * reused when the manifest's addresses still hold code. Public: the config's addresses. Either way our
 * RelayerWorker (send-side DVN + executor) is deployed or reused and allowed on the send library.
 */
export async function ensureLayerZero(session: ChainSession, recorded: ManifestChain | undefined, progress: Progress): Promise<ChainLayerZero> {
  const { config, deployer } = session;
  let endpoint: EndpointDeployment;
  if (config.local) {
    const journaled = session.journal?.get(config.eid, 'EndpointV2');
    const lz =
      recorded?.layerZero ??
      (journaled
        ? {
            endpoint: journaled,
            sendUln302: session.journal!.get(config.eid, 'SendUln302')!,
            receiveUln302: session.journal!.get(config.eid, 'ReceiveUln302')!,
          }
        : undefined);
    const present =
      lz && (await hasCode(session, lz.endpoint)) && (await hasCode(session, lz.sendUln302)) && (await hasCode(session, lz.receiveUln302));
    if (planContract(lz?.endpoint, !!present) === 'reuse') {
      endpoint = { eid: config.eid, endpoint: lz!.endpoint, sendUln302: lz!.sendUln302, receiveUln302: lz!.receiveUln302 };
      progress.exists('EndpointV2 + ULN302', endpoint.endpoint);
      const endpointContract = lzContract('EndpointV2', endpoint.endpoint, deployer);
      for (const lib of [endpoint.sendUln302, endpoint.receiveUln302]) {
        if (!(await endpointContract.isRegisteredLibrary(lib)))
          await progress.step(`registering library ${lib}`, async () => (await endpointContract.registerLibrary(lib)).wait());
      }
    } else {
      endpoint = await progress.step(
        'deploying LayerZero V2 EndpointV2 + SendUln302 + ReceiveUln302',
        () => deployEndpoint(deployer, config.eid),
        (e) => e.endpoint,
      );
      session.journal?.record(config.eid, 'SendUln302', endpoint.sendUln302);
      session.journal?.record(config.eid, 'ReceiveUln302', endpoint.receiveUln302);
      session.journal?.record(config.eid, 'EndpointV2', endpoint.endpoint);
    }
  } else {
    const lz = config.layerZero!;
    for (const [name, address] of Object.entries({ EndpointV2: lz.endpoint, SendUln302: lz.sendUln302, ReceiveUln302: lz.receiveUln302 })) {
      if (!(await hasCode(session, address))) throw new Error(`chain "${config.name}": no contract at the configured ${name} ${address}`);
    }
    endpoint = { eid: config.eid, endpoint: lz.endpoint, sendUln302: lz.sendUln302, receiveUln302: lz.receiveUln302 };
  }

  const worker = await ensureContract(session, progress, 'RelayerWorker', config.layerZero?.worker ?? recorded?.layerZero.worker, async () => {
    const contract = await new RelayerWorker__factory(deployer).deploy(session.deployerAddress, [endpoint.sendUln302]);
    await contract.waitForDeployment();
    return contract.getAddress();
  });
  const workerContract = RelayerWorker__factory.connect(worker, deployer);
  if (!(await workerContract.allowedLibraries(endpoint.sendUln302))) {
    await progress.step('allowing SendUln302 on the worker', async () => (await workerContract.setLibrary(endpoint.sendUln302, true)).wait());
  }
  return { ...endpoint, worker, deployedByUs: config.local };
}

/**
 * Local chains: the independent verifier's own RelayerWorker (its send-side DVN: SendUln302 assigns it a job and
 * pays it for every packet), owned by the verifier's key. Reused when the manifest's address still holds code.
 */
export async function ensureVerifierWorker(
  session: ChainSession,
  lz: ChainLayerZero,
  owner: string,
  recorded: ManifestChain | undefined,
  progress: Progress,
): Promise<string> {
  const worker = await ensureContract(session, progress, 'VerifierWorker', recorded?.layerZero.verifierWorker, async () => {
    const contract = await new RelayerWorker__factory(session.deployer).deploy(owner, [lz.sendUln302]);
    await contract.waitForDeployment();
    return contract.getAddress();
  });
  const current = await RelayerWorker__factory.connect(worker, session.provider).owner();
  if (current.toLowerCase() !== owner.toLowerCase()) throw new Error(`VerifierWorker ${worker} is owned by ${current}, not the verifier ${owner}`);
  return worker;
}

/**
 * The receive-side DVN contract of one operator key (`owner`): the required DVN the OApps' receive config lists, through
 * which that key verifies, commits and executes packets in batches. Reused when the manifest's address still holds code
 * and is owned by `owner`.
 */
export async function ensureDeliveryWorker(
  session: ChainSession,
  lz: ChainLayerZero,
  name: 'DeliveryWorker' | 'VerifierDeliveryWorker',
  owner: string,
  recorded: string | undefined,
  progress: Progress,
): Promise<string> {
  const worker = await ensureContract(session, progress, name, recorded, async () => {
    const contract = await new DeliveryWorker__factory(session.deployer).deploy(owner, lz.endpoint, lz.receiveUln302);
    await contract.waitForDeployment();
    return contract.getAddress();
  });
  const current = await DeliveryWorker__factory.connect(worker, session.provider).owner();
  if (current.toLowerCase() !== owner.toLowerCase()) throw new Error(`${name} ${worker} is owned by ${current}, not ${owner}`);
  return worker;
}

/**
 * The worker serves `remoteEid` at the planned fees and per-unit prices (each written only when different).
 * `owner` signs the writes (default: the deployer; the verifier's key for its own worker).
 */
export async function ensureWorkerDestination(
  session: ChainSession,
  worker: string,
  remoteEid: number,
  desired: WorkerFees,
  progress: Progress,
  owner: Signer = session.deployer,
): Promise<void> {
  const contract = RelayerWorker__factory.connect(worker, owner);
  const current = await contract.dstConfigs(remoteEid);
  if (!workerConfigEquals({ enabled: current.enabled, dvnFee: current.dvnFee, executorFee: current.executorFee }, desired.dstConfig)) {
    const { dvnFee, executorFee } = desired.dstConfig;
    await progress.step(`worker: serve eid ${remoteEid} (DVN ${dvnFee} wei, executor ${executorFee} wei)`, async () =>
      (await contract.setDstConfig(remoteEid, desired.dstConfig)).wait(),
    );
  }
  const pricing = await contract.dstPricing(remoteEid);
  if (!workerPricingEquals({ gasPrice: pricing.gasPrice, nativePriceRatio: pricing.nativePriceRatio }, desired.pricing)) {
    await progress.step(`worker: eid ${remoteEid} lzReceive gas at ${desired.pricing.gasPrice} wei`, async () =>
      (await contract.setDstPricing(remoteEid, desired.pricing)).wait(),
    );
  }
}

/**
 * Local chains only: default ULN/executor configs and default libraries toward `remoteEid`, which make the
 * eid "supported" so OApps can select the libraries explicitly. Public endpoints already have defaults.
 */
export async function ensureLocalDefaults(
  session: ChainSession,
  lz: ChainLayerZero,
  pathway: { remoteEid: number; confirmations: number; sendDvns: string[]; receiveDvns: string[]; maxMessageSize: number },
  progress: Progress,
): Promise<void> {
  const endpoint = lzContract('EndpointV2', lz.endpoint, session.deployer);
  const send: string = await endpoint.defaultSendLibrary(pathway.remoteEid);
  const receive: string = await endpoint.defaultReceiveLibrary(pathway.remoteEid);
  if (send !== ZeroAddress && receive !== ZeroAddress) return;
  await progress.step(`endpoint defaults toward eid ${pathway.remoteEid}`, () =>
    wireDefaultPathway(session.deployer, lz, {
      remoteEid: pathway.remoteEid,
      confirmations: pathway.confirmations,
      sendDvns: pathway.sendDvns,
      receiveDvns: pathway.receiveDvns,
      executor: lz.worker,
      maxMessageSize: pathway.maxMessageSize,
    }),
  );
}
