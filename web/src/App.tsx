import { useEffect, useState } from 'react';
import { useServices } from './api/context';
import { OperatorView } from './operator/OperatorView';
import { TraderView } from './trader/TraderView';

type View = 'trader' | 'operator';

const viewOf = (hash: string): View => (hash.startsWith('#/operator') ? 'operator' : 'trader');

/** Two views behind hash links (#/trader, #/operator): the page works from any static server. */
export function App() {
  const { config } = useServices();
  const [view, setView] = useState<View>(() => viewOf(window.location.hash));
  useEffect(() => {
    const onHash = () => setView(viewOf(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.title = `Tributary — ${view === 'trader' ? 'Trader' : 'Operator'}`;
  }, [view]);
  const trading = config.manifest.chains.find((c) => c.role === 'trading');
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ≋
          </span>{' '}
          Tributary <span className="muted small">{config.network}</span>
        </div>
        <nav aria-label="Views">
          <a href="#/trader" aria-current={view === 'trader' ? 'page' : undefined}>
            Trader
          </a>
          <a href="#/operator" aria-current={view === 'operator' ? 'page' : undefined}>
            Operator
          </a>
        </nav>
        <p className="muted small chains-line">
          trading on {trading?.name ?? '—'} · collateral on{' '}
          {config.manifest.chains
            .filter((c) => c.role === 'collateral')
            .map((c) => c.name)
            .join(', ')}
        </p>
      </header>
      <main id="main" tabIndex={-1}>
        <h1 className="visually-hidden">{view === 'trader' ? 'Trader' : 'Operator'}</h1>
        {view === 'trader' ? <TraderView /> : <OperatorView />}
      </main>
    </>
  );
}
