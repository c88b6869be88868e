import { parseEther } from 'ethers';
import {
  LiquidationRegistry__factory,
  MarginHub__factory,
  PerpMarket__factory,
  SettlementPool__factory,
  connectLiquidation,
  deployInsuranceFund,
  deployLiquidationRegistry,
} from '@tributary/contracts';
import type { ManifestChain } from '@tributary/protocol';
import type { DeployConfig } from '../config/schema';
import type { ChainSession } from './chain-session';
import { ensureContract } from './app';
import type { Progress } from './progress';

const wad = (fraction: number): bigint => parseEther(fraction.toFixed(18));

/**
 * Liquidation on the trading chain: the LiquidationRegistry (maint weights = the assets' weightMaint, the seizure
 * order) and the InsuranceFund, wired to the hub, the market and the pool. `seize` and `liquidate` are open to
 * anyone (every condition is checked on chain); the pool's HUB_ROLE and FUND_ROLE go to the hub and the fund.
 */
export async function ensureLiquidation(
  session: ChainSession,
  config: DeployConfig,
  c: { creditManager: string; hub: string; perpMarket: string; settlementPool: string },
  recorded: { chain?: ManifestChain },
  progress: Progress,
): Promise<{ liquidationRegistry: string; insuranceFund: string }> {
  const { deployer } = session;
  const liquidationRegistry = await ensureContract(
    session,
    progress,
    'LiquidationRegistry',
    recorded.chain?.contracts.liquidationRegistry,
    async () => (await deployLiquidationRegistry(deployer, { creditManager: c.creditManager })).getAddress(),
  );
  const insuranceFund = await ensureContract(session, progress, 'InsuranceFund', recorded.chain?.contracts.insuranceFund, async () =>
    (await deployInsuranceFund(deployer, { pool: c.settlementPool, registry: liquidationRegistry })).getAddress(),
  );
  const registry = LiquidationRegistry__factory.connect(liquidationRegistry, deployer);
  await connectLiquidation({
    hub: MarginHub__factory.connect(c.hub, deployer),
    market: PerpMarket__factory.connect(c.perpMarket, deployer),
    pool: SettlementPool__factory.connect(c.settlementPool, deployer),
    registry,
    fund: insuranceFund,
  });
  for (const asset of config.assets) {
    const weight = wad(asset.weightMaint);
    if ((await registry.maintWeight(asset.assetId)) !== weight) await (await registry.setMaintWeight(asset.assetId, weight)).wait();
  }
  return { liquidationRegistry, insuranceFund };
}
