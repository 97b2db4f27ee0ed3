import type Database from 'better-sqlite3';
import { isoWithOffset, type Clock } from '../../core/clock';
import type { SyncEngine } from './engine';

const DAY_MS = 86_400_000;

/**
 * How much of the past the shared-records store keeps. The records themselves are never
 * compacted (every record stays, deleted ones as tombstones); what goes is history:
 * - `changes` (the feed): a change goes once it is older than `changeDays` AND not among the
 *   last `minChanges`. A replica whose cursor is older than what is left rebuilds from a
 *   snapshot of the records (its unsent local edits are kept and sent afterwards);
 * - `mutations` (idempotency log): an applied mutation id is remembered `mutationDays`; a
 *   retry within that window gets the recorded result, after it the mutation is applied
 *   again as new (setting the same fields to the same values is a no-op; values written
 *   since by others are kept in history);
 * - `history` (values that lost a conflict, deleted records' last values): `historyDays`.
 */
export interface RetentionOptions {
  changeDays: number;
  minChanges: number;
  mutationDays: number;
  historyDays: number;
  /** Between two compaction runs (the first runs shortly after start). */
  intervalMs: number;
  /** Rows removed per transaction: short transactions keep the writers (pushes) flowing. */
  batchRows: number;
}

/**
 * Each change row holds the whole record (a document with its signed XML is ~13 KB): at
 * 2,000 NF-e a day and ~3 changes each, a week of feed is ~550 MB. A station away longer
 * than a week rebuilds from a snapshot, which costs it a download, nothing else.
 */
export const DEFAULT_RETENTION: RetentionOptions = {
  changeDays: 7,
  minChanges: 1_000,
  mutationDays: 7,
  historyDays: 365,
  intervalMs: 10 * 60_000,
  batchRows: 500,
};

export interface CompactionReport {
  changes: number;
  mutations: number;
  history: number;
  /** Feed horizon after the run: changes up to it are gone. */
  horizon: number;
  batches: number;
  /** Longest single transaction of the run. */
  maxBatchMs: number;
  ms: number;
}

const nextTurn = () => new Promise<void>((ok) => setImmediate(ok));

/**
 * Removes what retention no longer keeps, in small transactions with a turn of the event
 * loop between them (pushes, pulls and the numbering handlers of the same process run in
 * between). Runs periodically in the LAN server; `run()` is also what tests call.
 */
export class SyncCompactor {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<CompactionReport> | null = null;
  private closed = false;
  private readonly st;

  constructor(
    private readonly db: Database.Database,
    private readonly engine: SyncEngine,
    private readonly clock: Clock,
    readonly retention: RetentionOptions,
    private readonly log: (line: string) => void,
  ) {
    this.st = {
      oldestChanges: db.prepare<[number, number], { seq: number; at: string }>('SELECT seq, at FROM changes WHERE seq <= ? ORDER BY seq LIMIT ?'),
      dropChanges: db.prepare('DELETE FROM changes WHERE seq <= ?'),
      setHorizon: db.prepare("INSERT INTO sync_meta (key, value) VALUES ('horizon', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
      dropMutations: db.prepare('DELETE FROM mutations WHERE mutation_id IN (SELECT mutation_id FROM mutations WHERE at < ? ORDER BY at LIMIT ?)'),
      oldestHistory: db.prepare<[number], { hid: number; replaced_at: string | null }>('SELECT hid, replaced_at FROM history ORDER BY hid LIMIT ?'),
      dropHistory: db.prepare('DELETE FROM history WHERE hid <= ?'),
    };
  }

  start(): void {
    const schedule = (ms: number) => {
      if (this.closed) return;
      this.timer = setTimeout(() => {
        this.run()
          .catch((err: unknown) => this.log(`compactação do histórico de sincronização falhou: ${(err as Error)?.stack ?? String(err)}`))
          .finally(() => schedule(this.retention.intervalMs));
      }, ms);
      this.timer.unref?.();
    };
    schedule(Math.min(this.retention.intervalMs, 30_000));
  }

  /** Stops the timer; a run in progress does no further batch (each one checks before it starts). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One compaction pass (joins the one in progress, if any). */
  run(): Promise<CompactionReport> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async pass(): Promise<CompactionReport> {
    const t0 = performance.now();
    const now = this.clock.now().getTime();
    const r = this.retention;
    const cutoff = (days: number) => isoWithOffset(new Date(now - days * DAY_MS));
    const report: CompactionReport = { changes: 0, mutations: 0, history: 0, horizon: this.engine.horizon(), batches: 0, maxBatchMs: 0, ms: 0 };
    const batch = (fn: () => number): number => {
      const b0 = performance.now();
      const n = this.db.transaction(fn).immediate();
      report.batches++;
      report.maxBatchMs = Math.max(report.maxBatchMs, performance.now() - b0);
      return n;
    };

    // The feed: oldest first, never past the last `minChanges` nor a snapshot being read.
    const changesBefore = cutoff(r.changeDays);
    let limitSeq = this.engine.head() - r.minChanges;
    const lease = this.engine.oldestSnapshotLease();
    if (lease !== null) limitSeq = Math.min(limitSeq, lease);
    while (!this.closed) {
      let cut = 0;
      const n = batch(() => {
        for (const row of this.st.oldestChanges.all(limitSeq, r.batchRows)) {
          if (row.at >= changesBefore) break;
          cut = row.seq;
        }
        if (cut === 0) return 0;
        const removed = this.st.dropChanges.run(cut).changes;
        this.st.setHorizon.run(String(cut));
        return removed;
      });
      if (n === 0) break;
      this.engine.advanceHorizon(cut);
      report.changes += n;
      report.horizon = cut;
      await nextTurn();
    }

    const mutationsBefore = cutoff(r.mutationDays);
    while (!this.closed) {
      const n = batch(() => this.st.dropMutations.run(mutationsBefore, r.batchRows).changes);
      report.mutations += n;
      if (n < r.batchRows) break;
      await nextTurn();
    }

    // History rows are appended in seq order: the oldest are at the start.
    const historyBefore = cutoff(r.historyDays);
    while (!this.closed) {
      const n = batch(() => {
        let cut = 0;
        for (const row of this.st.oldestHistory.all(r.batchRows)) {
          if (row.replaced_at !== null && row.replaced_at >= historyBefore) break;
          cut = row.hid;
        }
        return cut === 0 ? 0 : this.st.dropHistory.run(cut).changes;
      });
      if (n === 0) break;
      report.history += n;
      await nextTurn();
    }

    report.ms = performance.now() - t0;
    if (report.changes + report.mutations + report.history > 0) {
      this.log(
        `compactação da sincronização: ${report.changes} alterações, ${report.mutations} mutações e ${report.history} entradas de histórico removidas ` +
          `em ${report.batches} lotes (maior ${report.maxBatchMs.toFixed(1)} ms, total ${report.ms.toFixed(0)} ms); horizonte seq ${report.horizon}`,
      );
    }
    return report;
  }
}
