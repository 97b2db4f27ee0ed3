export { startLanServer, SERVER_DB_FILE, type LanServer, type LanServerOptions } from './server';
export { TOKEN_FILE } from './token';
export type { AccessPolicy, Handler, HandlerMap, ServerContext, Session } from './context';
