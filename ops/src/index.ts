export * from './dashboard';
export * from './metric-catalog';
export * from './pending-metrics';
export * from './promql';
export * from './rule-file';
export * from './runbook';
