export * from './artifacts';
export * from './layerzero';
export * from './packet';
export * from '../typechain-types';
