export * from './errors';
export * from './api/index';
export * from './ids';
