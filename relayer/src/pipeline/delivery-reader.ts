import { keccak256, type Result } from 'ethers';
import { ENDPOINT_ABI, RECEIVE_ULN_ABI } from '../chain/abis';
import type { ChainContext } from '../chain/chain-registry';
import type { DeliveryView } from '../core/packet-state';
import { completesVerification } from '../core/sole-dvn';
import type { PacketEntity } from '../database/packet.entity';

const ZERO_HASH = '0x' + '0'.repeat(64);
const ULN_CONFIG_CACHE_MS = 30_000;

/** Reads what the destination chain says about a packet: executed, committed, verified by us, in order. */
export class DeliveryReader {
  private readonly ulnConfigs = new Map<string, { at: number; config: Result }>();

  constructor(private readonly now: () => number) {}

  async view(packet: PacketEntity, dst: ChainContext, dvn: string): Promise<DeliveryView> {
    const { endpoint, receiveUln302 } = dst.config;
    const stored = await this.read(dst, endpoint, ENDPOINT_ABI, 'inboundPayloadHash', [packet.receiver, packet.srcEid, packet.sender, packet.nonce]);
    const hash = String(stored[0]).toLowerCase();
    const view: DeliveryView = { executed: false, committed: false, verifiedByUs: false, verifiable: false, inOrder: false };
    if (hash === ZERO_HASH) {
      const lazy = await this.read(dst, endpoint, ENDPOINT_ABI, 'lazyInboundNonce', [packet.receiver, packet.srcEid, packet.sender]);
      if (BigInt(packet.nonce) <= (lazy[0] as bigint)) return { ...view, executed: true };
    }
    if (hash === packet.payloadHash.toLowerCase()) {
      const inbound = await this.read(dst, endpoint, ENDPOINT_ABI, 'inboundNonce', [packet.receiver, packet.srcEid, packet.sender]);
      return { ...view, committed: true, inOrder: BigInt(packet.nonce) <= (inbound[0] as bigint) };
    }
    const headerHash = keccak256(packet.header);
    const config = await this.ulnConfig(dst, packet);
    const lookup = await this.read(dst, receiveUln302, RECEIVE_ULN_ABI, 'hashLookup', [headerHash, packet.payloadHash, dvn]);
    const verifiedByUs = Boolean(lookup[0]) && (lookup[1] as bigint) >= (config[0] as bigint);
    if (!verifiedByUs) return view;
    const verifiable = await this.read(dst, receiveUln302, RECEIVE_ULN_ABI, 'verifiable', [config, headerHash, packet.payloadHash]);
    return { ...view, verifiedByUs, verifiable: Boolean(verifiable[0]) };
  }

  /**
   * Our verify alone completes the packet's verification: every other required DVN (and enough optional ones)
   * already verified it, with enough confirmations. With one required DVN (us) that is always true.
   */
  async othersVerified(dst: ChainContext, packet: PacketEntity, dvn: string): Promise<boolean> {
    const config = await this.ulnConfig(dst, packet);
    const required = (config[4] as Result).map(String);
    const optional = (config[5] as Result).map(String);
    const set = { requiredDVNs: required, optionalDVNs: optional, optionalDVNThreshold: Number(config[3]) };
    const headerHash = keccak256(packet.header);
    const verified = new Set<string>();
    for (const other of [...required, ...optional]) {
      if (other.toLowerCase() === dvn.toLowerCase()) continue;
      const lookup = await this.read(dst, dst.config.receiveUln302, RECEIVE_ULN_ABI, 'hashLookup', [headerHash, packet.payloadHash, other]);
      if (Boolean(lookup[0]) && (lookup[1] as bigint) >= (config[0] as bigint)) verified.add(other.toLowerCase());
    }
    return completesVerification(set, dvn, (other) => verified.has(other.toLowerCase()));
  }

  /** The pathway's `lazyInboundNonce`: the highest nonce the endpoint's lzReceive has scanned up to. */
  async lazyNonce(dst: ChainContext, packet: PacketEntity): Promise<bigint> {
    const lazy = await this.read(dst, dst.config.endpoint, ENDPOINT_ABI, 'lazyInboundNonce', [packet.receiver, packet.srcEid, packet.sender]);
    return lazy[0] as bigint;
  }

  /** Every lower nonce of the packet's pathway is committed on the endpoint (inboundNonce ≥ nonce − 1). */
  async lowerNoncesCommitted(dst: ChainContext, packet: PacketEntity): Promise<boolean> {
    const inbound = await this.read(dst, dst.config.endpoint, ENDPOINT_ABI, 'inboundNonce', [packet.receiver, packet.srcEid, packet.sender]);
    return (inbound[0] as bigint) >= BigInt(packet.nonce) - 1n;
  }

  /** The receive ULN config of the packet's receiver (confirmations the DVN must report). */
  async ulnConfig(dst: ChainContext, packet: PacketEntity): Promise<Result> {
    const key = `${dst.config.eid}|${packet.receiver}|${packet.srcEid}`;
    const cached = this.ulnConfigs.get(key);
    if (cached && this.now() - cached.at < ULN_CONFIG_CACHE_MS) return cached.config;
    const result = await this.read(dst, dst.config.receiveUln302, RECEIVE_ULN_ABI, 'getUlnConfig', [packet.receiver, packet.srcEid]);
    const config = result[0] as Result;
    this.ulnConfigs.set(key, { at: this.now(), config });
    return config;
  }

  private async read(dst: ChainContext, to: string, abi: typeof ENDPOINT_ABI, method: string, args: unknown[]): Promise<Result> {
    const data = abi.encodeFunctionData(method, args);
    return abi.decodeFunctionResult(method, await dst.rpc.call(to, data));
  }
}
