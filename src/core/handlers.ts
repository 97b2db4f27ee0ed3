import type { ApiMethod, ApiMethods, CallContext, ParamsOf, ResultOf, StatusSnapshot } from '../shared/api/index';
import { isApiMethod } from '../shared/api/index';
import { ErrorCodes, type Envelope } from '../shared/errors';
import type { Clock } from './clock';
import { AppError, invalidInput, toApiError } from './errors';
import type { EventBus } from './events';
import type { CorePaths } from './paths';
import type { Store } from './store/open';
import { SettingsRepo } from './store/settings-repo';
import { logger } from './log/index';

const apiLog = logger('api');

export type Handler<M extends ApiMethod> = (
  params: ParamsOf<M>,
  ctx: CallContext,
) => ResultOf<M> | Promise<ResultOf<M>>;

export type Handlers = { [M in keyof ApiMethods]: Handler<M> };

/** Everything a handler may touch. Later domains add their clients here. */
export interface HandlerDeps {
  store: Store;
  clock: Clock;
  paths: CorePaths;
  events: EventBus;
  host: string;
  version: string;
  startedAt: Date;
  schemaVersion: number;
  /** Current status of the LAN server, SEFAZ and printer, as the status bar shows it. */
  status(): StatusSnapshot;
  /** Throws unless an administrator is signed in on this call (station-wide settings). */
  requireAdmin(ctx: CallContext): void;
}

/** Keys the UI may read and write through settings.*; anything else is refused. */
const PUBLIC_SETTING = /^(ui|printing|sefaz|lan|user)\.[a-zA-Z0-9_.-]{1,64}$/;
/**
 * Station-wide settings (SEFAZ environment and simulator address, LAN server, embedded
 * server, printers): read and written only by an administrator (issue #16: a signed-in
 * faturista must not point the station at another SEFAZ or LAN server). `ui.*` and `user.*`
 * are each person's own.
 */
const ADMIN_SETTING = /^(printing|sefaz|lan)\./;

export type AppHandlers = Pick<Handlers, 'app.info' | 'app.status' | 'settings.get' | 'settings.set'>;

export function createAppHandlers(deps: HandlerDeps): AppHandlers {
  const settingsRepo = new SettingsRepo(deps.store.db, deps.clock);

  const checkSettingKey = (key: unknown, ctx: CallContext): string => {
    if (typeof key !== 'string' || !PUBLIC_SETTING.test(key)) {
      throw invalidInput('Configuração desconhecida.', 'key');
    }
    if (ADMIN_SETTING.test(key)) deps.requireAdmin(ctx);
    return key;
  };

  return {
    'app.info': () => ({
      name: 'Comboio',
      version: deps.version,
      host: deps.host,
      dataDir: deps.paths.dataDir,
      schemaVersion: deps.schemaVersion,
      startedAt: deps.startedAt.toISOString(),
    }),
    'app.status': () => deps.status(),
    'settings.get': (params, ctx) => {
      const key = checkSettingKey(params?.key, ctx);
      return { key, value: settingsRepo.get<unknown>(key, null) };
    },
    'settings.set': (params, ctx) => {
      const key = checkSettingKey(params?.key, ctx);
      const json = JSON.stringify(params.value ?? null);
      if (json.length > 64 * 1024) throw invalidInput('Valor grande demais para uma configuração.', 'value');
      settingsRepo.set(key, params.value ?? null);
      return { key, value: settingsRepo.get<unknown>(key, null) };
    },
  };
}

/**
 * The single entry every transport uses: unknown methods and thrown errors become the
 * error envelope; transports never interpret results themselves.
 */
export async function dispatch(
  handlers: Handlers,
  method: string,
  params: unknown,
  ctx: CallContext,
): Promise<Envelope<unknown>> {
  if (!isApiMethod(method)) {
    return { ok: false, error: { code: ErrorCodes.UNKNOWN_METHOD, message: `Operação desconhecida: ${method}` } };
  }
  try {
    const handler = handlers[method] as Handler<ApiMethod>;
    const data = await handler(params as never, ctx);
    return { ok: true, data: data === undefined ? null : data };
  } catch (err) {
    if (!(err instanceof AppError)) apiLog.error(`${method}: erro inesperado`, { err });
    return { ok: false, error: toApiError(err) };
  }
}
