import { ExecutorOptionType } from '@layerzerolabs/lz-v2-utilities';
import type { OAppOmniGraphHardhat, OmniPointHardhat } from '@layerzerolabs/toolbox-hardhat';
import { readExport } from './src/export';

// The OApp config Tributary's deploy package wrote on the devnet, in LayerZero's own format: every hub ⇄ vault
// pathway with its libraries, two required DVNs (no optional ones), the executor and the enforced options.
const data = readExport();
const point = (network: string): OmniPointHardhat => {
  const chain = data.chains.find((c) => c.network === network)!;
  return { eid: chain.eid, contractName: chain.contractName };
};

const config: OAppOmniGraphHardhat = {
  contracts: data.chains.map((chain) => ({ contract: point(chain.network) })),
  connections: data.pathways.map((pathway) => {
    const from = data.chains.find((c) => c.network === pathway.from)!;
    const to = data.chains.find((c) => c.network === pathway.to)!;
    return {
      from: point(from.network),
      to: point(to.network),
      config: {
        sendLibrary: from.sendUln302,
        receiveLibraryConfig: { receiveLibrary: from.receiveUln302, gracePeriod: BigInt(0) },
        sendConfig: {
          executorConfig: { maxMessageSize: data.maxMessageSize, executor: from.executor },
          ulnConfig: { confirmations: BigInt(from.confirmations), requiredDVNs: from.sendDvns, optionalDVNs: [], optionalDVNThreshold: 0 },
        },
        // Packets from `to` arrive here with `to`'s confirmations, verified by the keys of `from`'s receive config.
        receiveConfig: {
          ulnConfig: { confirmations: BigInt(to.confirmations), requiredDVNs: from.receiveDvns, optionalDVNs: [], optionalDVNThreshold: 0 },
        },
        enforcedOptions: pathway.enforcedOptions.map((o) => ({
          msgType: o.msgType,
          optionType: ExecutorOptionType.LZ_RECEIVE,
          gas: BigInt(o.gas),
          value: BigInt(o.value),
        })),
      },
    };
  }),
};

export default config;
