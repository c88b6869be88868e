import { useId, useState } from 'react';
import { useServices } from '../api/context';
import { useRelayer } from '../api/queries';
import { LiquidationsPanel, OraclePanel, PoolPanel, PusherPanel, RiskBookPanel } from './BookPanels';
import { ChainsPanel } from './ChainsPanel';
import { PacketsPanel, PathwaysPanel } from './RelayerPanels';

const KEY_STORAGE = 'tributary.operatorKey';

/** The operator's view: chains, relayer, credit pusher, oracle, risk book, liquidations, settlement pool. */
export function OperatorView() {
  const { config } = useServices();
  const keyId = useId();
  const [key, setKey] = useState(() => window.sessionStorage.getItem(KEY_STORAGE) ?? '');
  const relayer = useRelayer(key || null);
  return (
    <>
      {config.relayerUrl ? (
        <div className="picker" role="group" aria-label="Operator key">
          <div className="field">
            <label htmlFor={keyId}>Relayer operator key</label>
            <input
              id={keyId}
              type="password"
              autoComplete="off"
              value={key}
              placeholder={config.relayerReadsOpen ? 'reads open on this devnet; the key is needed to retry' : 'needed to read the relayer'}
              onChange={(e) => {
                setKey(e.target.value);
                window.sessionStorage.setItem(KEY_STORAGE, e.target.value);
              }}
            />
          </div>
          <p className="muted small">Kept in this tab only (session storage); sent to the relayer’s operator API as x-api-key.</p>
        </div>
      ) : null}
      <div className="operator-grid">
        <ChainsPanel />
        <PathwaysPanel relayer={relayer} />
        <PacketsPanel relayer={relayer} hasKey={!!key} />
        <PusherPanel />
        <OraclePanel />
        <RiskBookPanel />
        <LiquidationsPanel />
        <PoolPanel />
      </div>
    </>
  );
}
