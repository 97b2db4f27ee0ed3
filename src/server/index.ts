export { startLanServer, SERVER_DB_FILE, INITIAL_PASSWORD_FILE, type LanServer, type LanServerOptions } from './server';
export type { Handler, HandlerMap, ServerContext, Session } from './context';
