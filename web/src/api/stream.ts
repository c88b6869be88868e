import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { AccountEvent, TributaryClient } from '@tributary/sdk';
import type { KnownAccounts } from './known-accounts';
import type { RiskPoint } from '../lib/chart';
import { keys } from './queries';

export interface StreamState {
  connected: boolean;
  /** The newest events first (at most 30). */
  events: AccountEvent[];
  /** Health and credit from `risk` events, for the chart between history reads. */
  livePoints: RiskPoint[];
}

interface RiskEventData {
  computedAt?: string;
  result?: { health: number | null; creditLimit: number };
}

/**
 * The account's server-sent events (GET /v1/accounts/:a/events through the SDK): every event refreshes the trader's
 * queries at once (coalesced per animation frame), `risk` events also feed the chart.
 */
export function useAccountStream(client: TributaryClient, known: KnownAccounts): StreamState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>({ connected: false, events: [], livePoints: [] });
  const pending = useRef<number | null>(null);

  useEffect(() => {
    setState({ connected: false, events: [], livePoints: [] });
    const refresh = () => {
      if (pending.current !== null) return;
      pending.current = requestAnimationFrame(() => {
        pending.current = null;
        void queryClient.invalidateQueries({ queryKey: keys.trader(client.address) });
      });
    };
    const subscription = client.subscribe({
      onEvent: (event) => {
        if (event.type === 'snapshot') known.set(client.address, (event.data as { account?: unknown } | null)?.account != null);
        else if (event.type === 'ledger') known.set(client.address, true);
        const risk = event.type === 'risk' ? (event.data as RiskEventData) : null;
        const point: RiskPoint | null =
          risk?.result && risk.computedAt
            ? { at: Date.parse(risk.computedAt), health: risk.result.health, creditLimit: risk.result.creditLimit }
            : null;
        setState((s) => ({
          connected: true,
          events: [event, ...s.events].slice(0, 30),
          livePoints: point ? [...s.livePoints, point].slice(-200) : s.livePoints,
        }));
        refresh();
      },
      onError: () => {
        known.forget();
        setState((s) => ({ ...s, connected: false }));
      },
    });
    return () => {
      subscription.close();
      if (pending.current !== null) cancelAnimationFrame(pending.current);
      pending.current = null;
    };
  }, [client, known, queryClient]);

  return state;
}
