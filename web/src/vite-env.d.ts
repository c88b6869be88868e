/// <reference types="vite/client" />

declare module 'virtual:tributary-abis' {
  import type { InterfaceAbi } from 'ethers';
  export const abis: Record<'CollateralVault' | 'CreditManager' | 'MarginHub' | 'PerpMarket' | 'SettlementPool' | 'TestERC20', InterfaceAbi>;
}
