import { getAddress, keccak256, toBeHex } from 'ethers';
import { CONTRACT_INTERFACES, decodeLog } from '../../src/events/event-decoder';
import type { ContractRole } from '../../src/events/ledger-events';
import type { RawLog } from '../../src/events/raw-log';
import type { IndexedLog } from '../../src/ledger/ledger-store';

export const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
export const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
export const HUB_CHAIN = { chainId: 41001, eid: 40101 };
export const CONTRACT_ADDRESS: Record<ContractRole, string> = {
  hub: getAddress(toBeHex(0x10, 20)),
  creditManager: getAddress(toBeHex(0x11, 20)),
  perpMarket: getAddress(toBeHex(0x12, 20)),
  vault: getAddress(toBeHex(0x13, 20)),
  settlementPool: getAddress(toBeHex(0x14, 20)),
  liquidationRegistry: getAddress(toBeHex(0x15, 20)),
  insuranceFund: getAddress(toBeHex(0x16, 20)),
  auction: getAddress(toBeHex(0x17, 20)),
};

/** An encoded log of one of our contracts' events (`fork` varies the block hash to model another branch). */
export function rawLog(role: ContractRole, name: string, args: unknown[], at: { block: number; index: number; fork?: number }): RawLog {
  const iface = CONTRACT_INTERFACES[role];
  const { topics, data } = iface.encodeEventLog(iface.getEvent(name)!, args);
  const blockHash = keccak256(toBeHex(at.block * 1000 + (at.fork ?? 0), 32));
  return {
    address: CONTRACT_ADDRESS[role],
    topics,
    data,
    blockNumber: at.block,
    blockHash,
    logIndex: at.index,
    transactionHash: keccak256(toBeHex(at.block * 100 + at.index, 32)),
  };
}

export function indexed(role: ContractRole, raw: RawLog, chain = HUB_CHAIN): IndexedLog {
  return { raw, envelope: decodeLog(role, chain, raw)! };
}
