import { Contract, type ContractRunner, type InterfaceAbi } from 'ethers';
import { abis } from 'virtual:tributary-abis';

/**
 * @tributary/contracts in the browser: the typechain factories the SDK uses, reduced to `abi` and `connect`
 * (vite.config.ts aliases the package here). The real package also ships bytecode and Node-only helpers.
 */
const factory = (abi: InterfaceAbi) => ({ abi, connect: (address: string, runner?: ContractRunner | null) => new Contract(address, abi, runner) });

export const CollateralVault__factory = factory(abis.CollateralVault);
export const CreditManager__factory = factory(abis.CreditManager);
export const MarginHub__factory = factory(abis.MarginHub);
export const PerpMarket__factory = factory(abis.PerpMarket);
export const SettlementPool__factory = factory(abis.SettlementPool);
export const TestERC20__factory = factory(abis.TestERC20);
