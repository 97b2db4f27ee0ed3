import type Database from 'better-sqlite3';
import { AppError } from '../../core/errors';
import type { Actor } from '../../core/numbering/protocol';
import { jsonEqual } from '../../core/sync/json';
import {
  SYNC_PROTOCOL_VERSION,
  SyncErrors,
  type HistoryEntry,
  type InfoResult,
  type JsonObject,
  type JsonValue,
  type MutationResult,
  type PullParams,
  type PullResult,
  type PushResult,
  type RecordKey,
  type SnapshotParams,
  type SnapshotResult,
  type WireChange,
  type WireMutation,
  type WireRecord,
} from '../../core/sync/protocol';
import type { GroupCommitter } from '../group-commit';

/** Sees every applied change: the record's value after it (null when deleted). */
export type ApplyHook = (collection: string, id: string, next: JsonObject | null) => void;

/** What a domain validator sees of a mutation. */
export interface MutationView {
  mutationId: string;
  /** Fields the mutation sets (empty for a deletion). */
  fields: JsonObject;
  delete: boolean;
  baseSeq: number;
  /** The record as it would be after the mutation (null for a deletion). */
  next: JsonObject | null;
}

export interface SyncActor extends Actor {
  /** 'workstation' for pushes, 'server' for writes made by the server itself. */
  source: 'workstation' | 'server';
}

export interface Rejection {
  code: string;
  /** pt-BR, shown to the user as is. */
  message: string;
}

/**
 * Domain rule of a collection ("orders: refuse edits once faturado"). Returns nothing (or
 * true) to accept, a Rejection to refuse; throwing an AppError also refuses with its code.
 */
export type Validator = (collection: string, current: JsonObject | null, mutation: MutationView, actor: SyncActor) => Rejection | null | undefined | true | void;

export interface CollectionRules {
  /** Workstations may read but not write it (series configuration). */
  readOnlyForWorkstations?: boolean;
  validate?: Validator;
}

export interface SyncEngineOptions {
  nowIso: () => string;
  /** Refuse collections nobody registered (default: accept any well-formed name). */
  registeredOnly?: boolean;
  /** Announced to clients; must stay under the connection's frame limit. */
  maxPushBytes: number;
  log?: (line: string) => void;
}

interface RecordRow {
  data: string;
  version: number;
  seq: number;
  deleted: number;
  field_seqs: string;
}

interface ChangeRow {
  seq: number;
  collection: string;
  id: string;
  version: number;
  data: string | null;
  fields: string;
  user: string;
  workstation: string;
  at: string;
}

const PULL_MAX_BYTES = 4 * 1024 * 1024;
const SNAPSHOT_MAX_BYTES = 4 * 1024 * 1024;
/** A snapshot whose last page was asked for longer ago than this no longer holds compaction back. */
const SNAPSHOT_LEASE_MS = 15 * 60_000;

/** Who made a change (history keeps it in its own row: the change itself may be compacted away). */
interface ChangeActorRow {
  user: string;
  workstation: string;
  ip: string;
  at: string;
}

/**
 * The system of record for shared records. Every accepted change gets the next server
 * sequence number; per field, the last change in server order wins, and a value that is
 * overwritten by a mutation whose author had not seen it goes to `history` (nothing typed
 * is lost). Mutations are idempotent by their client-chosen id.
 */
export class SyncEngine {
  readonly syncId: string;
  private readonly rules = new Map<string, CollectionRules>();
  private readonly commitListeners = new Set<(head: number) => void>();
  private readonly applyHooks: ApplyHook[] = [];
  private notifyScheduled = false;
  private closed = false;
  /** Changes up to this seq were compacted away (0: none); see compaction.ts. */
  private horizonSeq: number;
  /** startSeq of snapshots being read → when a page was last asked for. */
  private readonly snapshotLeases = new Map<number, number>();
  private readonly st;

  constructor(
    private readonly db: Database.Database,
    private readonly committer: GroupCommitter,
    syncId: string,
    private readonly opts: SyncEngineOptions,
  ) {
    this.syncId = syncId;
    const horizon = db.prepare("SELECT value FROM sync_meta WHERE key = 'horizon'").pluck().get() as string | undefined;
    this.horizonSeq = horizon === undefined ? 0 : Number(horizon);
    this.st = {
      head: db.prepare('SELECT coalesce(max(seq), 0) AS head FROM changes').pluck(),
      record: db.prepare<[string, string], RecordRow>('SELECT data, version, seq, deleted, field_seqs FROM records WHERE collection = ? AND id = ?'),
      upsert: db.prepare(
        `INSERT INTO records (collection, id, data, version, seq, deleted, field_seqs) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (collection, id) DO UPDATE SET data = excluded.data, version = excluded.version, seq = excluded.seq,
           deleted = excluded.deleted, field_seqs = excluded.field_seqs`,
      ),
      insertChange: db.prepare(
        'INSERT INTO changes (collection, id, version, data, fields, mutation_id, client_id, user, workstation, ip, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      changeClient: db.prepare<[number], { client_id: string | null }>('SELECT client_id FROM changes WHERE seq = ?'),
      changeActor: db.prepare<[number], ChangeActorRow>('SELECT user, workstation, ip, at FROM changes WHERE seq = ?'),
      mutation: db.prepare<[string], { collection: string; id: string; result: string }>('SELECT collection, id, result FROM mutations WHERE mutation_id = ?'),
      insertMutation: db.prepare('INSERT INTO mutations (mutation_id, client_id, collection, id, result, at) VALUES (?, ?, ?, ?, ?, ?)'),
      insertHistory: db.prepare(
        `INSERT INTO history (collection, id, field, value, written_seq, replaced_seq, reason,
           written_user, written_workstation, written_ip, written_at, replaced_user, replaced_workstation, replaced_ip, replaced_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      history: db.prepare<
        [string, string],
        {
          field: string;
          value: string;
          written_seq: number;
          replaced_seq: number;
          reason: 'conflict' | 'delete';
          written_user: string | null;
          written_workstation: string | null;
          written_ip: string | null;
          written_at: string | null;
          replaced_user: string | null;
          replaced_workstation: string | null;
          replaced_ip: string | null;
          replaced_at: string | null;
        }
      >(
        `SELECT field, value, written_seq, replaced_seq, reason, written_user, written_workstation, written_ip, written_at,
           replaced_user, replaced_workstation, replaced_ip, replaced_at
         FROM history WHERE collection = ? AND id = ? ORDER BY hid`,
      ),
      pull: db.prepare<[number, number], ChangeRow>(
        'SELECT seq, collection, id, version, data, fields, user, workstation, at FROM changes WHERE seq > ? ORDER BY seq LIMIT ?',
      ),
      snapshotFirst: db.prepare<[number], { collection: string; id: string; data: string; seq: number; version: number }>(
        'SELECT collection, id, data, seq, version FROM records WHERE deleted = 0 ORDER BY collection, id LIMIT ?',
      ),
      snapshotAfter: db.prepare<[string, string, number], { collection: string; id: string; data: string; seq: number; version: number }>(
        'SELECT collection, id, data, seq, version FROM records WHERE deleted = 0 AND (collection, id) > (?, ?) ORDER BY collection, id LIMIT ?',
      ),
    };
  }

  registerCollection(name: string, rules: CollectionRules): void {
    this.rules.set(name, { ...this.rules.get(name), ...rules });
  }

  /**
   * Called for each change inside the transaction that applies it (after `records` holds
   * the new value): derived tables kept in step with the records (src/server/records).
   * A hook that throws fails the push it is part of, so they never disagree.
   */
  addApplyHook(hook: ApplyHook): void {
    this.applyHooks.push(hook);
  }

  /** Called (coalesced, after the commit) whenever new changes are durable. */
  onCommit(listener: (head: number) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Stops notifications; the owner closes the database afterwards. */
  close(): void {
    this.closed = true;
    this.commitListeners.clear();
  }

  head(): number {
    // Compaction may remove every change: the head never goes below what was compacted.
    return Math.max(this.st.head.get() as number, this.horizonSeq);
  }

  /** Changes up to this seq are no longer in the feed: a replica behind it rebuilds from a snapshot. */
  horizon(): number {
    return this.horizonSeq;
  }

  /** Called by the compactor after it removed changes up to `seq` (persisted by it in sync_meta). */
  advanceHorizon(seq: number): void {
    if (seq > this.horizonSeq) this.horizonSeq = seq;
  }

  /**
   * The oldest startSeq of a snapshot still being read (its client replays the feed from
   * there afterwards): compaction keeps those changes. Null when none is in progress.
   */
  oldestSnapshotLease(nowMs = Date.now()): number | null {
    let oldest: number | null = null;
    for (const [startSeq, at] of this.snapshotLeases) {
      if (nowMs - at > SNAPSHOT_LEASE_MS) this.snapshotLeases.delete(startSeq);
      else if (oldest === null || startSeq < oldest) oldest = startSeq;
    }
    return oldest;
  }

  info(): InfoResult {
    return {
      protocol: SYNC_PROTOCOL_VERSION,
      syncId: this.syncId,
      head: this.head(),
      horizon: this.horizonSeq,
      readOnlyCollections: [...this.rules].filter(([, r]) => r.readOnlyForWorkstations).map(([n]) => n),
      maxPushBytes: this.opts.maxPushBytes,
    };
  }

  get(collection: string, id: string): WireRecord | null {
    const row = this.st.record.get(collection, id);
    if (!row || row.deleted) return null;
    return { collection, id, data: JSON.parse(row.data) as JsonObject, seq: row.seq, version: row.version };
  }

  /**
   * One page of the current records. The pages are not one frozen picture (writes go on
   * between them); the client replays the feed from `startSeq` afterwards, skipping
   * changes older than what it already holds, and is consistent once it reaches the head.
   */
  snapshot(p: SnapshotParams): SnapshotResult {
    const startSeq = p.startSeq ?? this.head();
    // The changes after startSeq were compacted while this snapshot was read (its client
    // paused longer than the lease): it could not be completed consistently, start again.
    if (startSeq < this.horizonSeq) throw snapshotRequired();
    this.snapshotLeases.set(startSeq, Date.now());
    const limit = Math.min(Math.max(p.limit ?? 2000, 1), 10_000);
    // Rows are read one at a time up to the byte budget: a page of big records (signed XML)
    // never sits in memory whole (#15: 2,000 documents of ~60 KB were 120 MB per request).
    const rows = p.after ? this.st.snapshotAfter.iterate(p.after.collection, p.after.id, limit) : this.st.snapshotFirst.iterate(limit);
    const records: WireRecord[] = [];
    let bytes = 0;
    let cut = false;
    for (const r of rows) {
      records.push({ collection: r.collection, id: r.id, data: JSON.parse(r.data) as JsonObject, seq: r.seq, version: r.version });
      bytes += r.data.length;
      if (bytes >= SNAPSHOT_MAX_BYTES) {
        cut = true;
        break;
      }
    }
    const last = records[records.length - 1];
    const full = records.length === limit || cut;
    if (!full) this.snapshotLeases.delete(startSeq);
    return { syncId: this.syncId, startSeq, records, next: full && last ? { collection: last.collection, id: last.id } : null };
  }

  pull(p: PullParams): PullResult {
    if (p.since < this.horizonSeq) throw snapshotRequired();
    const head = this.head();
    const limit = Math.min(Math.max(p.limit ?? 1000, 1), 10_000);
    const rows = this.st.pull.iterate(p.since, limit);
    const changes: WireChange[] = [];
    let bytes = 0;
    for (const r of rows) {
      changes.push({
        seq: r.seq,
        collection: r.collection,
        id: r.id,
        version: r.version,
        data: r.data === null ? null : (JSON.parse(r.data) as JsonObject),
        fields: JSON.parse(r.fields) as string[],
        user: r.user,
        workstation: r.workstation,
        at: r.at,
      });
      bytes += r.data?.length ?? 0;
      if (bytes >= PULL_MAX_BYTES) break;
    }
    const until = changes.length > 0 ? changes[changes.length - 1]!.seq : p.since;
    return { syncId: this.syncId, head, changes, until, more: until < head };
  }

  history(key: RecordKey): HistoryEntry[] {
    return this.st.history.all(key.collection, key.id).map((h) => {
      const written = h.written_user !== null ? { user: h.written_user, workstation: h.written_workstation!, ip: h.written_ip!, at: h.written_at! } : null;
      const replaced =
        h.replaced_user !== null
          ? { user: h.replaced_user, workstation: h.replaced_workstation!, ip: h.replaced_ip!, at: h.replaced_at! }
          : (this.st.changeActor.get(h.replaced_seq) ?? { user: '?', workstation: '?', ip: '?', at: '' });
      return {
        field: h.field,
        value: JSON.parse(h.value) as JsonValue,
        writtenSeq: h.written_seq,
        writtenBy: written ? { user: written.user, workstation: written.workstation, ip: written.ip } : null,
        writtenAt: written?.at ?? null,
        replacedSeq: h.replaced_seq,
        replacedBy: { user: replaced.user, workstation: replaced.workstation, ip: replaced.ip },
        replacedAt: replaced.at,
        reason: h.reason,
      };
    });
  }

  /**
   * Applies mutations in order, durably (group commit) before resolving. A rejected
   * mutation holds back the later ones of the same record in this push (they would build
   * on it) but not those of other records.
   */
  async push(clientId: string, mutations: WireMutation[], actor: SyncActor): Promise<PushResult> {
    const results = await this.committer.submit(() => {
      const blocked = new Map<string, string>();
      return mutations.map((m) => {
        const key = `${m.collection}\u0000${m.id}`;
        const blocker = blocked.get(key);
        if (blocker !== undefined) return { mutationId: m.mutationId, status: 'held', blockedBy: blocker } satisfies MutationResult;
        const r = this.applyOne(m, clientId, actor);
        if (r.status === 'rejected') blocked.set(key, m.mutationId);
        return r;
      });
    });
    if (results.some((r) => r.status === 'applied' && !r.replayed)) this.scheduleNotify();
    return { syncId: this.syncId, head: this.head(), results };
  }

  /**
   * A write made by the server itself (number allocated → order "faturado", series
   * configuration). Bypasses `readOnlyForWorkstations` but not the validators. Give a
   * deterministic `mutationId` (e.g. derived from an allocation's requestId) to make it
   * exactly-once across retries.
   */
  async writeAsServer(
    key: RecordKey,
    change: { fields?: JsonObject; delete?: boolean },
    actor: Actor,
    mutationId: string,
  ): Promise<MutationResult> {
    const res = await this.push(
      'server',
      [{ ...key, mutationId, fields: change.fields ?? {}, delete: change.delete === true, baseSeq: this.head() }],
      { ...actor, source: 'server' },
    );
    return res.results[0]!;
  }

  private scheduleNotify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      if (this.closed) return;
      const head = this.head();
      for (const l of this.commitListeners) l(head);
    });
  }

  private applyOne(m: WireMutation, clientId: string, actor: SyncActor): MutationResult {
    const previous = this.st.mutation.get(m.mutationId);
    if (previous) {
      if (previous.collection !== m.collection || previous.id !== m.id) {
        return rejected(m, SyncErrors.MUTATION_ID_REUSED, 'Identificador de alteração repetido para outro registro; a alteração não foi aplicada.');
      }
      return { ...(JSON.parse(previous.result) as MutationResult), replayed: true } as MutationResult;
    }
    const at = this.opts.nowIso();
    const result = this.decide(m, clientId, actor, at);
    this.st.insertMutation.run(m.mutationId, clientId, m.collection, m.id, JSON.stringify(result), at);
    return result;
  }

  private decide(m: WireMutation, clientId: string, actor: SyncActor, at: string): MutationResult {
    const rules = this.rules.get(m.collection);
    if (!rules && this.opts.registeredOnly) {
      return rejected(m, SyncErrors.UNKNOWN_COLLECTION, `A coleção "${m.collection}" não é compartilhada por este servidor.`);
    }
    if (rules?.readOnlyForWorkstations && actor.source === 'workstation') {
      return rejected(m, SyncErrors.READ_ONLY, `Os registros de "${m.collection}" só podem ser alterados no servidor (administração).`);
    }
    const cur = this.st.record.get(m.collection, m.id);
    const curData = cur && !cur.deleted ? (JSON.parse(cur.data) as JsonObject) : null;
    const fields = m.delete ? {} : (m.fields ?? {});
    if (m.delete) {
      if (!curData) return applied(m, cur?.seq ?? this.head());
    } else if (cur?.deleted) {
      const by = this.st.changeActor.get(cur.seq);
      const who = by ? ` por ${by.user} (${by.workstation}) em ${by.at}` : '';
      return rejected(m, SyncErrors.RECORD_DELETED, `Este registro foi excluído${who}; a alteração não foi aplicada.`);
    }
    const changed = Object.keys(fields).filter((f) => !curData || !Object.prototype.hasOwnProperty.call(curData, f) || !jsonEqual(curData[f], fields[f]));
    if (!m.delete && curData && changed.length === 0) return applied(m, cur!.seq);
    const next = m.delete ? null : { ...curData, ...fields };

    // Validators judge the authenticated connection (enrolled station or signed-in user);
    // `m.user` is only what the station declares and is kept as the label of the change.
    const rejection = this.runValidator(rules, m, curData, fields, next, actor);
    if (rejection) return rejected(m, rejection.code, rejection.message);

    const user = actor.source === 'workstation' && m.user ? m.user : actor.user;
    const version = (cur?.version ?? 0) + 1;
    const seq = Number(
      this.st.insertChange.run(
        m.collection,
        m.id,
        version,
        next === null ? null : JSON.stringify(next),
        JSON.stringify(changed),
        m.mutationId,
        clientId,
        user,
        actor.workstation,
        actor.ip,
        at,
      ).lastInsertRowid,
    );
    const fieldSeqs = cur ? (JSON.parse(cur.field_seqs) as Record<string, number>) : {};
    const replacedBy: ChangeActorRow = { user, workstation: actor.workstation, ip: actor.ip, at };
    const keep = (field: string, value: string, writtenSeq: number, reason: 'conflict' | 'delete') => {
      const w = this.st.changeActor.get(writtenSeq);
      this.st.insertHistory.run(
        m.collection, m.id, field, value, writtenSeq, seq, reason,
        w?.user ?? null, w?.workstation ?? null, w?.ip ?? null, w?.at ?? null,
        replacedBy.user, replacedBy.workstation, replacedBy.ip, replacedBy.at,
      );
    };
    if (curData && m.delete) {
      keep('*', cur!.data, cur!.seq, 'delete');
    } else if (curData) {
      for (const f of changed) {
        const writtenSeq = fieldSeqs[f];
        if (writtenSeq === undefined || writtenSeq <= m.baseSeq || !Object.prototype.hasOwnProperty.call(curData, f)) continue;
        // The author never saw this value: keep it, unless it was their own earlier edit.
        // (A change compacted away has no author left to compare: the value is kept.)
        if (this.st.changeClient.get(writtenSeq)?.client_id === clientId) continue;
        keep(f, JSON.stringify(curData[f]), writtenSeq, 'conflict');
      }
    }
    for (const f of changed) fieldSeqs[f] = seq;
    this.st.upsert.run(m.collection, m.id, next === null ? (cur?.data ?? '{}') : JSON.stringify(next), version, seq, next === null ? 1 : 0, JSON.stringify(fieldSeqs));
    for (const hook of this.applyHooks) hook(m.collection, m.id, next);
    return applied(m, seq);
  }

  private runValidator(
    rules: CollectionRules | undefined,
    m: WireMutation,
    current: JsonObject | null,
    fields: JsonObject,
    next: JsonObject | null,
    actor: SyncActor,
  ): Rejection | null {
    if (!rules?.validate) return null;
    try {
      const r = rules.validate(m.collection, current, { mutationId: m.mutationId, fields, delete: m.delete === true, baseSeq: m.baseSeq, next }, actor);
      if (r && typeof r === 'object' && typeof r.code === 'string') return { code: r.code, message: String(r.message) };
      return null;
    } catch (err) {
      if (err instanceof AppError) return { code: err.code, message: err.message };
      this.opts.log?.(`validador de "${m.collection}" falhou: ${(err as Error)?.stack ?? String(err)}`);
      return { code: SyncErrors.VALIDATOR_FAILED, message: 'O servidor não conseguiu validar esta alteração (erro interno). Avise o suporte.' };
    }
  }
}

function snapshotRequired(): AppError {
  return new AppError(
    SyncErrors.SNAPSHOT_REQUIRED,
    'Esta estação ficou desconectada por mais tempo que a retenção do histórico de alterações do servidor; ela será reconstruída a partir dos registros atuais do servidor (as alterações locais são mantidas).',
  );
}

function applied(m: WireMutation, seq: number): MutationResult {
  return { mutationId: m.mutationId, status: 'applied', seq, replayed: false };
}

function rejected(m: WireMutation, code: string, message: string): MutationResult {
  return { mutationId: m.mutationId, status: 'rejected', code, message, replayed: false };
}
