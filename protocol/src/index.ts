export * from './eids';
export * from './manifest';
export * from './messages';
