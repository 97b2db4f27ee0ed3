import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Pages the writer may let the WAL reach before checkpointing itself (only if the worker stalls). */
export const WRITER_AUTOCHECKPOINT_PAGES = 20_000;

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.modulePath);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = FULL');
const timer = setInterval(() => {
  let size = 0;
  try { size = statSync(workerData.file + '-wal').size; } catch {}
  if (size < workerData.thresholdBytes) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage(String(err && err.message || err)); }
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
 * the pass, so the WAL keeps growing until the writer's own autocheckpoint
 * (WRITER_AUTOCHECKPOINT_PAGES, ~80 MB) and is reused from there — measured: rewinding
 * it earlier from the writer gave no throughput and stalled the event loop for 1.5–4 ms.
 */
export function startCheckpointer(file: string, log: (line: string) => void = () => undefined, opts: { intervalMs?: number; thresholdBytes?: number } = {}): { stop(): Promise<void> } {
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  // Same trigger as SQLite's default (about 1000 pages), just not on the writer's thread.
  const workerData = { file, modulePath, intervalMs: opts.intervalMs ?? 200, thresholdBytes: opts.thresholdBytes ?? 4 * 1024 * 1024 };
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
