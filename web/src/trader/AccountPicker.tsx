import { useId } from 'react';
import { useAccount, useConnect, useDisconnect } from 'wagmi';
import { useServices } from '../api/context';
import { shortHex } from '../lib/format';
import { Badge, errorText } from '../ui/Panel';
import type { TraderChoice, TraderSession } from './session';

/** Pick a devnet demo account (only offered when every chain is local) or connect a browser wallet. */
export function AccountPicker({
  choice,
  choose,
  session,
  streaming,
}: {
  choice: TraderChoice;
  choose: (choice: TraderChoice) => void;
  session: TraderSession | null;
  streaming: boolean;
}) {
  const { config } = useServices();
  const selectId = useId();
  const wallet = useAccount();
  const { connect, connectors, error, isPending } = useConnect();
  const { disconnect } = useDisconnect();
  const injected = connectors[0];
  const hasWallet = 'ethereum' in window;
  const value = choice.mode === 'demo' ? `demo:${choice.index}` : choice.mode;

  return (
    <div className="picker" role="group" aria-label="Trading account">
      {config.demoAccounts.length > 0 ? (
        <div className="field">
          <label htmlFor={selectId}>Demo account (devnet)</label>
          <select
            id={selectId}
            value={value}
            onChange={(e) => {
              const [mode, index] = e.target.value.split(':');
              choose(mode === 'demo' ? { mode: 'demo', index: Number(index) } : mode === 'injected' ? { mode: 'injected' } : { mode: 'none' });
            }}
          >
            <option value="none">Choose an account…</option>
            {config.demoAccounts.map((a) => (
              <option key={a.index} value={`demo:${a.index}`}>
                #{a.index} {shortHex(a.address)}
              </option>
            ))}
            <option value="injected">Browser wallet</option>
          </select>
        </div>
      ) : null}
      <div className="field">
        {wallet.status === 'connected' ? (
          <button type="button" className="secondary" onClick={() => disconnect()}>
            Disconnect wallet {shortHex(wallet.address)}
          </button>
        ) : (
          <button
            type="button"
            className="secondary"
            disabled={!injected || !hasWallet || isPending}
            title={hasWallet ? undefined : 'No browser wallet (injected provider) found in this browser'}
            onClick={() => {
              choose({ mode: 'injected' });
              if (injected) connect({ connector: injected });
            }}
          >
            {isPending ? 'Connecting…' : 'Connect browser wallet'}
          </button>
        )}
        {error ? <span className="error-text">{errorText(error)}</span> : null}
      </div>
      {session ? (
        <p className="who" data-testid="trader-address">
          <span className="muted">Acting as {session.label}</span> <code title={session.address}>{shortHex(session.address, 6)}</code>{' '}
          <Badge tone={streaming ? 'good' : 'warn'}>{streaming ? 'live' : 'connecting'}</Badge>
        </p>
      ) : (
        <p className="muted">{config.demoAccounts.length ? 'Pick a demo account or connect a wallet.' : 'Connect a browser wallet to trade.'}</p>
      )}
    </div>
  );
}
