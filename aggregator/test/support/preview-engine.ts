import { RiskApiService } from '../../src/api/risk-api.service';
import type { LedgerQueryRepository } from '../../src/ledger/ledger-query.repository';
import type { OracleService } from '../../src/oracle/oracle.service';
import type { RiskHistoryRepository } from '../../src/risk/risk-history.repository';
import { FakeParamsChain } from './fake-params-chain';
import { setup } from './risk-service-fixture';

/**
 * The live risk engine reading its parameters from a fake RiskParameters chain, with the API that previews a change,
 * and `execute` to land a change on that chain and let the engine follow (the clock moves 0.2 s: past
 * RISK_PARAMS_POLL_MS = 100, within the same second).
 */
export function previewEngine(reads: FakeParamsChain['reads'], env: Record<string, string> = {}) {
  const chain = new FakeParamsChain();
  chain.reads = reads;
  const parts = setup({ RISK_PARAMS_POLL_MS: '100', ...env }, chain);
  const api = new RiskApiService(
    parts.service,
    parts.book,
    parts.weights,
    parts.oracle as unknown as OracleService,
    {} as RiskHistoryRepository,
    parts.ledger as LedgerQueryRepository,
    parts.params,
    parts.paramsRepo,
  );
  const execute = async (changed: Partial<FakeParamsChain['reads']>) => {
    chain.reads = { ...chain.reads, ...changed };
    chain.block++;
    chain.changes.push(chain.block);
    parts.clock.seconds += 0.2;
    await parts.service.refresh();
  };
  return { ...parts, chain, api, execute };
}
