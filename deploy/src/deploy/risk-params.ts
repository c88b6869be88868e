import { ZeroAddress, formatUnits, parseEther, parseUnits } from 'ethers';
import {
  CreditManager__factory,
  MarginHub__factory,
  PerpMarket__factory,
  RiskParameters__factory,
  StablePriceFeed__factory,
  deployRiskParameters,
  paramKey,
  type MarginHub,
  type ParamKind,
  type RiskParameters,
} from '@tributary/contracts';
import type { DeployConfig } from '../config/schema';
import { ensureContract, type TradingContracts } from './app';
import type { ChainSession } from './chain-session';
import type { Progress } from './progress';

/** 1e18 fixed point of a config fraction, exact to 1e-15 (toFixed(18) would carry binary noise: 0.8 → 0.800000000000000044). */
const wad = (fraction: number): bigint => parseEther(fraction.toFixed(15));

/**
 * RiskParameters on the trading chain (delay: `trading.paramDelaySeconds`, 24 h by default, 60 s on the devnet):
 * first values of the weights it keeps (maintenance weight per asset, chain weight per collateral chain), then it
 * becomes the hub's, the market's and the CreditManager's parameter governor — from then on every credit-moving
 * parameter changes only by `tributary params propose` → delay → `execute`. Idempotent: a weight it already holds is
 * never overwritten from the config (a config that differs is reported, not applied).
 */
export async function ensureRiskParameters(
  session: ChainSession,
  t: TradingContracts,
  config: DeployConfig,
  collateralEids: { eid: number; weight: number; name: string }[],
  recorded: string | undefined,
  progress: Progress,
): Promise<string> {
  const delay = config.trading.paramDelaySeconds;
  const address = await ensureContract(session, progress, 'RiskParameters', recorded, async () =>
    (
      await deployRiskParameters(session.deployer, { hub: t.hub, market: t.perpMarket, creditManager: t.creditManager, delaySeconds: delay })
    ).getAddress(),
  );
  const params = RiskParameters__factory.connect(address, session.deployer);
  const initial: { key: string; value: bigint; label: string }[] = [
    ...config.assets.map((a) => ({ key: paramKey('maintWeight', a.assetId), value: wad(a.weightMaint), label: `maintenance weight of ${a.symbol}` })),
    ...collateralEids.map((c) => ({ key: paramKey('chainWeight', c.eid), value: wad(c.weight), label: `chain weight of ${c.name}` })),
  ];
  for (const { key, value, label } of initial) {
    const current = await params.paramValue(key).catch(() => null);
    if (current === null) {
      await progress.step(`${label} → ${value} (first value)`, async () => (await params.initializeParam(key, value)).wait());
    } else if (current !== value) {
      progress.info(`${label} is ${current} on chain, ${value} in the config: change it with tributary params propose`);
    }
  }
  const hub = MarginHub__factory.connect(t.hub, session.deployer);
  const market = PerpMarket__factory.connect(t.perpMarket, session.deployer);
  const cm = CreditManager__factory.connect(t.creditManager, session.deployer);
  for (const [label, target] of [
    ['MarginHub', hub],
    ['PerpMarket', market],
    ['CreditManager', cm],
  ] as const) {
    const governor = await target.paramGovernor();
    if (governor === ZeroAddress) {
      await progress.step(`${label} parameters governed by RiskParameters (delay ${delay} s)`, async () =>
        (await target.setParamGovernor(address)).wait(),
      );
    } else if (governor.toLowerCase() !== address.toLowerCase()) {
      throw new Error(`${label} is governed by ${governor}, not by RiskParameters ${address}`);
    }
  }
  await ensureStableFeedGovernor(session, hub, config, address, progress);
  await ensureCaps(params, t.markets, config, progress);
  return address;
}

/** Each asset's hub StablePriceFeed takes its δ and τ from RiskParameters from now on (kinds 14, 15). */
async function ensureStableFeedGovernor(
  session: ChainSession,
  hub: MarginHub,
  config: DeployConfig,
  governor: string,
  progress: Progress,
): Promise<void> {
  for (const asset of config.assets) {
    const feed = StablePriceFeed__factory.connect((await hub.assetRisk(asset.assetId)).feed, session.deployer);
    const current = await feed.paramGovernor().catch(() => null);
    if (current === null) continue; // a plain oracle feed: no stable price to govern
    if (current === ZeroAddress) {
      await progress.step(`${asset.symbol} stable price δ and τ governed by RiskParameters`, async () =>
        (await feed.setParamGovernor(governor)).wait(),
      );
    } else if (current.toLowerCase() !== governor.toLowerCase()) {
      throw new Error(`${asset.symbol} stable price feed is governed by ${current}, not by RiskParameters ${governor}`);
    }
  }
}

/** A cap in human units as its 1e18 word (units of the asset, or USD; precise to 1e-9). */
export const capWord = (value: number): bigint => parseUnits(value.toFixed(9), 18);

/**
 * First values of the markets' caps from the config (RiskParameters.initializeParam, once it governs the market):
 * a cap already set on chain is never overwritten (a config that differs is reported).
 */
async function ensureCaps(params: RiskParameters, markets: TradingContracts['markets'], config: DeployConfig, progress: Progress): Promise<void> {
  for (const m of markets) {
    const caps = config.assets.find((a) => a.assetId === m.assetId)?.market;
    if (!caps) continue;
    const wanted: [ParamKind, number, number | undefined, string][] = [
      ['marketOpenInterestCap', m.marketId, caps.openInterestCap, `open-interest cap of the ${m.symbol} market`],
      ['accountOpenInterestCap', m.marketId, caps.accountOpenInterestCap, `per-account open-interest cap of the ${m.symbol} market`],
      ['accountExposureCap', m.assetId, caps.accountExposureCapUsd, `per-account exposure cap of ${m.symbol} (USD)`],
    ];
    for (const [kind, id, value, label] of wanted) {
      if (value === undefined) continue;
      const key = paramKey(kind, id);
      const word = capWord(value);
      const current = await params.paramValue(key).catch(() => null);
      if (current === null) {
        await progress.step(`${label} → ${value} (first value)`, async () => (await params.initializeParam(key, word)).wait());
      } else if (current !== word) {
        progress.info(`${label} is ${formatUnits(current, 18)} on chain, ${value} in the config: change it with tributary params propose`);
      }
    }
  }
}
