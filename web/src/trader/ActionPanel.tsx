import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccountSummary, Stage, TolerantAccountLedger } from '@tributary/sdk';
import { useServices } from '../api/context';
import { keys } from '../api/queries';
import type { ActionKind } from '../lib/stages';
import { errorText, Panel } from '../ui/Panel';
import { StageTracker } from '../ui/StageTracker';
import { ACTION_TITLES, describe, quoteParams, start, validate, whatIfChanges, type ActionRequest } from './actions';
import { ActionFields, effectiveRequest, type FieldValues } from './ActionFields';
import type { TraderSession } from './session';
import { FeeLine, WhatIfPanel } from './WhatIfPanel';

const KINDS: ActionKind[] = ['deposit', 'withdraw', 'trade', 'close', 'repay', 'withdraw-cash'];

type Phase = 'edit' | 'review' | 'running' | 'done' | 'failed';

/** The request after the user stopped typing for a moment (what-if and quotes are not asked per keystroke). */
function useSettled<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** A request to preset the panel from elsewhere (a position's Close button). */
export interface ActionPreset {
  kind: ActionKind;
  asset: string;
  nonce: number;
}

/**
 * Act on the account: deposit, withdraw, trade, close, repay, withdraw cash. Each shows its fee quote and a what-if
 * while it is edited, asks for confirmation, then follows the SDK operation's stages to the end or a clear error.
 */
export function ActionPanel({
  session,
  account,
  ledger,
  preset,
}: {
  session: TraderSession;
  account: AccountSummary | undefined;
  ledger: TolerantAccountLedger | null | undefined;
  preset: ActionPreset | null;
}) {
  const { deployment } = useServices();
  const queryClient = useQueryClient();
  const client = session.client;
  const tabsId = useId();
  const [kind, setKind] = useState<ActionKind>('deposit');
  const [values, setValues] = useState<FieldValues>({ chain: deployment.collateralChains[0]?.name ?? '', asset: 'USDC', amount: '', size: '' });
  const [phase, setPhase] = useState<Phase>('edit');
  const [stages, setStages] = useState<Stage[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [ran, setRan] = useState<ActionRequest | null>(null);
  const running = useRef(false);

  useEffect(() => {
    if (!preset || running.current) return;
    setKind(preset.kind);
    setValues((v) => ({ ...v, asset: preset.asset }));
    setPhase('review');
  }, [preset]);

  const markets = useQuery({ queryKey: ['markets'], queryFn: () => deployment.markets(), staleTime: Infinity });
  const marketSymbols = useMemo(() => (markets.data ?? []).map((m) => m.symbol), [markets.data]);
  const positions = useMemo(() => (account?.positions ?? []).map((p) => p.market), [account]);
  const request = useMemo(
    () => effectiveRequest(kind, values, deployment, marketSymbols, positions),
    [kind, values, deployment, marketSymbols, positions],
  );
  const invalid =
    validate(request) ??
    (request.kind !== 'deposit' && request.kind !== 'withdraw' && 'asset' in request && !request.asset ? 'Nothing to choose from yet.' : null);
  const settled = useSettled(request);
  const ready = !validate(settled) && phase !== 'running' && phase !== 'done' && phase !== 'failed';
  const sizeOf = (asset: string) => account?.positions.find((p) => p.market === asset)?.size ?? null;
  const changes = whatIfChanges(settled, sizeOf);

  const quote = useQuery({
    queryKey: ['quote', client.address, settled],
    queryFn: () => client.quote(quoteParams(settled)),
    enabled: ready && (settled.kind !== 'close' || !!sizeOf(settled.asset)),
    retry: false,
    staleTime: 5000,
  });
  const whatIf = useQuery({
    queryKey: ['what-if', client.address, settled],
    queryFn: () => client.whatIf(changes!),
    enabled: ready && !!changes,
    retry: false,
    staleTime: 5000,
  });

  const reset = () => {
    setPhase('edit');
    setStages([]);
    setError(null);
  };

  const confirm = () => {
    if (running.current) return;
    running.current = true;
    const started = request;
    setRan(started);
    setStages([]);
    setError(null);
    setPhase('running');
    const operation = start(client, started, (stage) => setStages((s) => [...s, stage]));
    operation.result.then(
      () => setPhase('done'),
      (e: unknown) => {
        setError(e);
        setPhase('failed');
      },
    );
    void operation.result
      .catch(() => undefined)
      .finally(() => {
        running.current = false;
        void queryClient.invalidateQueries({ queryKey: keys.trader(client.address) });
      });
  };

  const busy = phase === 'running';
  return (
    <Panel title="Act" className="actions">
      <div role="tablist" aria-label="Actions" className="tabs" id={tabsId}>
        {KINDS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            id={`${tabsId}-${k}`}
            aria-selected={kind === k}
            aria-controls={`${tabsId}-panel`}
            disabled={busy}
            onClick={() => {
              setKind(k);
              if (phase !== 'running') reset();
            }}
          >
            {ACTION_TITLES[k]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${tabsId}-panel`} aria-labelledby={`${tabsId}-${kind}`} className="tabpanel">
        {phase === 'edit' || phase === 'review' ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (phase === 'edit' && !invalid) setPhase('review');
            }}
          >
            <fieldset disabled={phase === 'review'} className="fields">
              <legend className="visually-hidden">{ACTION_TITLES[kind]}</legend>
              <ActionFields
                request={request}
                markets={marketSymbols}
                values={values}
                set={(patch) => setValues((v) => ({ ...v, ...patch }))}
                address={client.address}
                account={account}
                ledger={ledger}
              />
            </fieldset>
            <FeeLine quote={quote.data} loading={quote.isFetching} error={quote.error} />
            <h3>What-if</h3>
            <WhatIfPanel whatIf={whatIf.data} loading={whatIf.isFetching} error={whatIf.error} />
            {phase === 'edit' ? (
              <div className="buttons">
                <button type="submit" disabled={!!invalid}>
                  Review {ACTION_TITLES[kind].toLowerCase()}
                </button>
                {invalid && (values.amount || values.size) ? <span className="error-text">{invalid}</span> : null}
              </div>
            ) : (
              <div className="confirm" role="alertdialog" aria-labelledby={`${tabsId}-confirm`} aria-describedby={`${tabsId}-confirm-text`}>
                <h3 id={`${tabsId}-confirm`}>Confirm</h3>
                <p id={`${tabsId}-confirm-text`}>
                  {describe(request)} as {session.label}.{' '}
                  {quote.data?.messagingFee && quote.data.messagingFee !== '0.0' ? `Sends ${quote.data.messagingFee} native LayerZero fee.` : ''}
                </p>
                <div className="buttons">
                  <button type="button" onClick={confirm} autoFocus>
                    Confirm {ACTION_TITLES[kind].toLowerCase()}
                  </button>
                  <button type="button" className="secondary" onClick={() => setPhase('edit')}>
                    Back
                  </button>
                </div>
              </div>
            )}
          </form>
        ) : (
          <div aria-live="polite">
            <p>
              <strong>{ran ? describe(ran) : ''}</strong>
            </p>
            {ran ? (
              <StageTracker kind={ran.kind} stages={stages} status={phase === 'running' ? 'running' : phase === 'done' ? 'done' : 'failed'} />
            ) : null}
            {phase === 'failed' ? (
              <p role="alert" className="error-box" data-testid="action-error">
                {errorText(error)}
              </p>
            ) : null}
            {phase === 'done' ? (
              <p role="status" className="ok-box" data-testid="action-done">
                Done.
              </p>
            ) : null}
            {phase !== 'running' ? (
              <button type="button" className="secondary" onClick={reset}>
                New action
              </button>
            ) : null}
          </div>
        )}
      </div>
    </Panel>
  );
}
