import { Interface, type InterfaceAbi } from 'ethers';
import {
  CollateralVault__factory,
  CreditManager__factory,
  MarginHub__factory,
  PerpMarket__factory,
  RelayerWorker__factory,
  loadLzArtifact,
} from '@tributary/contracts';

let interfaces: Interface[] | undefined;

function known(): Interface[] {
  interfaces ??= [
    ...(['EndpointV2', 'SendUln302', 'ReceiveUln302'] as const).map((name) => new Interface(loadLzArtifact(name).abi)),
    ...[CollateralVault__factory, MarginHub__factory, CreditManager__factory, PerpMarket__factory, RelayerWorker__factory].map(
      (f) => new Interface(f.abi as InterfaceAbi),
    ),
  ];
  return interfaces;
}

/** Names a custom error from revert data using the ABIs of everything `deploy` touches ("LZ_SameValue()"). */
export function decodeRevert(data: unknown): string | undefined {
  if (typeof data !== 'string' || !/^0x[0-9a-fA-F]{8}/.test(data)) return undefined;
  for (const iface of known()) {
    try {
      const parsed = iface.parseError(data);
      if (parsed) return `${parsed.name}(${parsed.args.map((a) => String(a)).join(', ')})`;
    } catch {
      // not this contract's error
    }
  }
  return undefined;
}
