// Every table of the workstation store. drizzle-kit reads this file (drizzle.config.ts).
export * from './app';
export * from './sync';
export * from './sefaz';
export * from './printing';
export * from './finalize';
export * from './batch';
