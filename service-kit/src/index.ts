export * from './bootstrap';
export * from './config';
export * from './config-module';
export * from './database';
export * from './health';
export * from './logger';
export * from './metrics';
export * from './sqlite-file';
