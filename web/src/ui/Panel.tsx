import { useId, type ReactNode } from 'react';

/** A titled region of a view (landmark with its heading as accessible name). */
export function Panel({ title, children, actions, className }: { title: string; children: ReactNode; actions?: ReactNode; className?: string }) {
  const id = useId();
  return (
    <section className={`panel${className ? ` ${className}` : ''}`} aria-labelledby={id}>
      <header className="panel-head">
        <h2 id={id}>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

/** Loading, error or empty states of a panel's data, in words. */
export function QueryState({ loading, error, empty, emptyText }: { loading: boolean; error: unknown; empty?: boolean; emptyText?: string }) {
  if (error) return <p className="error-text">{errorText(error)}</p>;
  if (loading) return <p className="muted">Loading…</p>;
  if (empty) return <p className="muted">{emptyText ?? 'Nothing yet.'}</p>;
  return null;
}

export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

export function Badge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** A readable sentence for any error: a TributaryError's code and message, else the message. */
export function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) return `${String(error.code)}: ${String(error.message)}`;
  return error instanceof Error ? error.message : String(error);
}
