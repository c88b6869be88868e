import { useId, type ReactNode } from 'react';
import { TERMS, type TermKey } from '../lib/terms';

/** A term with its explanation on hover and on keyboard focus (a tooltip the term is described by). */
export function Term({ term, children }: { term: TermKey; children: ReactNode }) {
  const id = useId();
  return (
    <span className="term" tabIndex={0} aria-describedby={id}>
      {children}
      <span role="tooltip" id={id} className="tooltip">
        {TERMS[term]}
      </span>
    </span>
  );
}

/** One figure of a summary: its term (explained on hover), its value, an optional second line. */
export function Stat({
  term,
  label,
  value,
  sub,
  testId,
  tone,
}: {
  term: TermKey;
  label: string;
  value: string;
  sub?: string;
  testId?: string;
  tone?: 'good' | 'warn' | 'bad';
}) {
  return (
    <div className={`stat${tone ? ` stat-${tone}` : ''}`}>
      <dt>
        <Term term={term}>{label}</Term>
      </dt>
      <dd data-testid={testId}>{value}</dd>
      {sub ? <dd className="stat-sub">{sub}</dd> : null}
    </div>
  );
}
