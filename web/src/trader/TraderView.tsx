import { useEffect, useState } from 'react';
import { useAccountRisk, useAccountSummary, useLedger, useRiskHistory } from '../api/queries';
import { useAccountStream } from '../api/stream';
import { errorText } from '../ui/Panel';
import { ActionPanel, type ActionPreset } from './ActionPanel';
import { AccountPicker } from './AccountPicker';
import { EventFeed } from './EventFeed';
import { HealthChart } from './HealthChart';
import { CollateralPanel, PositionsPanel } from './HoldingsPanels';
import { MarginPanel } from './MarginPanel';
import { useTraderSession, type TraderSession } from './session';

function TraderAccount({ session, onStreaming }: { session: TraderSession; onStreaming: (live: boolean) => void }) {
  const account = useAccountSummary(session.client);
  const ledger = useLedger(session.client);
  const risk = useAccountRisk(session.client);
  const history = useRiskHistory(session.client);
  const stream = useAccountStream(session.client, session.known);
  const [preset, setPreset] = useState<ActionPreset | null>(null);
  useEffect(() => onStreaming(stream.connected), [stream.connected, onStreaming]);
  const failure = account.error ?? risk.error;
  return (
    <div className="trader-grid">
      {failure ? (
        <p role="alert" className="error-box wide">
          {errorText(failure)}
        </p>
      ) : null}
      <MarginPanel account={account.data} risk={risk.data} />
      <ActionPanel session={session} account={account.data} ledger={ledger.data} preset={preset} />
      <CollateralPanel account={account.data} risk={risk.data} ledger={ledger.data} />
      <PositionsPanel account={account.data} risk={risk.data} onClose={(asset) => setPreset({ kind: 'close', asset, nonce: Date.now() })} />
      <EventFeed events={stream.events} connected={stream.connected} />
      <HealthChart history={history.data} live={stream.livePoints} />
    </div>
  );
}

/** The trader's view: pick who to act as, then the unified account, actions and its live history. */
export function TraderView() {
  const { choice, choose, session } = useTraderSession();
  const [streaming, setStreaming] = useState(false);
  return (
    <>
      <AccountPicker choice={choice} choose={choose} session={session} streaming={streaming} />
      {session ? <TraderAccount key={session.address + session.label} session={session} onStreaming={setStreaming} /> : null}
    </>
  );
}
