import { AbiCoder, Contract, ContractFactory, type Signer, getAddress, getBytes, solidityPacked, toBigInt } from 'ethers';
import { loadLzArtifact, type LzContractName } from './artifacts';

/** Addresses of one LayerZero V2 endpoint and its ULN302 libraries. */
export interface EndpointDeployment {
  eid: number;
  endpoint: string;
  sendUln302: string;
  receiveUln302: string;
}

/** Default ULN302 settings of a pathway as seen from one endpoint. */
export interface PathwayConfig {
  remoteEid: number;
  confirmations: number;
  /** DVNs that SendUln302 asks for jobs (worker contracts on this chain). */
  sendDvns: string[];
  /** DVNs whose `verify` ReceiveUln302 accepts for packets from `remoteEid`. */
  receiveDvns: string[];
  executor: string;
  maxMessageSize?: number;
}

const ULN_CONFIG_TYPE =
  'tuple(uint64 confirmations, uint8 requiredDVNCount, uint8 optionalDVNCount, uint8 optionalDVNThreshold, address[] requiredDVNs, address[] optionalDVNs)';
export const EXECUTOR_CONFIG_TYPE = 'tuple(uint32 maxMessageSize, address executor)';
export const CONFIG_TYPE_EXECUTOR = 1;
export const CONFIG_TYPE_ULN = 2;

export function lzContract(name: LzContractName, address: string, runner: Signer): Contract {
  return new Contract(address, loadLzArtifact(name).abi, runner);
}

async function deployLz(name: LzContractName, signer: Signer, args: unknown[]): Promise<Contract> {
  const artifact = loadLzArtifact(name);
  const contract = await new ContractFactory(artifact.abi, artifact.bytecode, signer).deploy(...args);
  await contract.waitForDeployment();
  return contract as Contract;
}

/** Deploys EndpointV2 + SendUln302 + ReceiveUln302 for `eid` and registers both libraries. */
export async function deployEndpoint(signer: Signer, eid: number): Promise<EndpointDeployment> {
  const owner = await signer.getAddress();
  const endpoint = await deployLz('EndpointV2', signer, [eid, owner]);
  const endpointAddress = await endpoint.getAddress();
  const sendUln = await deployLz('SendUln302', signer, [endpointAddress, 0, 0]);
  const receiveUln = await deployLz('ReceiveUln302', signer, [endpointAddress]);
  const sendUln302 = await sendUln.getAddress();
  const receiveUln302 = await receiveUln.getAddress();
  await (await endpoint.registerLibrary(sendUln302)).wait();
  await (await endpoint.registerLibrary(receiveUln302)).wait();
  return { eid, endpoint: endpointAddress, sendUln302, receiveUln302 };
}

export const sortAddresses = (addresses: string[]): string[] =>
  addresses.map((a) => getAddress(a)).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));

export function ulnConfig(confirmations: number, requiredDVNs: string[]) {
  return {
    confirmations: BigInt(confirmations),
    requiredDVNCount: requiredDVNs.length,
    optionalDVNCount: 0,
    optionalDVNThreshold: 0,
    requiredDVNs: sortAddresses(requiredDVNs),
    optionalDVNs: [] as string[],
  };
}

export function encodeUlnConfig(confirmations: number, requiredDVNs: string[]): string {
  return AbiCoder.defaultAbiCoder().encode([ULN_CONFIG_TYPE], [ulnConfig(confirmations, requiredDVNs)]);
}

/** LayerZero's NIL DVN count: "none" in an OApp's ULN config (0 there means "use the endpoint's default"). */
export const NIL_DVN_COUNT = 255;

/** The DVNs of one side of an OApp's pathway: every required one signs, plus `optionalThreshold` of the optional ones. */
export interface DvnSet {
  required: string[];
  optional?: string[];
  optionalThreshold?: number;
}

/**
 * An OApp's own ULN config (what `EndpointV2.setConfig` writes): DVN lists sorted, and with no optional DVNs
 * `optionalDVNCount = 255` (NIL), never 0 — 0 would pull in the endpoint's default optional DVNs.
 */
export function appUlnConfig(confirmations: number, dvns: DvnSet) {
  const optional = dvns.optional ?? [];
  return {
    confirmations: BigInt(confirmations),
    requiredDVNCount: dvns.required.length === 0 ? NIL_DVN_COUNT : dvns.required.length,
    optionalDVNCount: optional.length === 0 ? NIL_DVN_COUNT : optional.length,
    optionalDVNThreshold: optional.length === 0 ? 0 : (dvns.optionalThreshold ?? optional.length),
    requiredDVNs: sortAddresses(dvns.required),
    optionalDVNs: sortAddresses(optional),
  };
}

export function encodeAppUlnConfig(confirmations: number, dvns: DvnSet): string {
  return AbiCoder.defaultAbiCoder().encode([ULN_CONFIG_TYPE], [appUlnConfig(confirmations, dvns)]);
}

export function encodeExecutorConfig(maxMessageSize: number, executor: string): string {
  return AbiCoder.defaultAbiCoder().encode([EXECUTOR_CONFIG_TYPE], [{ maxMessageSize, executor }]);
}

/**
 * Sets the endpoint's default libraries and ULN/executor configs toward `remoteEid`.
 * Configs go first: setDefault*Library reverts for an eid the library does not support yet.
 */
export async function wireDefaultPathway(signer: Signer, local: EndpointDeployment, pathway: PathwayConfig): Promise<void> {
  const endpoint = lzContract('EndpointV2', local.endpoint, signer);
  const sendUln = lzContract('SendUln302', local.sendUln302, signer);
  const receiveUln = lzContract('ReceiveUln302', local.receiveUln302, signer);
  const eid = pathway.remoteEid;
  await (await sendUln.setDefaultUlnConfigs([{ eid, config: ulnConfig(pathway.confirmations, pathway.sendDvns) }])).wait();
  await (
    await sendUln.setDefaultExecutorConfigs([{ eid, config: { maxMessageSize: pathway.maxMessageSize ?? 10_000, executor: pathway.executor } }])
  ).wait();
  await (await receiveUln.setDefaultUlnConfigs([{ eid, config: ulnConfig(pathway.confirmations, pathway.receiveDvns) }])).wait();
  await (await endpoint.setDefaultSendLibrary(eid, local.sendUln302)).wait();
  await (await endpoint.setDefaultReceiveLibrary(eid, local.receiveUln302, 0)).wait();
}

/** Type-3 executor options carrying one lzReceive gas limit. */
export function lzReceiveOptions(gas: bigint | number, value: bigint | number = 0): string {
  if (BigInt(value) === 0n) return solidityPacked(['uint16', 'uint8', 'uint16', 'uint8', 'uint128'], [3, 1, 17, 1, gas]);
  return solidityPacked(['uint16', 'uint8', 'uint16', 'uint8', 'uint128', 'uint128'], [3, 1, 33, 1, gas, value]);
}

/**
 * Σ gas and Σ value of the executor lzReceive options in LayerZero type-3 `options` (as `PacketSent` carries
 * them): what an executor must give the receiving app. Other options are skipped.
 */
export function decodeLzReceiveOptions(options: string): { gas: bigint; value: bigint } {
  const bytes = getBytes(options);
  if (bytes.length < 2 || ((bytes[0] << 8) | bytes[1]) !== 3) throw new Error(`not type-3 options: ${options}`);
  let gas = 0n;
  let value = 0n;
  for (let cursor = 2; cursor < bytes.length;) {
    const worker = bytes[cursor];
    const size = (bytes[cursor + 1] << 8) | bytes[cursor + 2];
    const start = cursor + 3;
    cursor = start + size;
    if (worker !== 1 || bytes[start] !== 1) continue; // executor, lzReceive
    const params = bytes.slice(start + 1, cursor);
    gas += toBigInt(params.slice(0, 16));
    if (params.length === 32) value += toBigInt(params.slice(16, 32));
  }
  return { gas, value };
}

export const addressToBytes32 = (address: string): string => '0x' + getAddress(address).slice(2).toLowerCase().padStart(64, '0');
