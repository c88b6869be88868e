import { useQuery } from '@tanstack/react-query';
import type { TributaryClient } from '@tributary/sdk';
import { useServices } from './context';
import { RelayerApi } from './relayer';

/** Query keys: a trader's are prefixed with `trader` and the address, so the event stream can refresh them together. */
export const keys = {
  trader: (address: string) => ['trader', address] as const,
  account: (address: string) => ['trader', address, 'account'] as const,
  ledger: (address: string) => ['trader', address, 'ledger'] as const,
  risk: (address: string) => ['trader', address, 'risk'] as const,
  history: (address: string) => ['trader', address, 'history'] as const,
};

/** Polling backs up the event stream (it refreshes these on every account event). */
const TRADER_POLL_MS = 10_000;
const OPERATOR_POLL_MS = 2_000;

/** The unified account (ledger, on-chain credit and cash, live risk) as the SDK reads it. */
export function useAccountSummary(client: TributaryClient) {
  return useQuery({ queryKey: keys.account(client.address), queryFn: () => client.account(), refetchInterval: TRADER_POLL_MS });
}

/** GET /v1/accounts/:a: withdrawable per chain and asset, withdrawals (null: unknown account). */
export function useLedger(client: TributaryClient) {
  return useQuery({ queryKey: keys.ledger(client.address), queryFn: () => client.api.account(client.address), refetchInterval: TRADER_POLL_MS });
}

/** GET /v1/accounts/:a/risk: every term of the model and the prices and weights it used (null: unknown account). */
export function useAccountRisk(client: TributaryClient) {
  return useQuery({ queryKey: keys.risk(client.address), queryFn: () => client.api.accountRisk(client.address), refetchInterval: TRADER_POLL_MS });
}

export function useRiskHistory(client: TributaryClient) {
  return useQuery({
    queryKey: keys.history(client.address),
    queryFn: () => client.api.riskHistory(client.address, { limit: 100 }),
    refetchInterval: 30_000,
  });
}

export function useOraclePrices(poll = OPERATOR_POLL_MS) {
  const { api } = useServices();
  return useQuery({ queryKey: ['oracle-prices'], queryFn: () => api.oraclePrices(), refetchInterval: poll });
}

export function useChains() {
  const { api } = useServices();
  return useQuery({ queryKey: ['chains'], queryFn: () => api.chains(), refetchInterval: OPERATOR_POLL_MS });
}

export function useRiskChains() {
  const { api } = useServices();
  return useQuery({ queryKey: ['risk-chains'], queryFn: () => api.riskChains(), refetchInterval: OPERATOR_POLL_MS });
}

export function useCreditStatus() {
  const { api } = useServices();
  return useQuery({ queryKey: ['credit-status'], queryFn: () => api.creditStatus(), refetchInterval: OPERATOR_POLL_MS });
}

export function useRiskBook() {
  const { api } = useServices();
  return useQuery({ queryKey: ['risk-book'], queryFn: () => api.riskBook({ nearest: 10 }), refetchInterval: OPERATOR_POLL_MS });
}

export function useLiquidations() {
  const { api } = useServices();
  return useQuery({ queryKey: ['liquidations'], queryFn: () => api.liquidations({ limit: 20 }), refetchInterval: OPERATOR_POLL_MS });
}

export function usePool() {
  const { api } = useServices();
  return useQuery({ queryKey: ['pool'], queryFn: () => api.pool(), refetchInterval: OPERATOR_POLL_MS });
}

/** The relayer's operator API with the operator's key (null: none entered; the devnet's proxy may still answer reads). */
export function useRelayer(key: string | null): RelayerApi | null {
  const { config } = useServices();
  return config.relayerUrl ? new RelayerApi(config.relayerUrl, key) : null;
}

export function usePathways(relayer: RelayerApi | null) {
  return useQuery({
    queryKey: ['relayer', relayer?.baseUrl, 'pathways', !!relayer],
    queryFn: () => relayer!.pathways(),
    enabled: !!relayer,
    refetchInterval: OPERATOR_POLL_MS,
    retry: false,
  });
}

export function usePackets(relayer: RelayerApi | null, status?: string) {
  return useQuery({
    queryKey: ['relayer', relayer?.baseUrl, 'packets', status ?? 'all'],
    queryFn: () => relayer!.latestPackets({ status, limit: 20 }),
    enabled: !!relayer,
    refetchInterval: OPERATOR_POLL_MS,
    retry: false,
  });
}
