import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type NumberingClient, type StationCredential } from '../../../src/core/numbering/index';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore, type Store } from '../../../src/core/store/open';
import { createReplica, lanSyncConnection, type JsonObject, type Replica } from '../../../src/core/sync/index';
import { repoRoot } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { enroll, freePort, startServer, type ServerProc } from './server-proc';

// Compaction of the change feed through a real `comboio server` process, with retention
// set on its command line: every record stays, a station away longer than the retention
// rebuilds from a snapshot (its unsent edits still apply), and the sync store stops growing
// under repeated updates of the same records (figures printed, nothing timed).
const tmp = tempDir('comboio-sync-compaction-');
let server: ServerProc | null = null;
const cleanups: (() => Promise<void>)[] = [];
const MIN_CHANGES = 50;
const RECORDS = 40;

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await server?.proc.kill();
  tmp.cleanup();
});

interface Ws {
  name: string;
  store: Store;
  station: StationCredential;
  pin: string | null;
  client: NumberingClient;
  replica: Replica;
}

function attach(w: Pick<Ws, 'name' | 'store' | 'station' | 'pin'>, srv: ServerProc): Ws {
  const client = connect({ url: srv.url, station: w.station, pin: w.pin, backoff: { initialMs: 50, maxMs: 250 } });
  const replica = createReplica({ store: w.store, connection: lanSyncConnection(client), clientId: `client-${w.name}`, backoffMs: { min: 50, max: 250 } });
  const ws = { ...w, client, replica };
  cleanups.push(async () => {
    await replica.close();
    await client.close();
  });
  return ws;
}

async function workstation(name: string, srv: ServerProc): Promise<Ws> {
  const { station, pin } = await enroll(srv, name);
  const store = openStore(join(tmp.dir, `${name}.db`));
  migrateStore(store, join(repoRoot, 'drizzle'));
  cleanups.push(async () => store.close());
  return attach({ name, store, station, pin }, srv);
}

function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((ok, fail) => {
    const tick = () => {
      if (check()) return ok();
      if (Date.now() > deadline) return fail(new Error(`timeout: ${what}`));
      setTimeout(tick, 100);
    };
    tick();
  });
}

/** The server's sync store as it is on disk (read-only, beside the running server). */
function serverStore(dataDir: string): { changes: number; mutations: number; records: Record<string, JsonObject>; horizon: number; head: number } {
  const db = new Database(join(dataDir, 'sync.sqlite'), { readonly: true });
  try {
    const n = (t: string) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    const records: Record<string, JsonObject> = {};
    for (const r of db.prepare('SELECT collection, id, data FROM records WHERE deleted = 0').all() as { collection: string; id: string; data: string }[]) {
      records[`${r.collection}/${r.id}`] = JSON.parse(r.data) as JsonObject;
    }
    const horizon = Number((db.prepare("SELECT value FROM sync_meta WHERE key = 'horizon'").pluck().get() as string | undefined) ?? 0);
    const head = Math.max(db.prepare('SELECT coalesce(max(seq), 0) FROM changes').pluck().get() as number, horizon);
    return { changes: n('changes'), mutations: n('mutations'), records, horizon, head };
  } finally {
    db.close();
  }
}

/** Size of the database as SQLite sees it (WAL included: the main file lags until a checkpoint), and its free pages. */
function fileMb(dataDir: string): { db: number; free: number; wal: number } {
  const db = new Database(join(dataDir, 'sync.sqlite'), { readonly: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    const walFile = join(dataDir, 'sync.sqlite-wal');
    return { db: (pages * pageSize) / 1048576, free: (free * pageSize) / 1048576, wal: existsSync(walFile) ? statSync(walFile).size / 1048576 : 0 };
  } finally {
    db.close();
  }
}

function replicaRecords(r: Replica): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const c of ['orders', 'documents', 'users']) for (const v of r.list(c)) out[`${c}/${v.id}`] = v.data;
  return out;
}

// ~8 KB per record, like a document carrying its signed XML: every change row holds the whole record.
const xml = (i: number) => `<nfeProc>${String(i).padStart(6, '0')}${'<det>ITEM DIESEL S10</det>'.repeat(320)}</nfeProc>`;

describe('compaction through a real LAN server process', () => {
  it('keeps every record, rebuilds a station away longer than the retention (its edits apply), and bounds the store', async () => {
    const port = await freePort();
    const dataDir = join(tmp.dir, 'servidor');
    const args = ['--retention-days', '0', '--retention-min-changes', String(MIN_CHANGES), '--retention-history-days', '0', '--compact-every', '1'];
    server = await startServer(dataDir, port, args);
    const a = await workstation('a', server);
    const b = await workstation('b', server);
    await Promise.all([a.client.ready(), b.client.ready()]);
    for (let i = 0; i < RECORDS; i++) a.replica.write('documents', `d${i}`, { xml: xml(i), status: 'autorizada', round: 0 });
    for (let i = 0; i < 10; i++) a.replica.write('orders', `p${i}`, { total: i, status: 'rascunho' });
    await a.replica.syncNow();
    await b.replica.syncNow();
    // The server's own record (its first administrator) comes along.
    expect(Object.keys(replicaRecords(b.replica))).toHaveLength(RECORDS + 10 + 1);

    // b goes away (closed, its outbox on disk) with edits it could not send.
    const bCursor = b.replica.status().cursor;
    await b.client.close();
    b.replica.write('orders', 'p3', { observacoes: 'combinado sem servidor' });
    b.replica.write('orders', 'b-new', { total: 77, status: 'rascunho' });
    b.replica.write('documents', 'd5', { impressoEm: 'estacao-b' });
    expect(b.replica.status().pending).toBe(3);
    await b.replica.close();

    // Meanwhile a updates the same records over and over; the server compacts as it goes
    // (each round waits for the pass, so the file is compared in the same state each time).
    const figures: string[] = [];
    const sizes = new Map<number, number>();
    const rounds = 20;
    for (let round = 1; round <= rounds; round++) {
      for (let i = 0; i < RECORDS; i++) a.replica.write('documents', `d${i}`, { round, status: round % 2 ? 'impressa' : 'autorizada' });
      await a.replica.syncNow();
      const h = serverStore(dataDir).head;
      await until(() => serverStore(dataDir).horizon === h - MIN_CHANGES, `compaction after round ${round}`);
      if (round % 5 === 0) {
        const st = serverStore(dataDir);
        const mb = fileMb(dataDir);
        sizes.set(round, mb.db);
        figures.push(`round ${String(round).padStart(2)}: ${round * RECORDS} updates, changes kept ${st.changes}, horizon ${st.horizon}, head ${st.head}, database ${mb.db.toFixed(2)} MB (${mb.free.toFixed(2)} MB free pages), WAL file ${mb.wal.toFixed(2)} MB`);
      }
    }
    a.replica.remove('orders', 'p9');
    await a.replica.syncNow();
    const head = serverStore(dataDir).head;
    // Compaction runs every second and keeps only the last MIN_CHANGES (retention 0 days).
    await until(() => serverStore(dataDir).horizon === head - MIN_CHANGES, 'compaction reaches head - minChanges');
    const compacted = serverStore(dataDir);
    expect(compacted.changes).toBe(MIN_CHANGES);
    expect(compacted.horizon).toBeGreaterThan(bCursor);
    expect(server.proc.stdout() + server.proc.stderr()).toMatch(/compactação da sincronização: \d+ alterações, \d+ mutações e \d+ entradas de histórico removidas em \d+ lotes \(maior [\d.]+ ms/);
    // Every record is still there, with its last value.
    expect(compacted.records).toEqual(replicaRecords(a.replica));
    expect(Object.keys(compacted.records)).toHaveLength(RECORDS + 9 + 1);
    for (let i = 0; i < RECORDS; i++) expect(compacted.records[`documents/d${i}`]).toMatchObject({ xml: xml(i), round: rounds });

    // b comes back: its cursor is behind the horizon, it rebuilds from a snapshot and sends its edits.
    const back = attach(b, server);
    const rebuilt = new Promise<{ records: number }>((ok) => back.replica.events.on('rebuilt', ok));
    expect((await rebuilt).records).toBe(RECORDS + 9 + 1);
    await until(() => back.replica.status().pending === 0 && back.replica.status().online, 'b sends its edits');
    await back.replica.syncNow();
    await a.replica.syncNow();
    const final = serverStore(dataDir).records;
    expect(replicaRecords(back.replica)).toEqual(final);
    expect(replicaRecords(a.replica)).toEqual(final);
    expect(final['orders/p3']).toEqual({ total: 3, status: 'rascunho', observacoes: 'combinado sem servidor' });
    expect(final['orders/b-new']).toEqual({ total: 77, status: 'rascunho' });
    expect(final['documents/d5']).toMatchObject({ xml: xml(5), round: rounds, impressoEm: 'estacao-b' });
    expect(final['orders/p9']).toBeUndefined();
    expect(back.replica.rejections()).toEqual([]);

    const mb = fileMb(dataDir);
    figures.push(`end: ${rounds * RECORDS} updates of ${RECORDS} records (~${(xml(0).length / 1024).toFixed(1)} KB each), changes kept ${MIN_CHANGES}, database ${mb.db.toFixed(2)} MB (${mb.free.toFixed(2)} MB free pages), WAL file ${mb.wal.toFixed(2)} MB`);
    const passes = [...(server.proc.stdout() + server.proc.stderr()).matchAll(/compactação da sincronização: .*?maior ([\d.]+) ms/g)].map((m) => Number(m[1]));
    figures.push(`${passes.length} compaction passes logged; longest single transaction ${Math.max(...passes).toFixed(1)} ms`);
    figures.push(`without compaction the feed would hold ${((rounds + 1) * RECORDS * xml(0).length / 1048576).toFixed(1)} MB of record copies`);
    console.log(`sync store under repeated updates (retention 0 days, last ${MIN_CHANGES} changes):\n  ${figures.join('\n  ')}`);
    // Bounded: once compaction runs, the file stops growing (freed pages are reused) although
    // every round adds RECORDS more changes of ~8 KB.
    expect(sizes.get(20)!).toBeLessThanOrEqual(sizes.get(10)! * 1.1);
  }, 240_000);
});
