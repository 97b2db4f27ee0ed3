import type { RejectedChangeDto, SyncStatus } from '../../shared/api/app';
import { isoWithOffset, systemClock, type Clock } from '../clock';
import { AppError, invalidInput } from '../errors';
import type { Store } from '../store/open';
import type { SyncConnection } from './connection';
import { Emitter } from './emitter';
import { isFieldName, jsonEqual } from './json';
import {
  COLLECTION_RE,
  MAX_ID_LENGTH,
  SYNC_POKE_EVENT,
  SyncErrors,
  SyncMessageTypes,
  type HistoryEntry,
  type InfoResult,
  type JsonObject,
  type JsonValue,
  type PokeEvent,
  type PullResult,
  type PushParams,
  type PushResult,
  type RecordKey,
  type SnapshotResult,
  type WireMutation,
} from './protocol';
import { overlay, parseData, ReplicaDb, type OutboxRow, type PrimitiveFilter, type ReplicaRow } from './replica-db';
import { newId } from '../../shared/ids';
import { logger } from '../log/index';

const syncLog = logger('sincronizacao');

export interface ReplicaOptions {
  /** The workstation store (migrated: it must hold the sync_* tables). */
  store: Pick<Store, 'sqlite'>;
  connection: SyncConnection;
  /** Stable id of this replica; keep it with the store (one per workstation database). */
  clientId: string;
  clock?: Clock;
  /** The user typing now, recorded on each local write for the server's audit. */
  currentUser?: () => string | null;
  pushBatch?: number;
  pullLimit?: number;
  snapshotPage?: number;
  /** Retry delays after a failed round trip (doubling, with jitter). */
  backoffMs?: { min: number; max: number };
  log?: (line: string) => void;
}

/** A record as the workstation sees it: the replica with this workstation's unsent edits on top. */
export interface RecordView {
  collection: string;
  id: string;
  data: JsonObject;
  /** Server seq of the replicated version (0: exists only locally so far). */
  seq: number;
  version: number;
  /** True while local edits of it are not yet confirmed by the server. */
  pending: boolean;
}

export type FieldFilter = JsonValue | { in: JsonValue[] };

export interface ListQuery {
  /** Top-level field equality (or membership with {in: [...]}), all must hold. */
  where?: Record<string, FieldFilter>;
  /** Anything `where` cannot say. */
  filter?: (data: JsonObject) => boolean;
  orderBy?: { field: string; desc?: boolean } | { field: string; desc?: boolean }[];
  limit?: number;
  offset?: number;
}

export interface ReplicaStatus extends SyncStatus {
  /** True while the replica is (re)built from a server snapshot. */
  bootstrapping: boolean;
  /** Highest server seq applied. */
  cursor: number;
}

export interface Rejection extends RejectedChangeDto {
  /** What the rejected mutation tried to set (null for a deletion): nothing typed is lost. */
  fields: JsonObject | null;
  delete: boolean;
  /** Later edits of the same record waiting behind this one (sent when it is dismissed). */
  held: number;
}

export interface ReplicaEvents {
  status: ReplicaStatus;
  /** Records whose visible value may have changed. */
  changes: { source: 'local' | 'remote' | 'rebuild'; records: RecordKey[] };
  /** The server is reachable again (after the handshake): queued work can resume. */
  online: { syncId: string; head: number };
  offline: Record<string, never>;
  rejected: Rejection[];
  rebuilt: { syncId: string; records: number; startSeq: number };
}

export type LocalWrite = { collection: string; id: string; fields: JsonObject; delete?: false } | { collection: string; id: string; delete: true; fields?: undefined };

export interface WriteResult {
  mutationId: string;
  record: RecordView | null;
}

const SAFE_SQL_FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The workstation's replica of the shared records. Local writes land in the outbox in one
 * transaction and return at once; a background loop pushes the outbox in order, pulls the
 * change feed into the replica (one transaction per batch) and bootstraps or rebuilds from
 * a snapshot when needed. Reads overlay unsettled local edits on the replica.
 */
export class Replica {
  readonly events = new Emitter<ReplicaEvents>();
  /** Since this object was created: for diagnostics and benchmarks. */
  readonly counters = { pushes: 0, applied: 0, replayed: 0, rejected: 0, pulls: 0, changesPulled: 0, snapshotRecords: 0 };
  private readonly db: ReplicaDb;
  private readonly conn: SyncConnection;
  private readonly clock: Clock;
  private readonly opts: ReplicaOptions;
  private readonly unsubscribe: (() => void)[] = [];

  private online = false;
  private handshakeDone = false;
  private rebuildWanted = false;
  private pullWanted = false;
  private running: Promise<void> | null = null;
  private runAgain = false;
  private rebuilding = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private backoff = 0;
  private closed = false;
  private lastStatus = '';
  private idleWaiters: { ok: () => void; fail: (e: unknown) => void }[] = [];

  constructor(opts: ReplicaOptions) {
    this.opts = opts;
    this.db = new ReplicaDb(opts.store.sqlite);
    this.conn = opts.connection;
    this.clock = opts.clock ?? systemClock;
  }

  /** Starts following the connection; called by createReplica. */
  start(): void {
    this.unsubscribe.push(
      this.conn.onStateChange((up) => (up ? this.connected() : this.disconnected())),
      this.conn.onEvent(SYNC_POKE_EVENT, (data) => {
        const seq = (data as PokeEvent | null)?.seq;
        if (typeof seq === 'number' && seq > this.db.state().cursor) {
          this.pullWanted = true;
          this.kick();
        }
      }),
    );
    if (this.conn.isOnline()) this.connected();
    this.emitStatus(true);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const u of this.unsubscribe.splice(0)) u();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.running?.catch(() => undefined);
    this.failIdleWaiters(new AppError('UNAVAILABLE', 'Sincronização encerrada.'));
  }

  // ---- local writes and reads --------------------------------------------------------

  /** Sets top-level fields of a record (creating it when missing). Never waits for the network. */
  write(collection: string, id: string, fields: JsonObject, opts: { user?: string | null } = {}): WriteResult {
    const [mutationId] = this.writeMany([{ collection, id, fields }], opts);
    return { mutationId: mutationId!, record: this.get(collection, id) };
  }

  /** Deletes a record (a tombstone on the server; its last values stay in history). */
  remove(collection: string, id: string, opts: { user?: string | null } = {}): WriteResult {
    const [mutationId] = this.writeMany([{ collection, id, delete: true }], opts);
    return { mutationId: mutationId!, record: null };
  }

  /**
   * Several writes (an import, a document and its events) in one local transaction: all or
   * none are queued. Each stays its own mutation on the server. Returns their ids in order.
   */
  writeMany(items: LocalWrite[], opts: { user?: string | null } = {}): string[] {
    const state = this.db.state();
    const user = opts.user ?? this.opts.currentUser?.() ?? null;
    const at = isoWithOffset(this.clock.now());
    const rows = items.map((item) => {
      checkKey(item.collection, item.id);
      if (state.readOnlyCollections.includes(item.collection)) {
        throw new AppError(SyncErrors.READ_ONLY, `Os registros de "${item.collection}" só podem ser alterados no servidor (administração).`);
      }
      const fields = item.delete ? null : cleanFields(item.fields);
      return { mutationId: newId(), collection: item.collection, id: item.id, fields, baseSeq: state.cursor, user, at };
    });
    this.db.transaction(() => {
      for (const r of rows) this.db.enqueue(r);
    });
    this.afterLocalChange(rows.map((r) => ({ collection: r.collection, id: r.id })));
    return rows.map((r) => r.mutationId);
  }

  get(collection: string, id: string): RecordView | null {
    const row = this.db.record(collection, id);
    const unsettled = this.db.unsettled(collection, id);
    return view(collection, id, row, unsettled);
  }

  list(collection: string, query: ListQuery = {}): RecordView[] {
    const where = Object.entries(query.where ?? {});
    const sqlWhere: [string, PrimitiveFilter[]][] = [];
    for (const [field, f] of where) {
      const values = isInFilter(f) ? f.in : [f];
      if (SAFE_SQL_FIELD.test(field) && values.every(isPrimitive)) sqlWhere.push([field, values as PrimitiveFilter[]]);
    }
    const touched = new Set(this.db.unsettledIds(collection));
    const out: RecordView[] = [];
    for (const row of this.db.collection(collection, sqlWhere)) {
      if (touched.has(row.id)) continue;
      out.push({ collection, id: row.id, data: parseData(row.data), seq: row.seq, version: row.version, pending: false });
    }
    for (const id of touched) {
      const v = this.get(collection, id);
      if (v) out.push(v);
    }
    const matches = (d: JsonObject) =>
      where.every(([field, f]) => (isInFilter(f) ? f.in.some((x) => jsonEqual(d[field], x)) : jsonEqual(d[field], f))) && (query.filter?.(d) ?? true);
    let result = out.filter((r) => matches(r.data));
    const orders = query.orderBy === undefined ? [] : Array.isArray(query.orderBy) ? query.orderBy : [query.orderBy];
    result.sort((a, b) => {
      for (const o of orders) {
        const c = compareJson(a.data[o.field], b.data[o.field]);
        if (c !== 0) return o.desc ? -c : c;
      }
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    if (query.offset) result = result.slice(query.offset);
    if (query.limit !== undefined) result = result.slice(0, query.limit);
    return result;
  }

  // ---- status, rejections ------------------------------------------------------------

  status(): ReplicaStatus {
    const s = this.db.state();
    const c = this.db.counts();
    return {
      online: this.online && this.handshakeDone,
      pending: c.pending,
      rejected: c.rejected,
      lastSyncAt: s.lastSyncAt,
      bootstrapping: s.syncId === null || s.snapshot !== null || this.rebuilding,
      cursor: s.cursor,
    };
  }

  /**
   * A bounded page of a collection (registries): SQL does the filtering, ordering and LIMIT;
   * this station's unsent edits of the rows on the page are laid on top, and records created
   * here and not yet confirmed come first on the first page.
   */
  page(collection: string, opts: { text: string; orderBy: string; limit: number; offset: number }): RecordView[] {
    const touched = new Set(this.db.unsettledIds(collection));
    const out: RecordView[] = [];
    if (opts.offset === 0) {
      for (const id of touched) {
        if (this.db.record(collection, id)) continue;
        const v = this.get(collection, id);
        if (v && (!opts.text || JSON.stringify(v.data).toLowerCase().includes(opts.text.toLowerCase()))) out.push(v);
      }
    }
    for (const row of this.db.page(collection, opts)) {
      if (touched.has(row.id)) {
        const v = this.get(collection, row.id);
        if (v) out.push(v);
      } else out.push({ collection, id: row.id, data: parseData(row.data), seq: row.seq, version: row.version, pending: false });
    }
    return out;
  }

  /** Records in the local copy (what a rebuild brought, for the person who asked). */
  recordCount(): number {
    return this.db.countRecords();
  }

  rejections(): Rejection[] {
    return this.db.rejections().map((r) => this.toRejection(r));
  }

  /**
   * The user has read the reason. The rejected edit is discarded; later edits of the same
   * record that waited behind it are sent, or discarded too with `dropHeld`.
   */
  dismiss(mutationId: string, opts: { dropHeld?: boolean } = {}): void {
    const row = this.db.outboxRow(mutationId);
    if (!row || row.state !== 'rejected') throw new AppError('NOT_FOUND', 'Alteração recusada não encontrada (já foi descartada?).');
    this.db.transaction(() => {
      if (opts.dropHeld) this.db.dropHeldAfter(row);
      this.db.dropMutation(mutationId);
    });
    this.afterLocalChange([{ collection: row.collection, id: row.record_id }]);
  }

  /** Sends a rejected edit again (e.g. after the reason was fixed), as a new mutation. */
  retry(mutationId: string): string {
    const freshId = newId();
    if (!this.db.retry(mutationId, freshId, this.db.state().cursor)) {
      throw new AppError('NOT_FOUND', 'Alteração recusada não encontrada (já foi descartada?).');
    }
    const row = this.db.outboxRow(freshId)!;
    this.afterLocalChange([{ collection: row.collection, id: row.record_id }]);
    return freshId;
  }

  /** Values that lost a per-field conflict on the server (and deleted records' last values). */
  history(collection: string, id: string): Promise<HistoryEntry[]> {
    if (!this.status().online) return Promise.reject(offlineError());
    return this.conn.request<HistoryEntry[]>(SyncMessageTypes.history, { collection, id });
  }

  // ---- synchronisation ---------------------------------------------------------------

  /**
   * Pushes everything pushable and pulls up to the server's head. Resolves when done;
   * rejects when the server is unreachable (local writes are kept and sent later anyway).
   */
  syncNow(): Promise<void> {
    if (!this.online) return Promise.reject(offlineError());
    this.pullWanted = true;
    return this.whenIdle();
  }

  /** Drops the replica and builds it again from a server snapshot; the outbox is kept. */
  rebuild(): Promise<void> {
    if (!this.online) return Promise.reject(offlineError());
    this.rebuildWanted = true;
    return this.whenIdle();
  }

  private whenIdle(): Promise<void> {
    return new Promise((ok, fail) => {
      this.idleWaiters.push({ ok, fail });
      this.kick();
    });
  }

  private afterLocalChange(records: RecordKey[]): void {
    this.events.emit('changes', { source: 'local', records });
    this.emitStatus();
    this.kick();
  }

  private connected(): void {
    this.online = true;
    this.handshakeDone = false;
    this.backoff = 0;
    this.pullWanted = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.kick();
  }

  private disconnected(): void {
    const was = this.online && this.handshakeDone;
    this.online = false;
    this.handshakeDone = false;
    if (was) this.events.emit('offline', {});
    this.emitStatus();
  }

  private kick(): void {
    if (this.closed || !this.online) return;
    if (this.running) {
      // Work may have arrived after the loop's last check: look again when it ends.
      this.runAgain = true;
      return;
    }
    this.runAgain = false;
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.runAgain) this.kick();
    });
  }

  /** One worker at a time: handshake → rebuild → push → pull, until nothing is left. */
  private async run(): Promise<void> {
    try {
      for (;;) {
        if (this.closed || !this.online) break;
        if (!this.handshakeDone) {
          await this.handshake();
          continue;
        }
        if (this.rebuildWanted || this.db.state().snapshot) {
          await this.doRebuild();
          continue;
        }
        if (await this.pushOnce()) continue;
        if (this.pullWanted) {
          this.pullWanted = false;
          await this.pullAll();
          continue;
        }
        break;
      }
      this.backoff = 0;
      if (this.online && this.handshakeDone) this.resolveIdleWaiters();
      else this.failIdleWaiters(offlineError());
    } catch (err) {
      if (this.closed) return;
      this.opts.log?.(`sincronização: ${(err as Error)?.message ?? String(err)}`);
      if (!this.conn.isOnline()) this.disconnected();
      this.failIdleWaiters(err);
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    const { min, max } = this.opts.backoffMs ?? { min: 500, max: 30_000 };
    this.backoff = this.backoff === 0 ? min : Math.min(max, this.backoff * 2);
    const delay = this.backoff / 2 + Math.random() * (this.backoff / 2);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.conn.isOnline()) {
        this.online = true;
        this.kick();
      }
    }, delay);
    this.retryTimer.unref?.();
  }

  private async handshake(): Promise<void> {
    const info = await this.conn.request<InfoResult>(SyncMessageTypes.info, {});
    const state = this.db.state();
    this.db.setState({ readOnlyCollections: info.readOnlyCollections, maxPushBytes: info.maxPushBytes });
    if (state.syncId !== info.syncId) {
      // First start, or a replica built from another server: its seqs mean nothing there.
      if (state.syncId !== null) this.db.transaction(() => this.db.rebaseOutbox(0));
      this.rebuildWanted = true;
    } else if (state.cursor > info.head) {
      // The server went back in time (restored from a backup): its seqs above head are new history.
      this.db.transaction(() => this.db.rebaseOutbox(info.head));
      this.rebuildWanted = true;
    } else if (info.horizon !== undefined && state.cursor < info.horizon) {
      // Away longer than the server keeps its change feed: start again from its records.
      this.behindHorizon(state.cursor, info.horizon);
    }
    this.handshakeDone = true;
    this.events.emit('online', { syncId: info.syncId, head: info.head });
    this.emitStatus();
  }

  /** The changes after our cursor were compacted away: rebuild; unsent local edits stay in the outbox. */
  private behindHorizon(cursor: number, horizon: number | null): void {
    this.rebuildWanted = true;
    syncLog.info('estação atrás do horizonte de retenção do servidor: reconstrução a partir do snapshot', { cursor, horizon });
    this.opts.log?.(`sincronização: cursor ${cursor} anterior ao horizonte de retenção do servidor${horizon === null ? '' : ` (${horizon})`}; reconstruindo a partir do snapshot`);
  }

  private async doRebuild(): Promise<void> {
    this.rebuilding = true;
    try {
      await this.snapshotIntoReplica();
    } finally {
      this.rebuilding = false;
    }
  }

  private async snapshotIntoReplica(): Promise<void> {
    let progress = this.db.state().snapshot;
    const pageSize = this.opts.snapshotPage ?? 2000;
    if (!progress || this.rebuildWanted) {
      this.rebuildWanted = false;
      this.db.transaction(() => this.db.clearStaging());
      progress = null;
    }
    this.emitStatus();
    for (;;) {
      let page: SnapshotResult;
      try {
        page = await this.conn.request(SyncMessageTypes.snapshot, { startSeq: progress?.startSeq, after: progress?.after ?? null, limit: pageSize });
      } catch (err) {
        // The feed moved past this snapshot's start while it was read (a long pause): start over.
        if (err instanceof AppError && err.code === SyncErrors.SNAPSHOT_REQUIRED) {
          this.behindHorizon(progress?.startSeq ?? 0, null);
          return;
        }
        throw err;
      }
      if (progress && page.syncId !== progress.syncId) {
        // The server changed identity mid-snapshot: start over.
        this.rebuildWanted = true;
        return;
      }
      const next = {
        syncId: page.syncId,
        startSeq: page.startSeq,
        after: page.next,
        records: (progress?.records ?? 0) + page.records.length,
      };
      this.counters.snapshotRecords += page.records.length;
      this.db.transaction(() => {
        this.db.stage(page.records);
        this.db.setState({ snapshot: next });
      });
      progress = next;
      if (page.next === null) break;
    }
    const identityChanged = this.db.state().syncId !== progress.syncId;
    this.db.transaction(() => {
      this.db.swapInStaging();
      if (identityChanged) this.db.rebaseOutbox(0);
      // Acknowledgements of the old replica refer to seqs the snapshot already holds or lost.
      this.db.dropAllAcked();
      this.db.setState({ cursor: progress.startSeq, syncId: progress.syncId, snapshot: null });
    });
    this.pullWanted = true;
    this.events.emit('rebuilt', { syncId: progress.syncId, records: progress.records, startSeq: progress.startSeq });
    this.events.emit('changes', { source: 'rebuild', records: [] });
    this.emitStatus();
  }

  /** Sends one batch of the outbox; false when there was nothing to send. */
  private async pushOnce(): Promise<boolean> {
    const state = this.db.state();
    const rows = this.db.pushable(this.opts.pushBatch ?? 500);
    if (rows.length === 0) return false;
    const budget = state.maxPushBytes;
    const mutations: WireMutation[] = [];
    let bytes = 0;
    const at = isoWithOffset(this.clock.now());
    for (const r of rows) {
      const m = toWire(r);
      const size = Buffer.byteLength(JSON.stringify(m)) + 1;
      if (size > budget && mutations.length === 0) {
        // The server would refuse the frame forever: tell the user instead of retrying.
        const kb = (n: number) => Math.ceil(n / 1024);
        this.db.transaction(() =>
          this.db.markRejected(
            r.mutation_id,
            SyncErrors.TOO_LARGE,
            `Alteração grande demais para o servidor (${kb(size)} KB; máximo ${kb(budget)} KB). Ela continua só nesta estação.`,
            at,
          ),
        );
        this.afterRejections([r.mutation_id]);
        return true;
      }
      if (bytes + size > budget) break;
      mutations.push(m);
      bytes += size;
    }
    const params: PushParams = { clientId: this.opts.clientId, mutations };
    const res = await this.conn.request<PushResult>(SyncMessageTypes.push, params);
    this.counters.pushes++;
    for (const r of res.results) {
      if (r.status === 'held') continue;
      if (r.replayed) this.counters.replayed++;
      if (r.status === 'applied') this.counters.applied++;
      else this.counters.rejected++;
    }
    const now = isoWithOffset(this.clock.now());
    const rejectedIds: string[] = [];
    const touched: RecordKey[] = [];
    this.db.transaction(() => {
      const cursor = this.db.state().cursor;
      for (const r of res.results) {
        if (r.status === 'applied') {
          if (r.seq <= cursor) this.db.dropMutation(r.mutationId);
          else this.db.markAcked(r.mutationId, r.seq, now);
        } else if (r.status === 'rejected') {
          this.db.markRejected(r.mutationId, r.code, r.message, now);
          rejectedIds.push(r.mutationId);
        }
      }
    });
    for (const m of mutations) touched.push({ collection: m.collection, id: m.id });
    syncLog.info('lote enviado ao servidor', { mutations: mutations.length, bytes, rejected: rejectedIds.length, head: res.head });
    if (rejectedIds.length > 0) this.afterRejections(rejectedIds);
    if (res.head > this.db.state().cursor) this.pullWanted = true;
    this.emitStatus();
    return true;
  }

  private afterRejections(ids: string[]): void {
    const rows = ids.map((id) => this.db.outboxRow(id)).filter((r): r is OutboxRow => r !== undefined);
    this.events.emit(
      'rejected',
      rows.map((r) => this.toRejection(r)),
    );
    this.events.emit('changes', { source: 'local', records: rows.map((r) => ({ collection: r.collection, id: r.record_id })) });
    this.emitStatus();
  }

  private async pullAll(): Promise<void> {
    const limit = this.opts.pullLimit ?? 1000;
    for (;;) {
      const state = this.db.state();
      let res: PullResult;
      try {
        res = await this.conn.request<PullResult>(SyncMessageTypes.pull, { since: state.cursor, limit });
      } catch (err) {
        if (err instanceof AppError && err.code === SyncErrors.SNAPSHOT_REQUIRED) {
          this.behindHorizon(state.cursor, null);
          return;
        }
        throw err;
      }
      this.counters.pulls++;
      this.counters.changesPulled += res.changes.length;
      if (res.syncId !== state.syncId || res.head < state.cursor) {
        this.handshakeDone = false;
        return;
      }
      const now = isoWithOffset(this.clock.now());
      this.db.transaction(() => {
        for (const c of res.changes) this.db.applyChange(c);
        this.db.settleUpTo(res.until);
        this.db.setState({ cursor: res.until, lastSyncAt: now });
      });
      if (res.changes.length > 0) {
        this.events.emit('changes', { source: 'remote', records: res.changes.map((c) => ({ collection: c.collection, id: c.id })) });
      }
      this.emitStatus();
      if (!res.more) return;
    }
  }

  private toRejection(r: OutboxRow): Rejection {
    return {
      mutationId: r.mutation_id,
      collection: r.collection,
      recordId: r.record_id,
      code: r.code ?? '',
      message: r.message ?? '',
      at: r.resolved_at ?? r.created_at,
      fields: r.fields === null ? null : (JSON.parse(r.fields) as JsonObject),
      delete: r.is_delete === 1,
      held: this.db.heldBehind(r),
    };
  }

  private emitStatus(force = false): void {
    const s = this.status();
    const key = JSON.stringify(s);
    if (!force && key === this.lastStatus) return;
    this.lastStatus = key;
    this.events.emit('status', s);
  }

  private resolveIdleWaiters(): void {
    for (const w of this.idleWaiters.splice(0)) w.ok();
  }

  private failIdleWaiters(err: unknown): void {
    for (const w of this.idleWaiters.splice(0)) w.fail(err);
  }
}

function toWire(r: OutboxRow): WireMutation {
  const m: WireMutation = { mutationId: r.mutation_id, collection: r.collection, id: r.record_id, baseSeq: r.base_seq, at: r.created_at };
  if (r.is_delete) m.delete = true;
  else m.fields = JSON.parse(r.fields!) as JsonObject;
  if (r.user) m.user = r.user;
  return m;
}

function view(collection: string, id: string, row: ReplicaRow | undefined, unsettled: OutboxRow[]): RecordView | null {
  const base = row ? parseData(row.data) : null;
  const data = unsettled.length > 0 ? overlay(base, unsettled) : base;
  if (!data) return null;
  return { collection, id, data, seq: row?.seq ?? 0, version: row?.version ?? 0, pending: unsettled.length > 0 };
}

function cleanFields(fields: JsonObject | undefined): JsonObject {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw invalidInput('Os campos alterados devem ser um objeto.', 'fields');
  const clean: JsonObject = {};
  for (const [k, v] of Object.entries(fields)) {
    if (!isFieldName(k)) throw invalidInput(`Nome de campo inválido: "${k.slice(0, 100)}".`, k);
    if (v !== undefined) clean[k] = v;
  }
  if (Object.keys(clean).length === 0) throw invalidInput('Nenhum campo para gravar.', 'fields');
  return clean;
}

function checkKey(collection: string, id: string): void {
  if (typeof collection !== 'string' || !COLLECTION_RE.test(collection)) {
    throw invalidInput(`Nome de coleção inválido: "${String(collection).slice(0, 64)}".`, 'collection');
  }
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw invalidInput(`Identificador de registro inválido (1 a ${MAX_ID_LENGTH} caracteres).`, 'id');
  }
}

function isInFilter(f: FieldFilter): f is { in: JsonValue[] } {
  return typeof f === 'object' && f !== null && !Array.isArray(f) && Array.isArray((f as { in?: unknown }).in) && Object.keys(f).length === 1;
}

function isPrimitive(v: JsonValue): v is PrimitiveFilter {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Orders JSON values: missing/null first, then numbers, strings (pt-BR collation), others. */
function compareJson(a: JsonValue | undefined, b: JsonValue | undefined): number {
  const rank = (v: JsonValue | undefined) => (v === undefined || v === null ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : 3);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return (a as number) - (b as number);
  if (ra === 2) return (a as string).localeCompare(b as string, 'pt-BR');
  return 0;
}

function offlineError(): AppError {
  return new AppError('UNAVAILABLE', 'Servidor LAN fora do ar: a sincronização será feita quando ele voltar. Suas alterações estão salvas nesta estação.');
}
