export * from './errors';
export * from './api/index';
