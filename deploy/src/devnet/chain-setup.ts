import { MaxUint256, parseUnits } from 'ethers';
import { TestERC20__factory, devWallet, type LocalChain } from '@tributary/contracts';
import type { Manifest } from '@tributary/protocol';
import { makeProvider } from '../deploy/chain-session';
import type { ManifestSidecar } from '../deploy/manifest-io';
import { DEVNET_CHAINS, DEV_ACCOUNTS } from './devnet-config';

/**
 * Mints every test token to the demo traders and approves the contracts that pull it: the vault on a collateral
 * chain, the SettlementPool (repayments) for the quote USDC on the trading chain.
 */
export async function fundDemoAccounts(manifest: Manifest, sidecar: ManifestSidecar): Promise<void> {
  await Promise.all(
    manifest.chains.map(async (chain) => {
      const spender = chain.role === 'collateral' ? chain.contracts.vault : chain.contracts.settlementPool;
      const tokens = Object.values(sidecar.chains.find((c) => c.eid === chain.eid)?.testTokens ?? {});
      if (!spender || tokens.length === 0) return;
      const provider = makeProvider(chain.rpcUrl, chain.chainId);
      const deployer = devWallet(DEV_ACCOUNTS.deployer, provider);
      for (let i = DEV_ACCOUNTS.firstTrader; i <= DEV_ACCOUNTS.lastTrader; i++) {
        const trader = devWallet(i, provider);
        for (const token of tokens) {
          const erc20 = TestERC20__factory.connect(token, deployer);
          await (await erc20.mint(trader.address, parseUnits('1000000', await erc20.decimals()))).wait();
          await (await erc20.connect(trader).approve(spender, MaxUint256)).wait();
        }
      }
      provider.destroy();
    }),
  );
}

/**
 * The trading chain carries both DVNs' DeliveryWorker batches: at 100 deposits/s each DVN's batches reserve ~26M gas a
 * block (every lzReceive budget in full, in transactions of ≤ 16M), more than hardhat's default 30M block holds.
 */
const TRADING_BLOCK_GAS_LIMIT = 120_000_000;

export async function raiseTradingGasLimit(chains: LocalChain[]): Promise<void> {
  const index = DEVNET_CHAINS.findIndex((c) => c.role === 'trading');
  const chain = chains[index]!;
  const provider = makeProvider(chain.rpcUrl, chain.chainId);
  await provider.send('evm_setBlockGasLimit', ['0x' + TRADING_BLOCK_GAS_LIMIT.toString(16)]);
  provider.destroy();
}

export async function setAutomine(chains: LocalChain[], on: boolean): Promise<void> {
  await Promise.all(
    chains.map(async (chain) => {
      const provider = makeProvider(chain.rpcUrl, chain.chainId);
      await provider.send('evm_setAutomine', [on]);
      provider.destroy();
    }),
  );
}
