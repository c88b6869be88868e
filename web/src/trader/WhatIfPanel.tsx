import type { ReactNode } from 'react';
import type { FeeQuote, WhatIfResult } from '@tributary/sdk';
import { formatHealth, formatNative, formatUsd } from '../lib/format';
import { Badge, errorText } from '../ui/Panel';
import { Term } from '../ui/Term';

/** Health and credit now and after the action (the risk model on the live inputs, with and without the change). */
export function WhatIfPanel({ whatIf, loading, error }: { whatIf: WhatIfResult | undefined; loading: boolean; error: unknown }) {
  if (error) return <p className="error-text">What-if unavailable: {errorText(error)}</p>;
  if (!whatIf) return <p className="muted">{loading ? 'Computing what-if…' : 'Enter the action to see its effect.'}</p>;
  const { before, after } = whatIf;
  const free = (r: typeof before) => r.creditLimit - r.floorInit;
  const rows: [ReactNode, string, string, boolean][] = [
    [
      <Term term="health">Health</Term>,
      formatHealth(before.health),
      formatHealth(after.health),
      after.health !== null && after.health < (before.health ?? Infinity),
    ],
    [
      <Term term="creditLimit">Credit limit</Term>,
      formatUsd(before.creditLimit),
      formatUsd(after.creditLimit),
      after.creditLimit < before.creditLimit,
    ],
    [<Term term="available">Free credit (L − floor)</Term>, formatUsd(free(before)), formatUsd(free(after)), free(after) < free(before)],
    [
      <Term term="requirement">Requirement (maint)</Term>,
      formatUsd(before.requirementMaint),
      formatUsd(after.requirementMaint),
      after.requirementMaint > before.requirementMaint,
    ],
  ];
  return (
    <div className="whatif" data-testid="what-if">
      <table aria-label="What-if: before and after">
        <thead>
          <tr>
            <th scope="col">Term</th>
            <th scope="col" className="num">
              Now
            </th>
            <th scope="col" className="num">
              After
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, now, next, worse], i) => (
            <tr key={i}>
              <th scope="row">{label}</th>
              <td className="num">{now}</td>
              <td className={`num ${worse ? 'neg' : ''}`}>{next}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {after.liquidatable ? <Badge tone="bad">this would make the account liquidatable</Badge> : null}
      {whatIf.notes.map((note) => (
        <p key={note} className="muted small">
          {note}
        </p>
      ))}
    </div>
  );
}

/** What the action costs besides gas, and where it is paid. */
export function FeeLine({ quote, loading, error }: { quote: FeeQuote | undefined; loading: boolean; error: unknown }) {
  if (error) return <p className="error-text">Fee quote failed: {errorText(error)}</p>;
  if (!quote) return <p className="muted">{loading ? 'Quoting fees…' : ''}</p>;
  return (
    <p className="fee" data-testid="fee-quote">
      <strong>Fee:</strong> {formatNative(quote.messagingFee)} LayerZero fee on {quote.chain}
      {quote.tradingFeeUsd !== null ? ` + ${formatUsd(quote.tradingFeeUsd)} trading fee on ${formatUsd(quote.notionalUsd)} notional` : ''}, plus gas.{' '}
      <span className="muted small">
        Covers {quote.covers}. Balance for gas: {formatNative(quote.nativeBalance)}.
      </span>
    </p>
  );
}
