import { readFileSync } from 'node:fs';
import type { InterfaceAbi } from 'ethers';

export interface CompiledArtifact {
  contractName: string;
  abi: InterfaceAbi;
  bytecode: string;
}

/** LayerZero V2 contracts deployed from the compiled artifacts LayerZero's npm packages ship. */
export const LZ_ARTIFACT_PATHS = {
  EndpointV2: '@layerzerolabs/lz-evm-protocol-v2/artifacts/contracts/EndpointV2.sol/EndpointV2.json',
  SendUln302: '@layerzerolabs/lz-evm-messagelib-v2/artifacts/contracts/uln/uln302/SendUln302.sol/SendUln302.json',
  ReceiveUln302: '@layerzerolabs/lz-evm-messagelib-v2/artifacts/contracts/uln/uln302/ReceiveUln302.sol/ReceiveUln302.json',
} as const;

export type LzContractName = keyof typeof LZ_ARTIFACT_PATHS;

export function loadLzArtifact(name: LzContractName): CompiledArtifact {
  const artifact = JSON.parse(readFileSync(require.resolve(LZ_ARTIFACT_PATHS[name]), 'utf8')) as CompiledArtifact;
  if (!artifact.bytecode || artifact.bytecode === '0x') throw new Error(`LayerZero artifact ${name} has no bytecode`);
  return artifact;
}
