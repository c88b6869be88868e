import { Contract, type Provider } from 'ethers';
import {
  CONFIG_TYPE_EXECUTOR,
  CONFIG_TYPE_ULN,
  addressToBytes32,
  appUlnConfig,
  encodeAppUlnConfig,
  encodeExecutorConfig,
  loadLzArtifact,
  lzContract,
  type LzContractName,
} from '@tributary/contracts';
import { chainDvnSets, type SideDvns } from '../config/dvns';
import type { ChainSession } from './chain-session';
import { planPathway, type DesiredPathway, type OAppPathwayState, type PathwayWrite, type UlnConfigValue } from './plan';
import type { Progress } from './progress';

/** One OApp (hub or vault) on the local chain, talking to `remoteOApp` on `remoteEid`. */
export interface PathwaySide {
  oapp: string;
  remoteEid: number;
  remoteOApp: string;
  endpoint: string;
  sendUln302: string;
  receiveUln302: string;
  worker: string;
  /** The relayer's required DVN on this chain's ReceiveUln302: its DeliveryWorker contract (or its key where none). */
  dvnSigner: string;
  /** Other required DVNs on this chain (public networks: e.g. LayerZero Labs' DVN). */
  additionalDvns: string[];
  /** The independent verifier's worker (send side) and DeliveryWorker (or key; receive side), where it runs (local chains). */
  verifierWorker?: string;
  verifierSigner?: string;
  /** Optional DVNs on this chain and how many of them must verify (none: optionalDVNCount = 255, NIL). */
  optionalDvns?: string[];
  optionalThreshold?: number;
  /** Confirmations of this chain (outbound packets) and of the remote chain (inbound packets). */
  localConfirmations: number;
  remoteConfirmations: number;
  maxMessageSize: number;
  enforcedOptions: Record<number, string>;
}

const OAPP_ABI = [
  'function peers(uint32 eid) view returns (bytes32)',
  'function setPeer(uint32 eid, bytes32 peer)',
  'function enforcedOptions(uint32 eid, uint16 msgType) view returns (bytes)',
  'function setEnforcedOptions(tuple(uint32 eid, uint16 msgType, bytes options)[] params)',
];

const toUln = (raw: {
  confirmations: bigint;
  requiredDVNCount: bigint | number;
  optionalDVNCount: bigint | number;
  optionalDVNThreshold: bigint | number;
  requiredDVNs: string[];
  optionalDVNs: string[];
}): UlnConfigValue => ({
  confirmations: BigInt(raw.confirmations),
  requiredDVNCount: Number(raw.requiredDVNCount),
  optionalDVNCount: Number(raw.optionalDVNCount),
  optionalDVNThreshold: Number(raw.optionalDVNThreshold),
  requiredDVNs: [...raw.requiredDVNs],
  optionalDVNs: [...raw.optionalDVNs],
});

const sets = (side: PathwaySide) =>
  chainDvnSets(
    { worker: side.worker, dvnSigner: side.dvnSigner, verifierWorker: side.verifierWorker, verifierSigner: side.verifierSigner },
    { required: side.additionalDvns, optional: side.optionalDvns ?? [], optionalThreshold: side.optionalThreshold ?? 0 },
  );
/** Send config: our worker, the verifier's worker, further DVNs of this chain. */
export const sendDvns = (side: PathwaySide): SideDvns => sets(side).send;
/** Receive config: the relayer's key, the verifier's key, further DVNs of this chain. */
export const receiveDvns = (side: PathwaySide): SideDvns => sets(side).receive;

export function desiredPathway(side: PathwaySide): DesiredPathway {
  return {
    peer: addressToBytes32(side.remoteOApp),
    sendLibrary: side.sendUln302,
    receiveLibrary: side.receiveUln302,
    sendUln: appUlnConfig(side.localConfirmations, sendDvns(side)),
    executor: { maxMessageSize: side.maxMessageSize, executor: side.worker },
    receiveUln: appUlnConfig(side.remoteConfirmations, receiveDvns(side)),
    enforcedOptions: side.enforcedOptions,
  };
}

const reader = (name: LzContractName, address: string, provider: Provider) => new Contract(address, loadLzArtifact(name).abi, provider);

/** Reads one OApp's current pathway settings (read-only: a provider is enough). */
export async function readPathway(provider: Provider, side: PathwaySide): Promise<OAppPathwayState> {
  const endpoint = reader('EndpointV2', side.endpoint, provider);
  const sendUln = reader('SendUln302', side.sendUln302, provider);
  const receiveUln = reader('ReceiveUln302', side.receiveUln302, provider);
  const oapp = new Contract(side.oapp, OAPP_ABI, provider);
  const [peer, sendLib, sendIsDefault, receiveLib, sendUlnRaw, executorRaw, receiveUlnRaw] = await Promise.all([
    oapp.getFunction('peers')(side.remoteEid) as Promise<string>,
    endpoint.getSendLibrary(side.oapp, side.remoteEid) as Promise<string>,
    endpoint.isDefaultSendLibrary(side.oapp, side.remoteEid) as Promise<boolean>,
    endpoint.getReceiveLibrary(side.oapp, side.remoteEid),
    sendUln.getAppUlnConfig(side.oapp, side.remoteEid),
    sendUln.executorConfigs(side.oapp, side.remoteEid),
    receiveUln.getAppUlnConfig(side.oapp, side.remoteEid),
  ]);
  const enforcedOptions: Record<number, string> = {};
  for (const type of Object.keys(side.enforcedOptions)) {
    enforcedOptions[Number(type)] = ((await oapp.getFunction('enforcedOptions')(side.remoteEid, Number(type))) as string).toLowerCase();
  }
  return {
    peer,
    sendLibrary: { lib: sendLib, isDefault: sendIsDefault },
    receiveLibrary: { lib: receiveLib[0], isDefault: receiveLib[1] },
    sendUln: toUln(sendUlnRaw),
    executor: { maxMessageSize: Number(executorRaw[0]), executor: executorRaw[1] },
    receiveUln: toUln(receiveUlnRaw),
    enforcedOptions,
  };
}

async function applyWrite(session: ChainSession, side: PathwaySide, desired: DesiredPathway, write: PathwayWrite): Promise<void> {
  const endpoint = lzContract('EndpointV2', side.endpoint, session.deployer);
  const oapp = new Contract(side.oapp, OAPP_ABI, session.deployer);
  const eid = side.remoteEid;
  const wait = async (tx: Promise<{ wait(): Promise<unknown> }>) => void (await (await tx).wait());
  switch (write.kind) {
    case 'setPeer':
      return wait(oapp.getFunction('setPeer')(eid, desired.peer));
    case 'setSendLibrary':
      return wait(endpoint.setSendLibrary(side.oapp, eid, side.sendUln302));
    case 'setReceiveLibrary':
      return wait(endpoint.setReceiveLibrary(side.oapp, eid, side.receiveUln302, 0));
    case 'setSendConfig': {
      const params = [];
      if (write.executor) params.push({ eid, configType: CONFIG_TYPE_EXECUTOR, config: encodeExecutorConfig(side.maxMessageSize, side.worker) });
      if (write.uln) params.push({ eid, configType: CONFIG_TYPE_ULN, config: encodeAppUlnConfig(side.localConfirmations, sendDvns(side)) });
      return wait(endpoint.setConfig(side.oapp, side.sendUln302, params));
    }
    case 'setReceiveConfig':
      return wait(
        endpoint.setConfig(side.oapp, side.receiveUln302, [
          { eid, configType: CONFIG_TYPE_ULN, config: encodeAppUlnConfig(side.remoteConfirmations, receiveDvns(side)) },
        ]),
      );
    case 'setEnforcedOptions':
      return wait(
        oapp.getFunction('setEnforcedOptions')(write.messageTypes.map((msgType) => ({ eid, msgType, options: desired.enforcedOptions[msgType]! }))),
      );
  }
}

const describeWrite = (write: PathwayWrite): string =>
  write.kind === 'setSendConfig'
    ? `setConfig(send: ${[write.executor && 'executor', write.uln && 'ULN'].filter(Boolean).join(' + ')})`
    : write.kind === 'setEnforcedOptions'
      ? `setEnforcedOptions(types ${write.messageTypes.join(', ')})`
      : write.kind;

/** Reads the OApp's pathway settings and writes only what differs. Returns the writes made. */
export async function ensurePathway(session: ChainSession, side: PathwaySide, label: string, progress: Progress): Promise<PathwayWrite[]> {
  const desired = desiredPathway(side);
  const writes = planPathway(await readPathway(session.provider, side), desired);
  for (const write of writes) {
    await progress.step(`${label}: ${describeWrite(write)}`, () => applyWrite(session, side, desired, write));
  }
  return writes;
}
