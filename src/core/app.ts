import type { CallContext } from '../shared/api/index';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from './clock';
import { DEMO_CARRIERS, DEMO_CUSTOMERS, DEMO_DRIVERS, DEMO_ESTABLISHMENT, DEMO_NATUREZAS, DEMO_PRODUCTS, DEMO_USERS, DEMO_VEHICLES } from './demo/catalog';
import { EventBus } from './events';
import { createAppHandlers, type Handlers } from './handlers';
import { appVersion, defaultProjectPaths, type CorePaths } from './paths';
import { Sessions } from './session/sessions';
import { migrateStore, readJournal } from './store/migrate';
import { openStore, type Store } from './store/open';
import { auditLog } from './store/schema/index';
import { SettingsRepo } from './store/settings-repo';
import type { DemoInfo, WorkstationContext } from './workstation/context';
import { adminHandlers } from './workstation/handlers/admin';
import { billingService } from './workstation/handlers/billing';
import { batchService } from './workstation/batch';
import { catalogHandlers } from './workstation/handlers/catalog';
import { RecordLists } from './workstation/record-lists';
import { registryHandlers } from './workstation/handlers/registries';
import { cteService } from './workstation/handlers/cte';
import { contingencyHandlers } from './workstation/handlers/contingency';
import { sessionHandlers } from './workstation/handlers/session';
import { WorkstationRuntime, type RuntimeOptions } from './workstation/runtime';
import { fileKeySecretBox, type SecretBox } from './workstation/secrets';

export interface CoreOptions {
  dataDir: string;
  migrationsDir?: string;
  resourcesDir?: string;
  clock?: Clock;
  /** Transport label shown in app.info ('electron', 'web', 'test', 'cli'). */
  host: string;
  /** Application version (Electron passes app.getVersion()); default: package.json's. */
  version?: string;
  /** This station's name on the LAN (locks and allocations show it). Default: hostname. */
  workstation?: string;
  /** Where the A1 and its password are sealed; Electron passes an OS-keychain box. */
  secrets?: SecretBox;
  /** Seed demo users and catalog (embedded server + simulator installations). */
  demo?: boolean;
  /** CA of a LAN server with TLS. */
  lanCa?: string;
  outbox?: RuntimeOptions['outbox'];
  /** Status poll of the UF authorizer while in contingency (default 30 s). */
  contingencyPollMs?: number;
  /** Runs before the LAN connection and SEFAZ start (embedded services write their settings here). */
  prepare?: (core: { settings: SettingsRepo; runtime: WorkstationRuntime }) => Promise<void>;
}

export interface Core {
  handlers: Handlers;
  events: EventBus;
  store: Store;
  paths: CorePaths;
  runtime: WorkstationRuntime;
  settings: SettingsRepo;
  /** True while `token` is a signed-in session of this station (transports gate on it). */
  sessionValid(token: string | undefined): boolean;
  /** Resolves once the demo catalog is written and SEFAZ is loaded. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Builds the workstation core: opens and migrates the store, wires services and handlers. */
export function createCore(opts: CoreOptions): Core {
  const defaults = defaultProjectPaths();
  const paths: CorePaths = {
    dataDir: opts.dataDir,
    migrationsDir: opts.migrationsDir ?? defaults.migrationsDir,
    resourcesDir: opts.resourcesDir ?? defaults.resourcesDir,
  };
  const clock = opts.clock ?? systemClock;
  const store = openStore(join(paths.dataDir, 'comboio.db'));
  try {
    migrateStore(store, paths.migrationsDir);
  } catch (err) {
    store.close();
    throw err;
  }
  const events = new EventBus();
  const settings = new SettingsRepo(store.db, clock);
  const workstation = opts.workstation ?? hostname();
  const runtime = new WorkstationRuntime({
    store,
    clock,
    events,
    paths,
    settings,
    secrets: opts.secrets ?? fileKeySecretBox(join(paths.dataDir, 'chave-local.bin')),
    workstation,
    ...(opts.outbox ? { outbox: opts.outbox } : {}),
    ...(opts.contingencyPollMs ? { contingencyPollMs: opts.contingencyPollMs } : {}),
  });
  const sessions = new Sessions(workstation);
  // Read lazily: a host may decide on demo mode in `prepare` (Electron without a LAN server).
  const demoInfo = (): DemoInfo | null => (opts.demo ? { users: DEMO_USERS.map(({ login, password, roles }) => ({ login, password, roles })) } : null);

  const w: WorkstationContext = {
    store,
    records: runtime.records,
    sessions,
    settings,
    clock,
    events,
    paths,
    workstation,
    get demo() {
      return demoInfo();
    },
    audit: (user, action, detail, documentId = null) => {
      store.db.insert(auditLog).values({ at: clock.now().toISOString(), user, action, detail, documentId }).run();
    },
    // Opens the user's own LAN connection ahead of the first lock or allocation; a finalize
    // typed offline by this user can now ask for its lock.
    onSignIn: (user) => {
      runtime.clientFor(user.login);
      void runtime.resumeNow();
    },
  };
  const lists = new RecordLists(w, runtime);
  const billing = billingService(w, runtime, lists);
  // Registered after billing: its SEFAZ hook runs after billing's has updated the record.
  const cte = cteService(w, runtime, billing);
  const batch = batchService(w, runtime, billing);
  const all: Handlers = {
    ...createAppHandlers({
      store,
      clock,
      paths,
      events,
      host: opts.host,
      version: opts.version ?? appVersion(),
      startedAt: clock.now(),
      schemaVersion: readJournal(paths.migrationsDir).entries.length,
      status: () => runtime.status(),
      requireAdmin: (ctx) => void sessions.require(ctx, 'administrador'),
    }),
    ...sessionHandlers(w, runtime),
    ...catalogHandlers(w, runtime.orderNumbers, lists),
    ...registryHandlers(w),
    ...billing.handlers,
    ...cte.handlers,
    ...cte.wrap(billing.handlers),
    ...adminHandlers(w, runtime, billing),
    ...contingencyHandlers(w, runtime),
    ...batch.handlers,
  };
  // Every write a handler makes is attributed to the signed-in user (the server audits and
  // validates the person, not the station that relays the edit).
  const handlers = Object.fromEntries(
    Object.entries(all).map(([name, h]) => [
      name,
      (params: unknown, ctx: CallContext) => runtime.actingAs(sessions.get(ctx)?.user.login ?? null, () => (h as (p: unknown, c: CallContext) => unknown)(params, ctx)),
    ]),
  ) as unknown as Handlers;

  runtime.replica.events.on('online', () => void runtime.resumeNow());

  const ready = (async () => {
    await opts.prepare?.({ settings, runtime });
    // The station's own connection keeps the replica in sync (users included) from the start.
    runtime.connectLan(opts.lanCa);
    if (opts.demo) {
      // Another station may have seeded already: see the server's records before writing.
      await runtime.lan?.ready(10_000).catch(() => undefined);
      await runtime.replica.syncNow().catch(() => undefined);
      await seedDemo(w);
    }
    await runtime.reloadSefaz(w.records.get<{ cnpj: string }>('establishment', 'main')?.cnpj ?? null);
    cte.resume();
    // Whatever a crash left half-done resumes from its journal now, and every 5 s after.
    runtime.startResume(() => billing.resumeWaiting().finally(() => batch.tick()), 5000);
  })();

  return {
    handlers,
    sessionValid: (token) => !!token && sessions.get({ origin: 'transport', session: token }) !== null,
    events,
    store,
    paths,
    runtime,
    settings,
    ready,
    close: async () => {
      await ready.catch(() => undefined);
      await runtime.close();
      store.close();
    },
  };
}

/** Demo catalog, written once through the replica like any other edit (users and the demo série are the server's). */
async function seedDemo(w: WorkstationContext): Promise<void> {
  if (w.settings.get<boolean>('demo.seeded', false)) return;
  if (!w.records.get('establishment', 'main')) w.records.put('establishment', 'main', DEMO_ESTABLISHMENT);
  for (const c of DEMO_CUSTOMERS) if (!w.records.get('customers', c.id)) w.records.put('customers', c.id, c);
  for (const p of DEMO_PRODUCTS) if (!w.records.get('products', p.id)) w.records.put('products', p.id, p);
  for (const n of DEMO_NATUREZAS) if (!w.records.get('naturezas', n.id)) w.records.put('naturezas', n.id, n);
  for (const c of DEMO_CARRIERS) if (!w.records.get('carriers', c.id)) w.records.put('carriers', c.id, c);
  for (const v of DEMO_VEHICLES) if (!w.records.get('vehicles', v.id)) w.records.put('vehicles', v.id, v);
  for (const d of DEMO_DRIVERS) if (!w.records.get('drivers', d.id)) w.records.put('drivers', d.id, d);
  w.settings.set('demo.seeded', true);
}
