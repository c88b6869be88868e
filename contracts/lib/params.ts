import type { Signer } from 'ethers';
import { RiskParameters__factory, type CreditManager, type MarginHub, type PerpMarket, type RiskParameters } from '../typechain-types';

/**
 * Governed parameter kinds of RiskParameters (key = kind << 64 | id): the TypeScript twin of its constants,
 * checked against them by test/RiskParameters.test.ts.
 */
export const PARAM_KINDS = {
  initWeight: 1,
  maintWeight: 2,
  chainWeight: 3,
  imr: 4,
  mmr: 5,
  takerFee: 6,
  markOverrideHealth: 7,
  guardCapacity: 8,
  guardRefill: 9,
  liquidationPenalty: 10,
  marketOpenInterestCap: 11,
  accountOpenInterestCap: 12,
  accountExposureCap: 13,
  stableMaxStep: 14,
  stableInterval: 15,
} as const;
export type ParamKind = keyof typeof PARAM_KINDS;

/** What the id of a key names, per kind. */
export const PARAM_ID_OF: Record<ParamKind, 'asset' | 'eid' | 'market' | 'none'> = {
  initWeight: 'asset',
  maintWeight: 'asset',
  chainWeight: 'eid',
  imr: 'market',
  mmr: 'market',
  takerFee: 'market',
  markOverrideHealth: 'none',
  guardCapacity: 'none',
  guardRefill: 'none',
  liquidationPenalty: 'none',
  marketOpenInterestCap: 'market',
  accountOpenInterestCap: 'market',
  accountExposureCap: 'asset',
  stableMaxStep: 'asset',
  stableInterval: 'asset',
};

/** The stable price's δ (1e18 per τ) and τ (seconds, not 1e18) of the asset's hub StablePriceFeed. */
export const STABLE_KINDS = ['stableMaxStep', 'stableInterval'] as const;

/** The caps: no value until `initializeParam` (the market reads 0 as "no cap"); units of the asset, or USD. */
export const CAP_KINDS = ['marketOpenInterestCap', 'accountOpenInterestCap', 'accountExposureCap'] as const;

/** Seconds between a proposal and its execution: 24 h unless the deploy config says otherwise (devnet: 60 s). */
export const DEFAULT_PARAM_DELAY_SECONDS = 86_400;

export function paramKey(kind: ParamKind, id: number | bigint = 0): string {
  const word = (BigInt(PARAM_KINDS[kind]) << 64n) | BigInt(id);
  return '0x' + word.toString(16).padStart(64, '0');
}

export function parseParamKey(key: string): { kind: ParamKind; id: bigint } {
  const word = BigInt(key);
  const code = Number(word >> 64n);
  const kind = (Object.keys(PARAM_KINDS) as ParamKind[]).find((k) => PARAM_KINDS[k] === code);
  if (!kind) throw new RangeError(`unknown parameter kind ${code} in key ${key}`);
  return { kind, id: word & ((1n << 64n) - 1n) };
}

/** Deploys RiskParameters for the trading chain's hub, market and CreditManager (not yet their governor). */
export async function deployRiskParameters(
  signer: Signer,
  params: { hub: string; market: string; creditManager: string; delaySeconds?: number; owner?: string },
): Promise<RiskParameters> {
  const owner = params.owner ?? (await signer.getAddress());
  const delay = params.delaySeconds ?? DEFAULT_PARAM_DELAY_SECONDS;
  const contract = await new RiskParameters__factory(signer).deploy(owner, params.hub, params.market, params.creditManager, delay);
  await contract.waitForDeployment();
  return contract;
}

/** Makes `governor` the only path for the governed parameters of the hub, the market and the CreditManager. */
export async function handOverParams(governor: string, targets: { hub: MarginHub; market: PerpMarket; creditManager: CreditManager }): Promise<void> {
  await (await targets.hub.setParamGovernor(governor)).wait();
  await (await targets.market.setParamGovernor(governor)).wait();
  await (await targets.creditManager.setParamGovernor(governor)).wait();
}
