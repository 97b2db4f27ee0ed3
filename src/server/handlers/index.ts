import type { HandlerMap } from '../context';
import { authHandlers } from '../auth/handlers';
import { adminHandlers } from './admin';
import { lockHandlers } from './locks';
import { numberingHandlers } from './numbering';

const systemHandlers: HandlerMap = {
  ping: (_data, _session, ctx) => ({ serverTime: ctx.clock.now().toISOString() }),
};

/**
 * Every message family of the server. A new family (users/roles, change feed of shared
 * records) is a new module exporting a HandlerMap, added here.
 */
export const serverHandlers: HandlerMap = {
  ...systemHandlers,
  ...numberingHandlers,
  ...lockHandlers,
  ...adminHandlers,
  ...authHandlers,
};
