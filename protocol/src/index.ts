export * from './eids';
export * from './manifest';
