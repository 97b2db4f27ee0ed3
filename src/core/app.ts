import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatusSnapshot } from '../shared/api/index';
import { systemClock, type Clock } from './clock';
import { EventBus } from './events';
import { createHandlers, type Handlers } from './handlers';
import { defaultProjectPaths, type CorePaths } from './paths';
import { migrateStore, readJournal } from './store/migrate';
import { openStore, type Store } from './store/open';

export interface CoreOptions {
  dataDir: string;
  migrationsDir?: string;
  resourcesDir?: string;
  clock?: Clock;
  /** Transport label shown in app.info ('electron', 'web', 'test', 'cli'). */
  host: string;
}

export interface Core {
  handlers: Handlers;
  events: EventBus;
  store: Store;
  paths: CorePaths;
  close(): Promise<void>;
}

export function readPackageVersion(resourcesDir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(resourcesDir, '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Builds the workstation core: opens and migrates the store, wires handlers and events. */
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
  const startedAt = clock.now();

  const status = (): StatusSnapshot => ({
    lanServer: { state: 'unconfigured', label: 'Servidor LAN: não configurado' },
    sefaz: { state: 'unconfigured', label: 'SEFAZ: não configurada' },
    printer: { state: 'unconfigured', label: 'Impressora: não configurada' },
  });

  const handlers = createHandlers({
    store,
    clock,
    paths,
    events,
    host: opts.host,
    version: readPackageVersion(paths.resourcesDir),
    startedAt,
    schemaVersion: readJournal(paths.migrationsDir).entries.length,
    status,
  });

  return {
    handlers,
    events,
    store,
    paths,
    close: async () => {
      store.close();
    },
  };
}
