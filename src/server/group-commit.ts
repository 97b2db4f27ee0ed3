import type Database from 'better-sqlite3';

interface Pending {
  op: () => unknown;
  ok: (value: unknown) => void;
  fail: (err: unknown) => void;
}

/**
 * Group commit: every write submitted during one event-loop turn runs in a single
 * transaction, and all of them are answered after its COMMIT — one fsync for the batch
 * instead of one per request. Each op runs in its own savepoint, so a refused request
 * (series blocked, stale lock token…) rolls back alone and the others still commit.
 *
 * better-sqlite3 is synchronous: while a COMMIT waits on the disk, new frames queue in
 * the sockets and form the next batch, which is exactly what makes batches grow under load.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private scheduled = false;
  private closed = false;
  batches = 0;
  ops = 0;

  private readonly stmt: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', Database.Statement>;

  constructor(private readonly db: Database.Database) {
    // Prepared once: these run twice per request on the hot path.
    this.stmt = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT op'),
      release: db.prepare('RELEASE op'),
      rollbackTo: db.prepare('ROLLBACK TO op'),
    };
  }

  /** Runs `op` inside the next batch transaction; resolves after the batch is durable. */
  submit<T>(op: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('group committer closed'));
    return new Promise<T>((ok, fail) => {
      this.queue.push({ op, ok: ok as (v: unknown) => void, fail });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const results: { ok: boolean; value: unknown }[] = [];
    try {
      this.stmt.begin.run();
    } catch (err) {
      for (const p of batch) p.fail(err);
      return;
    }
    for (const p of batch) {
      this.stmt.savepoint.run();
      try {
        const value = p.op();
        this.stmt.release.run();
        results.push({ ok: true, value });
      } catch (err) {
        this.stmt.rollbackTo.run();
        this.stmt.release.run();
        results.push({ ok: false, value: err });
      }
    }
    try {
      this.stmt.commit.run();
    } catch (err) {
      try {
        this.stmt.rollback.run();
      } catch {
        // COMMIT failing usually rolled back already.
      }
      for (const p of batch) p.fail(err);
      return;
    }
    this.batches++;
    this.ops += batch.length;
    batch.forEach((p, i) => {
      const r = results[i]!;
      if (r.ok) p.ok(r.value);
      else p.fail(r.value);
    });
  }

  /** Commits what is queued, then refuses new work. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
