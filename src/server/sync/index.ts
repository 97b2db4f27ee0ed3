import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { isoWithOffset } from '../../core/clock';
import { MAX_MESSAGE_BYTES } from '../../core/numbering/protocol';
import { SYNC_POKE_EVENT, type PokeEvent } from '../../core/sync/protocol';
import type { HandlerMap, ServerContext } from '../context';
import { GroupCommitter } from '../group-commit';
import { DEFAULT_RETENTION, SyncCompactor, type RetentionOptions } from './compaction';
import { openSyncDb, SYNC_DB_FILE, syncIdentity } from './db';
import { SyncEngine } from './engine';
import { syncHandlers } from './handlers';

export { SyncEngine, type CollectionRules, type MutationView, type Rejection, type SyncActor, type Validator } from './engine';
export { SYNC_DB_FILE } from './db';
export { DEFAULT_RETENTION, SyncCompactor, type CompactionReport, type RetentionOptions } from './compaction';

export interface SyncService {
  engine: SyncEngine;
  /** The sync store itself: derived tables (src/server/records) live next to the feed. */
  db: Database.Database;
  /** Message handlers to merge into the server's dispatcher. */
  handlers: HandlerMap;
  dbFile: string;
  /** Retention of the feed, mutation log and history; runs periodically until close. */
  compactor: SyncCompactor;
  close(): void;
}

export interface RegisterSyncOptions {
  dataDir: string;
  registeredOnly?: boolean;
  /** Overrides of DEFAULT_RETENTION. */
  retention?: Partial<RetentionOptions>;
  log?: (line: string) => void;
}

// Room for the request envelope ({id, type, data: {clientId, mutations}}) around the mutations.
const FRAME_OVERHEAD = 1024;

/**
 * Opens the shared-records store in the server's data folder and returns the change-feed
 * handlers. Pokes go to every authenticated connection through the server's broadcast.
 */
export function registerSync(ctx: Pick<ServerContext, 'clock' | 'broadcast'>, opts: RegisterSyncOptions): SyncService {
  const dbFile = join(opts.dataDir, SYNC_DB_FILE);
  const db = openSyncDb(dbFile);
  const committer = new GroupCommitter(db);
  const engine = new SyncEngine(db, committer, syncIdentity(db), {
    nowIso: () => isoWithOffset(ctx.clock.now()),
    registeredOnly: opts.registeredOnly,
    maxPushBytes: MAX_MESSAGE_BYTES - FRAME_OVERHEAD,
    log: opts.log,
  });
  // The server's broadcast is typed by the numbering push events; the poke is ours.
  const broadcast = ctx.broadcast as unknown as (event: string, data: PokeEvent) => void;
  const stopPokes = engine.onCommit((seq) => broadcast(SYNC_POKE_EVENT, { seq }));
  const compactor = new SyncCompactor(db, engine, ctx.clock, { ...DEFAULT_RETENTION, ...opts.retention }, opts.log ?? (() => undefined));
  compactor.start();
  let closed = false;
  return {
    engine,
    db,
    handlers: syncHandlers(engine),
    dbFile,
    compactor,
    close() {
      if (closed) return;
      closed = true;
      stopPokes();
      // A compaction pass in progress checks this before each batch: none runs after it.
      compactor.close();
      engine.close();
      committer.close();
      db.close();
    },
  };
}
