export * from './artifacts';
export * from './layerzero';
export * from './packet';
export * from './delivery';
export * from './tributary';
export * from './params';
export * from './node/hardhat-node';
export * from '../typechain-types';
