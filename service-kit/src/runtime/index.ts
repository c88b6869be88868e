export * from './backoff';
export * from './clock';
export * from './errors';
export * from './serial-queue';
export * from './tx-ports';
export * from './tx-sender';
