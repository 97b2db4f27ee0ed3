import type Database from 'better-sqlite3';
import type { JsonObject, RecordKey, WireChange, WireRecord } from './protocol';

export interface ReplicaRow {
  collection: string;
  id: string;
  data: string;
  seq: number;
  version: number;
}

export interface OutboxRow {
  local_seq: number;
  mutation_id: string;
  collection: string;
  record_id: string;
  fields: string | null;
  is_delete: number;
  base_seq: number;
  user: string | null;
  state: 'pending' | 'acked' | 'rejected';
  seq: number | null;
  code: string | null;
  message: string | null;
  created_at: string;
  resolved_at: string | null;
}

/** Values kept in sync_state. */
export interface ReplicaState {
  /** Highest server seq applied to the replica. */
  cursor: number;
  /** Identity of the server store the replica was built from (null: never bootstrapped). */
  syncId: string | null;
  lastSyncAt: string | null;
  readOnlyCollections: string[];
  maxPushBytes: number;
  /** A snapshot interrupted by a crash or disconnect resumes from here. */
  snapshot: { syncId: string; startSeq: number; after: RecordKey | null; records: number } | null;
}

const DEFAULT_STATE: ReplicaState = {
  cursor: 0,
  syncId: null,
  lastSyncAt: null,
  readOnlyCollections: [],
  maxPushBytes: 60 * 1024,
  snapshot: null,
};

export type PrimitiveFilter = string | number | boolean;

/** SQL access to the replica tables (schema in src/core/store/schema/sync.ts). */
export class ReplicaDb {
  private readonly st;

  constructor(readonly sqlite: Database.Database) {
    const s = sqlite;
    this.st = {
      stateGet: s.prepare<[], { key: string; value: string }>('SELECT key, value FROM sync_state'),
      stateSet: s.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      record: s.prepare<[string, string], ReplicaRow>('SELECT collection, id, data, seq, version FROM sync_records WHERE collection = ? AND id = ?'),
      collection: s.prepare<[string], ReplicaRow>('SELECT collection, id, data, seq, version FROM sync_records WHERE collection = ?'),
      countRecords: s.prepare('SELECT count(*) FROM sync_records').pluck(),
      // Per record the replica only moves forward: a replayed older change is skipped.
      upsert: s.prepare(
        `INSERT INTO sync_records (collection, id, data, seq, version) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (collection, id) DO UPDATE SET data = excluded.data, seq = excluded.seq, version = excluded.version
         WHERE excluded.seq > sync_records.seq`,
      ),
      remove: s.prepare('DELETE FROM sync_records WHERE collection = ? AND id = ? AND seq < ?'),
      stage: s.prepare('INSERT OR REPLACE INTO sync_staging (collection, id, data, seq, version) VALUES (?, ?, ?, ?, ?)'),
      outboxInsert: s.prepare(
        `INSERT INTO sync_outbox (mutation_id, collection, record_id, fields, is_delete, base_seq, user, state, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
      ),
      outboxForRecord: s.prepare<[string, string], OutboxRow>(
        "SELECT * FROM sync_outbox WHERE collection = ? AND record_id = ? AND state != 'rejected' ORDER BY local_seq",
      ),
      outboxIdsInCollection: s.prepare<[string], string>("SELECT DISTINCT record_id FROM sync_outbox WHERE collection = ? AND state != 'rejected'").pluck(),
      pushable: s.prepare<[number], OutboxRow>(
        `SELECT * FROM sync_outbox o WHERE o.state = 'pending' AND NOT EXISTS (
           SELECT 1 FROM sync_outbox r WHERE r.collection = o.collection AND r.record_id = o.record_id
             AND r.state = 'rejected' AND r.local_seq < o.local_seq)
         ORDER BY o.local_seq LIMIT ?`,
      ),
      acked: s.prepare("UPDATE sync_outbox SET state = 'acked', seq = ?, resolved_at = ? WHERE mutation_id = ? AND state = 'pending'"),
      rejected: s.prepare("UPDATE sync_outbox SET state = 'rejected', code = ?, message = ?, resolved_at = ? WHERE mutation_id = ? AND state = 'pending'"),
      dropMutation: s.prepare('DELETE FROM sync_outbox WHERE mutation_id = ?'),
      dropAckedUpTo: s.prepare("DELETE FROM sync_outbox WHERE state = 'acked' AND seq <= ?"),
      dropAcked: s.prepare("DELETE FROM sync_outbox WHERE state = 'acked'"),
      outboxRow: s.prepare<[string], OutboxRow>('SELECT * FROM sync_outbox WHERE mutation_id = ?'),
      dropHeldAfter: s.prepare("DELETE FROM sync_outbox WHERE collection = ? AND record_id = ? AND state = 'pending' AND local_seq > ?"),
      retry: s.prepare(
        "UPDATE sync_outbox SET mutation_id = ?, state = 'pending', base_seq = ?, code = NULL, message = NULL, resolved_at = NULL WHERE mutation_id = ? AND state = 'rejected'",
      ),
      rejections: s.prepare<[], OutboxRow>("SELECT * FROM sync_outbox WHERE state = 'rejected' ORDER BY local_seq"),
      heldBehind: s.prepare<[string, string, number], number>(
        "SELECT count(*) FROM sync_outbox WHERE collection = ? AND record_id = ? AND state = 'pending' AND local_seq > ?",
      ).pluck(),
      counts: s.prepare<[], { pending: number; rejected: number; acked: number }>(
        `SELECT coalesce(sum(state = 'pending'), 0) AS pending, coalesce(sum(state = 'rejected'), 0) AS rejected,
                coalesce(sum(state = 'acked'), 0) AS acked FROM sync_outbox`,
      ),
      rebaseOutbox: s.prepare("UPDATE sync_outbox SET base_seq = min(base_seq, ?) WHERE state = 'pending'"),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn).immediate();
  }

  state(): ReplicaState {
    const out: Record<string, unknown> = { ...DEFAULT_STATE };
    for (const r of this.st.stateGet.all()) out[r.key] = JSON.parse(r.value);
    return out as unknown as ReplicaState;
  }

  setState(patch: Partial<ReplicaState>): void {
    for (const [k, v] of Object.entries(patch)) this.st.stateSet.run(k, JSON.stringify(v ?? null));
  }

  record(collection: string, id: string): ReplicaRow | undefined {
    return this.st.record.get(collection, id);
  }

  /** Rows of a collection, pre-filtered in SQL on top-level primitive equality. */
  collection(collection: string, where: [field: string, values: PrimitiveFilter[]][]): ReplicaRow[] {
    if (where.length === 0) return this.st.collection.all(collection);
    const clauses: string[] = [];
    const params: (string | number)[] = [collection];
    for (const [field, values] of where) {
      clauses.push(`json_extract(data, '$.${field}') IN (${values.map(() => '?').join(', ')})`);
      for (const v of values) params.push(typeof v === 'boolean' ? Number(v) : v);
    }
    return this.sqlite
      .prepare<(string | number)[], ReplicaRow>(`SELECT collection, id, data, seq, version FROM sync_records WHERE collection = ? AND ${clauses.join(' AND ')}`)
      .all(...params);
  }

  countRecords(): number {
    return this.st.countRecords.get() as number;
  }

  /**
   * One page of a collection in SQL (never the whole collection in memory): rows whose data
   * contains `text` (case-insensitive, on the stored JSON), ordered by a top-level field.
   */
  page(collection: string, opts: { text: string; orderBy: string; limit: number; offset: number }): ReplicaRow[] {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(opts.orderBy)) throw new Error(`bad order field ${opts.orderBy}`);
    return this.sqlite
      .prepare<[string, string, string, number, number], ReplicaRow>(
        `SELECT collection, id, data, seq, version FROM sync_records
         WHERE collection = ? AND (? = '' OR lower(data) LIKE ? ESCAPE '\\')
         ORDER BY json_extract(data, '$.${opts.orderBy}'), id LIMIT ? OFFSET ?`,
      )
      .all(collection, opts.text, `%${opts.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`, opts.limit, opts.offset);
  }

  applyChange(c: WireChange): void {
    if (c.data === null) this.st.remove.run(c.collection, c.id, c.seq);
    else this.st.upsert.run(c.collection, c.id, JSON.stringify(c.data), c.seq, c.version);
  }

  stage(records: WireRecord[]): void {
    for (const r of records) this.st.stage.run(r.collection, r.id, JSON.stringify(r.data), r.seq, r.version);
  }

  clearStaging(): void {
    this.sqlite.exec('DELETE FROM sync_staging');
  }

  /** Replaces the replica with the staged snapshot (call inside a transaction). */
  swapInStaging(): void {
    this.sqlite.exec('DELETE FROM sync_records; INSERT INTO sync_records SELECT * FROM sync_staging; DELETE FROM sync_staging;');
  }

  enqueue(m: { mutationId: string; collection: string; id: string; fields: JsonObject | null; baseSeq: number; user: string | null; at: string }): void {
    this.st.outboxInsert.run(m.mutationId, m.collection, m.id, m.fields === null ? null : JSON.stringify(m.fields), m.fields === null ? 1 : 0, m.baseSeq, m.user, m.at);
  }

  /** Pending and acknowledged mutations of a record, oldest first (what reads overlay). */
  unsettled(collection: string, id: string): OutboxRow[] {
    return this.st.outboxForRecord.all(collection, id);
  }

  unsettledIds(collection: string): string[] {
    return this.st.outboxIdsInCollection.all(collection) as string[];
  }

  /** Oldest pending mutations, skipping those held behind a rejected one of the same record. */
  pushable(limit: number): OutboxRow[] {
    return this.st.pushable.all(limit);
  }

  markAcked(mutationId: string, seq: number, at: string): void {
    this.st.acked.run(seq, at, mutationId);
  }

  markRejected(mutationId: string, code: string, message: string, at: string): void {
    this.st.rejected.run(code, message, at, mutationId);
  }

  dropMutation(mutationId: string): void {
    this.st.dropMutation.run(mutationId);
  }

  /** Acknowledged mutations the replica has pulled past no longer need overlaying. */
  settleUpTo(cursor: number): void {
    this.st.dropAckedUpTo.run(cursor);
  }

  dropAllAcked(): void {
    this.st.dropAcked.run();
  }

  outboxRow(mutationId: string): OutboxRow | undefined {
    return this.st.outboxRow.get(mutationId);
  }

  dropHeldAfter(row: OutboxRow): number {
    return this.st.dropHeldAfter.run(row.collection, row.record_id, row.local_seq).changes;
  }

  retry(oldMutationId: string, newMutationId: string, baseSeq: number): boolean {
    return this.st.retry.run(newMutationId, baseSeq, oldMutationId).changes === 1;
  }

  rejections(): OutboxRow[] {
    return this.st.rejections.all();
  }

  heldBehind(row: OutboxRow): number {
    return this.st.heldBehind.get(row.collection, row.record_id, row.local_seq) as number;
  }

  counts(): { pending: number; rejected: number; acked: number } {
    return this.st.counts.get()!;
  }

  /** After the server's history changed under us, pending edits saw at most `seq` of it. */
  rebaseOutbox(seq: number): void {
    this.st.rebaseOutbox.run(seq);
  }
}

/** Applies unsettled mutations, in order, over the replica's version of a record. */
export function overlay(base: JsonObject | null, rows: OutboxRow[]): JsonObject | null {
  let data = base;
  for (const r of rows) {
    if (r.is_delete) data = null;
    else data = { ...data, ...(JSON.parse(r.fields!) as JsonObject) };
  }
  return data;
}

export function parseData(text: string): JsonObject {
  return JSON.parse(text) as JsonObject;
}

