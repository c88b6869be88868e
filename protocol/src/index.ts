export * from './eids';
