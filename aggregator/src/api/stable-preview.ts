import { previewStableParams, type RiskBook } from '@tributary/risk';
import type { OracleStress } from '../oracle/oracle-stress';
import { bookId } from '../risk/risk-inputs';
import type { PreviewParamsRequest } from './param-preview.schema';

/** One block of the trading chain when the request names none (s). */
export const DEFAULT_BLOCK_SECONDS = 12;

/**
 * The dampener part of a preview: the assets whose δ or τ the request names, projected from the tracker's state
 * (the δ/τ it uses now against the proposed ones) at the trading chain's last polled time. Null when it names none.
 */
export function stableParamsPreview(book: RiskBook, stress: OracleStress, request: PreviewParamsRequest, nowSeconds: number) {
  const named = (request.assets ?? []).filter((a) => a.stableMaxStep !== undefined || a.stableIntervalSeconds !== undefined);
  if (!named.length) return null;
  const preview = previewStableParams(
    book,
    named.map((a) => {
      const current = stress.paramsOf(a.assetId);
      return {
        assetId: bookId(a.assetId),
        current,
        proposed: { maxStep: a.stableMaxStep ?? current.maxStep, intervalSeconds: a.stableIntervalSeconds ?? current.intervalSeconds },
        state: stress.stablePrice(a.assetId),
      };
    }),
    {
      now: stress.lastChainTime ?? nowSeconds,
      horizonSeconds: request.stableHorizonSeconds,
      blockSeconds: request.blockSeconds ?? DEFAULT_BLOCK_SECONDS,
    },
  );
  return { ...preview, assets: preview.assets.map((a) => ({ ...a, assetId: Number(a.assetId) })) };
}
