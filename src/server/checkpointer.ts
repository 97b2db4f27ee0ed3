import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Pages the writer may let the WAL reach before checkpointing itself (only if the worker stalls). */
export const WRITER_AUTOCHECKPOINT_PAGES = 20_000;

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = FULL');
// Every tick: the WAL file's size says nothing once it is preallocated, and a PASSIVE pass
// with no new frames returns at once without touching the disk.
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) { parentPort.postMessage(String(err && err.message || err)); }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} db.close(); parentPort.close(); }
});
`;

/**
 * Moves WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the
 * COMMIT that crosses the threshold, copying pages and fsyncing the database file while
 * every connected workstation waits; here a worker thread with its own connection does it
 * in the background (PASSIVE never blocks the writer). SQLite rewinds the WAL only when a
 * write begins with every frame copied; under steady load new frames always land after
 * the pass, so frames accumulate up to the writer's own autocheckpoint
 * (WRITER_AUTOCHECKPOINT_PAGES, ~80 MB — the size preallocateWal gives the file) and the
 * WAL is reused from its start — measured: rewinding it earlier from the writer gave no
 * throughput and stalled the event loop for 1.5–4 ms.
 */
export function startCheckpointer(file: string, log: (line: string) => void = () => undefined, opts: { intervalMs?: number } = {}): { stop(): Promise<void> } {
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const workerData = { file, modulePath, intervalMs: opts.intervalMs ?? 200 };
  const worker = new Worker(WORKER_CODE, { eval: true, workerData });
  worker.unref();
  worker.on('message', (m) => log(`checkpoint: ${String(m)}`));
  worker.on('error', (err) => log(`checkpoint: ${err.message}`));
  return {
    stop: () =>
      new Promise<void>((ok) => {
        worker.once('exit', () => ok());
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate(), 2000).unref();
      }),
  };
}

/** Bytes the WAL reaches under steady load: the writer's autocheckpoint, in frames (page + 24-byte header). */
export function walHighWaterBytes(pageSize: number): number {
  return 32 + WRITER_AUTOCHECKPOINT_PAGES * (pageSize + 24);
}

/**
 * Grows the WAL file to `bytes` before any client connects, the way PostgreSQL creates its
 * WAL segments ahead of use. An fsync after an append must also commit the file's new size
 * and blocks to the filesystem journal; after an overwrite it flushes data only — on the
 * reference VM 0.31 vs 0.15 ms for 4 KB, the floor of every durable allocation. Without
 * this, each fresh start would pay the append price until the WAL first wraps (~80 MB).
 *
 * How, without writing anything SQLite does not own: a transaction inserts zero blobs with
 * a tiny page cache, so SQLite spills the pages into the WAL as uncommitted frames, and is
 * rolled back. The frames stay in the file but carry no commit mark, so recovery ignores
 * them and the next commits overwrite them (SQLite does the same whenever a large
 * transaction spills and rolls back). A small committed write then has SQLite fsync the
 * whole file once. Nothing reaches the database file.
 */
export function preallocateWal(db: Database.Database, file: string, bytes: number): { before: number; after: number; ms: number } {
  const t0 = performance.now();
  const walSize = () => {
    try {
      return statSync(`${file}-wal`).size;
    } catch {
      return 0;
    }
  };
  const before = walSize();
  if (before < bytes) {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const cacheSize = db.pragma('cache_size', { simple: true }) as number;
    const blob = 256 * pageSize; // ~1 MB per row: no huge allocation
    const rows = Math.ceil((bytes - before) / blob) + 1;
    db.pragma('cache_size = 32');
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec('CREATE TABLE wal_preallocation (b BLOB)');
      const insert = db.prepare('INSERT INTO wal_preallocation (b) VALUES (zeroblob(?))');
      for (let i = 0; i < rows && walSize() < bytes; i++) insert.run(blob);
    } finally {
      db.exec('ROLLBACK');
      db.pragma(`cache_size = ${cacheSize}`);
    }
  }
  db.prepare("INSERT INTO meta (key, value) VALUES ('started_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(new Date().toISOString());
  return { before, after: walSize(), ms: Math.round(performance.now() - t0) };
}
