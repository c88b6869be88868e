import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { AggregatorApi, Deployment } from '@tributary/sdk';
import type { RuntimeConfig } from '../config/runtime-config';

interface AppServices {
  config: RuntimeConfig;
  /** Read-only handles shared by both views (each trader session has its own client for signing). */
  api: AggregatorApi;
  deployment: Deployment;
}

const Services = createContext<AppServices | null>(null);

export function ServicesProvider({ config, children }: { config: RuntimeConfig; children: ReactNode }) {
  const value = useMemo(() => ({ config, api: new AggregatorApi(config.aggregatorUrl), deployment: new Deployment(config.manifest) }), [config]);
  return <Services.Provider value={value}>{children}</Services.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(Services);
  if (!services) throw new Error('useServices outside ServicesProvider');
  return services;
}
