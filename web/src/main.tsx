import { StrictMode, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { WagmiProvider } from 'wagmi';
import { App } from './App';
import { ServicesProvider } from './api/context';
import { loadRuntimeConfig, type RuntimeConfig } from './config/runtime-config';
import { wagmiConfig } from './config/wagmi';
import './styles.css';

const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } } });

function Root({ config }: { config: RuntimeConfig }) {
  const wagmi = useMemo(() => wagmiConfig(config.manifest), [config]);
  return (
    <WagmiProvider config={wagmi} reconnectOnMount={false}>
      <QueryClientProvider client={queryClient}>
        <ServicesProvider config={config}>
          <App />
        </ServicesProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}

const root = createRoot(document.getElementById('root')!);
loadRuntimeConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <Root config={config} />
      </StrictMode>,
    ),
  (error: unknown) =>
    root.render(
      <main className="boot-error" role="alert">
        <h1>Tributary cannot start</h1>
        <p>{error instanceof Error ? error.message : String(error)}</p>
        <p>The page reads its deployment from /config.json: serve it with the devnet (npm start) or next to a config file.</p>
      </main>,
    ),
);
