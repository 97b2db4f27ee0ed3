import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tmp';
import { enroll, freePort, startServer, startWorker, type ServerProc } from './server-proc';

const COUNT = Number(process.env.COMBOIO_SYNC_CRASH_COUNT ?? 400);
const SERVER_KILLS = Number(process.env.COMBOIO_SYNC_SERVER_KILLS ?? 4);
const tmp = tempDir('comboio-sync-crash-');
let server: ServerProc | null = null;

afterAll(async () => {
  await server?.proc.kill('SIGKILL');
  tmp.cleanup();
});

const t0 = Date.now();
const log = (m: string) => process.env.COMBOIO_SYNC_DEBUG && console.log(`${Date.now() - t0} ms ${m}`);
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

describe('sync survives kill -9 of workstations and of the server', () => {
  it('every mutation is applied exactly once and every replica converges', async () => {
    const dataDir = join(tmp.dir, 'servidor');
    const port = await freePort();
    server = await startServer(dataDir, port);
    const names = ['w1', 'w2'];
    const stations = new Map<string, string>();
    for (const n of names) stations.set(n, JSON.stringify(await enroll(server, n)));
    const common = (n: string) => ({ store: join(tmp.dir, `${n}.db`), url: server!.url, station: stations.get(n)!, name: n, batch: '25', count: String(COUNT) });

    // Workstations write everything locally, start pushing, and are killed mid-push.
    const pushesPerWorker = Math.ceil(COUNT / 25);
    const writers = names.map((n, i) =>
      startWorker({ ...common(n), mode: 'write', 'die-at-push': String(Math.max(1, Math.floor(pushesPerWorker * (0.3 + 0.4 * i)))), 'die-delay-ms': String(i * 3) }),
    );
    for (const w of writers) {
      await w.exited;
      expect(w.child.signalCode).toBe('SIGKILL');
      expect(w.output()).toMatch(new RegExp(`written ${COUNT}`));
      expect(w.output()).not.toMatch(/synced/);
      log(`killed at ${[...w.output().matchAll(/pending (\d+)/g)].pop()?.[1]}`);
    }

    // Restarted workstations drain their outboxes while the server is killed under them.
    const syncers = names.map((n) => startWorker({ ...common(n), mode: 'sync' }));
    let kills = 0;
    for (let k = 0; k < SERVER_KILLS; k++) {
      // Kill while pushes are being applied: right after a workstation reports progress.
      const seen = syncers.map((w) => w.output().length);
      for (let i = 0; i < 2000 && syncers.every((w, j) => !/pending \d+ online true/.test(w.output().slice(seen[j]))); i++) await sleep(5);
      await sleep(Math.floor(Math.random() * 30));
      await server.proc.kill('SIGKILL');
      kills++;
      server = await startServer(dataDir, port);
      log(`server restarted ${kills}`);
    }
    let replayed = 0;
    for (const w of syncers) replayed += Number((await w.waitFor(/synced replayed (\d+)/, 120_000))[1]);
    // Replies lost to a kill and answered again from the idempotency table (varies per run).
    log(`synced; ${replayed} mutations had committed before their reply was lost`);
    expect(kills).toBe(SERVER_KILLS);

    const db = new Database(join(dataDir, 'sync.sqlite'), { readonly: true });
    try {
      const duplicated = db.prepare('SELECT mutation_id, count(*) AS n FROM changes WHERE mutation_id IS NOT NULL GROUP BY mutation_id HAVING n > 1').all();
      expect(duplicated).toEqual([]);
      for (const n of names) {
        const applied = db.prepare("SELECT count(*) FROM changes WHERE client_id = ? AND collection = 'orders'").pluck().get(`client-${n}`);
        expect(applied).toBe(COUNT);
        const records = db.prepare("SELECT count(*) FROM records WHERE collection = 'orders' AND id LIKE ? AND deleted = 0").pluck().get(`${n}-%`);
        expect(records).toBe(COUNT);
      }
    } finally {
      db.close();
    }

    // Every replica holds the same records as the server.
    const digests = [];
    for (const n of names) {
      const w = startWorker({ ...common(n), mode: 'digest' });
      const [, count, hash] = await w.waitFor(/digest (\d+) (\w+)/);
      digests.push({ count: Number(count), hash });
      await w.exited;
    }
    expect(digests[0]!.count).toBe(COUNT * names.length);
    expect(digests[1]).toEqual(digests[0]);
  });
});
