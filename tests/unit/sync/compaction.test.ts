import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock';
import { SyncErrors } from '../../../src/core/sync/index';
import type { PushResult } from '../../../src/core/sync/protocol';
import { tempDir } from '../../helpers/tmp';
import { HarnessServer, openWorkstation, type Workstation } from './harness';

// Retention of the feed, mutation log and history (src/server/sync/compaction.ts), on the
// real engine and real replicas over the in-process transport; time moves by a test clock.
let tmp: ReturnType<typeof tempDir>;
let server: HarnessServer;
let shiftMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + shiftMs), monotonicMs: () => performance.now() };
const open: Workstation[] = [];
const DAY = 86_400_000;

function ws(name: string, opts: { online?: boolean } = {}): Workstation {
  const w = openWorkstation(server, tmp.dir, name, opts);
  open.push(w);
  return w;
}

function serverCounts(): { changes: number; mutations: number; history: number; records: number } {
  const db = new Database(join(tmp.dir, 'sync.sqlite'), { readonly: true });
  try {
    const n = (t: string) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    return { changes: n('changes'), mutations: n('mutations'), history: n('history'), records: n('records') };
  } finally {
    db.close();
  }
}

/** Every live record of the server, as {collection/id: data}. */
function serverRecords(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let after: { collection: string; id: string } | null = null;
  for (;;) {
    const page = server.engine.snapshot({ after, limit: 100 });
    for (const r of page.records) out[`${r.collection}/${r.id}`] = r.data;
    if (!page.next) return out;
    after = page.next;
  }
}

function replicaRecords(w: Workstation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of ['orders', 'customers']) for (const r of w.replica.list(c)) out[`${c}/${r.id}`] = r.data;
  return out;
}

beforeEach(() => {
  tmp = tempDir('comboio-sync-compaction-');
  shiftMs = 0;
  server = new HarnessServer(tmp.dir, { clock, retention: { changeDays: 1, minChanges: 10, mutationDays: 1, historyDays: 2, intervalMs: 3_600_000, batchRows: 7 } });
});

afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
  server.close();
  tmp.cleanup();
});

describe('compaction of the change feed, mutation log and history', () => {
  it('keeps every record and the last minChanges changes; older changes, mutations and history go, in small batches', async () => {
    const a = ws('a');
    const b = ws('b');
    for (let i = 0; i < 20; i++) a.replica.write('orders', `p${i % 5}`, { total: i, cliente: `Posto ${i % 5}` });
    a.replica.write('customers', 'c1', { nome: 'SÃO JOÃO' });
    await a.replica.syncNow();
    await b.replica.syncNow();
    // A conflict: b overwrites a value it never saw → history.
    b.conn.setOnline(false);
    a.replica.write('customers', 'c1', { nome: 'SAO JOAO LTDA' });
    await a.replica.syncNow();
    b.replica.write('customers', 'c1', { nome: 'SÃO JOÃO COMÉRCIO' });
    b.conn.setOnline(true);
    await b.replica.syncNow();
    await a.replica.syncNow();
    const before = serverCounts();
    expect(before.history).toBe(1);
    const records = serverRecords();
    expect(Object.keys(records)).toHaveLength(6);

    // Nothing is old yet: nothing goes.
    expect((await server.service.compactor.run()).changes).toBe(0);
    shiftMs = 3 * DAY;
    const head = server.engine.head();
    const r = await server.service.compactor.run();
    expect(r.changes).toBe(before.changes - 10);
    expect(r.horizon).toBe(head - 10);
    expect(r.mutations).toBe(before.mutations);
    expect(r.history).toBe(1);
    expect(r.batches).toBeGreaterThan(4);
    const after = serverCounts();
    expect(after).toEqual({ changes: 10, mutations: 0, history: 0, records: before.records });
    expect(serverRecords()).toEqual(records);
    expect(server.engine.info().horizon).toBe(head - 10);
    expect(server.engine.head()).toBe(head);
    // Both replicas are at the head: they go on pulling.
    a.replica.write('orders', 'p0', { total: 999 });
    await a.replica.syncNow();
    await b.replica.syncNow();
    expect(b.replica.get('orders', 'p0')!.data.total).toBe(999);
  });

  it('a station away longer than the retention rebuilds from a snapshot, ends with exactly the server records, and its pending edits apply', async () => {
    const a = ws('a');
    const b = ws('b');
    for (let i = 0; i < 10; i++) a.replica.write('orders', `p${i}`, { total: i, status: 'rascunho' });
    await a.replica.syncNow();
    await b.replica.syncNow();
    b.conn.setOnline(false);
    // While b is away: many changes, some deletions, then compaction past b's cursor.
    for (let round = 0; round < 5; round++) for (let i = 0; i < 10; i++) a.replica.write('orders', `p${i}`, { total: round * 100 + i });
    a.replica.remove('orders', 'p9');
    a.replica.write('orders', 'p10', { total: 10, status: 'rascunho' });
    await a.replica.syncNow();
    b.replica.write('orders', 'p1', { observacoes: 'feito com a estação desligada' });
    b.replica.write('orders', 'b-new', { total: 1, status: 'rascunho' });
    const bCursor = b.replica.status().cursor;
    shiftMs = 3 * DAY;
    const r = await server.service.compactor.run();
    expect(r.horizon).toBeGreaterThan(bCursor);
    // An old cursor cannot pull any more: the server says so with a stable code.
    let refusal: unknown = null;
    try {
      server.engine.pull({ since: bCursor });
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toMatchObject({ code: SyncErrors.SNAPSHOT_REQUIRED, message: expect.stringMatching(/^Esta estação ficou desconectada/) });
    expect(server.engine.pull({ since: r.horizon }).changes.length).toBeGreaterThan(0);

    const rebuilt = new Promise((ok) => b.replica.events.on('rebuilt', ok));
    b.conn.setOnline(true);
    await b.replica.syncNow();
    await rebuilt;
    await b.replica.syncNow();
    await a.replica.syncNow();
    expect(b.replica.status().pending).toBe(0);
    const srv = serverRecords();
    expect(replicaRecords(b)).toEqual(srv);
    expect(replicaRecords(a)).toEqual(srv);
    expect(srv['orders/p9']).toBeUndefined();
    expect(srv['orders/p1']).toEqual({ total: 401, status: 'rascunho', observacoes: 'feito com a estação desligada' });
    expect(srv['orders/b-new']).toEqual({ total: 1, status: 'rascunho' });
  });

  it('a retried mutation gets its recorded result within the window; after it, it is applied again as new', async () => {
    const conn = server.connect({ workstation: 'x' });
    const push = (mutationId: string, fields: Record<string, string>) =>
      conn.request<PushResult>('sync.push', { clientId: 'client-x', mutations: [{ mutationId, collection: 'orders', id: 'p1', fields, baseSeq: 0 }] });
    const first = await push('m-1', { obs: 'um' });
    expect(first.results[0]).toMatchObject({ status: 'applied', replayed: false });
    await push('m-2', { obs: 'dois' });
    shiftMs = DAY / 2;
    await server.service.compactor.run();
    // Within the window: the recorded answer, nothing written again.
    const retry = await push('m-1', { obs: 'um' });
    expect(retry.results[0]).toEqual({ ...first.results[0], replayed: true });
    expect(server.engine.get('orders', 'p1')!.data.obs).toBe('dois');
    shiftMs = 2 * DAY;
    expect((await server.service.compactor.run()).mutations).toBe(2);
    // After it: a new mutation. Here it overwrites the same client's later value (its own
    // edit, so no conflict); a value written by someone else would be kept in history.
    const late = await push('m-1', { obs: 'um' });
    expect(late.results[0]).toMatchObject({ status: 'applied', replayed: false });
    expect(server.engine.get('orders', 'p1')!.data.obs).toBe('um');
    expect(server.engine.history({ collection: 'orders', id: 'p1' })).toEqual([]);
  });

  it('a snapshot being read holds compaction back at its start until its last page', async () => {
    const a = ws('a');
    for (let i = 0; i < 30; i++) a.replica.write('orders', `p${i}`, { total: i });
    await a.replica.syncNow();
    const first = server.engine.snapshot({ limit: 10 });
    expect(first.next).not.toBeNull();
    for (let i = 0; i < 30; i++) a.replica.write('orders', `p${i}`, { total: 100 + i });
    await a.replica.syncNow();
    shiftMs = 3 * DAY;
    expect((await server.service.compactor.run()).horizon).toBe(first.startSeq);
    // The reader can still finish and replay the feed from its start.
    let page = first;
    while (page.next) page = server.engine.snapshot({ startSeq: first.startSeq, after: page.next, limit: 10 });
    expect(server.engine.pull({ since: first.startSeq }).changes[0]!.seq).toBe(first.startSeq + 1);
    // Last page read: the lease is gone and the next pass goes on to head - minChanges.
    expect((await server.service.compactor.run()).horizon).toBe(server.engine.head() - 10);
    let refusal: unknown = null;
    try {
      server.engine.snapshot({ startSeq: first.startSeq, after: null, limit: 10 });
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toMatchObject({ code: SyncErrors.SNAPSHOT_REQUIRED });
  });

  it('history keeps who wrote and who replaced a value after the changes themselves are compacted', async () => {
    const a = ws('a');
    const b = ws('b');
    a.replica.write('customers', 'c1', { email: 'a@example' });
    await a.replica.syncNow();
    await b.replica.syncNow();
    b.conn.setOnline(false);
    a.replica.write('customers', 'c1', { email: 'a2@example' });
    await a.replica.syncNow();
    b.replica.write('customers', 'c1', { email: 'b@example' });
    b.conn.setOnline(true);
    await b.replica.syncNow();
    for (let i = 0; i < 12; i++) a.replica.write('orders', `o${i}`, { total: i });
    await a.replica.syncNow();
    const expected = server.engine.history({ collection: 'customers', id: 'c1' });
    expect(expected).toHaveLength(1);
    expect(expected[0]!.writtenBy).toMatchObject({ user: 'user-a', workstation: 'a' });
    shiftMs = 1.5 * DAY;
    const r = await server.service.compactor.run();
    expect(r.horizon).toBeGreaterThan(expected[0]!.replacedSeq);
    expect(r.history).toBe(0);
    expect(server.engine.history({ collection: 'customers', id: 'c1' })).toEqual(expected);
  });
});
