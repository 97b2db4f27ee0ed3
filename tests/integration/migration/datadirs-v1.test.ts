import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiView, FIXTURE_FILES, manifestOf, usersView, type ApiView, type DbManifest } from '../../fixtures/datadirs-v1/manifest';
import { login, waitUntil, type Client } from '../../helpers/office';
import { repoRoot, spawnComboio, type Proc } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

// Data folders made by an earlier version's processes (tests/fixtures/datadirs-v1, see its
// README): today's LAN server and station start on a copy, and every record is still there,
// byte for byte where it is fiscal (signed XML), and the station's pending edits reach the server.
const tmp = tempDir('comboio-datadirs-v1-');
const dir = (p: string) => join(tmp.dir, p);
let fixture: DbManifest & { api: ApiView; users: Record<string, unknown>; lanPort: number };
let server: Proc;
let station: Proc;
let fat: Client;
let admin: Client;

/** On the port the station was enrolled with (a station enrolls per server address). */
async function startServer(): Promise<number> {
  // The fixture ages while it sits in the repository: a retention wider than its age keeps
  // the comparison exact (mutations and history of v1 would otherwise be compacted by date).
  const keepAll = ['--retention-days', '3650', '--retention-history-days', '36500'];
  server = spawnComboio(['server', '--data', dir('server'), '--port', String(fixture.lanPort), '--host', '127.0.0.1', '--demo', '--sefaz-ca', dir('sim/ca.pem'), '--lock-grace', '2', ...keepAll]);
  const [, port] = (await server.waitFor(/Servidor LAN ouvindo em wss:\/\/[^:]+:(\d+)/, 60_000)) as unknown as [string, string];
  return Number(port);
}

async function startStation(port: number): Promise<string> {
  // Enrolled already (its credential and the server's pinned certificate are in the fixture): no code.
  station = spawnComboio(['web', '--port', '0', '--data', dir('station'), '--workstation', 'estacao-a', '--lan', `127.0.0.1:${port}`], {
    env: { COMBOIO_LAN_CODE: '' },
  });
  const [, url] = (await station.waitFor(/Comboio aberto em (http:\/\/\S+)/, 60_000)) as unknown as [string, string];
  return url;
}

beforeAll(async () => {
  const tarball = join(repoRoot, 'tests', 'fixtures', 'datadirs-v1', FIXTURE_FILES.tarball);
  execFileSync('tar', ['-xzf', tarball, '-C', tmp.dir]);
  // An untouched copy: which columns each v1 table had.
  mkdirSync(dir('v1'));
  execFileSync('tar', ['-xzf', tarball, '-C', dir('v1'), './server/servidor.sqlite', './station/comboio.db']);
  fixture = JSON.parse(readFileSync(dir('manifest.json'), 'utf8')) as typeof fixture;
  const port = await startServer();
  const url = await startStation(port);
  fat = await login(url, 'faturista', 'fatura123');
  admin = await login(url, 'admin', 'admin123');
}, 180_000);

afterAll(async () => {
  await station?.kill();
  await server?.kill();
  tmp.cleanup();
});

describe('data folders of v1 (fixture) under today’s server and station', () => {
  it('the fixture is what its README says: records of every kind, signed XML, history and pending edits', () => {
    const kinds = new Set(Object.keys(fixture.serverRecords).map((k) => k.split('/')[0]));
    for (const k of ['customers', 'products', 'naturezas', 'orders', 'documents', 'users', 'establishment']) expect(kinds).toContain(k);
    expect(Object.keys(fixture.stationFiles).filter((f) => f.endsWith('-procNFe.xml')).length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(fixture.stationFiles).some((f) => f.endsWith('-procCTe.xml'))).toBe(true);
    expect(Object.keys(fixture.stationFiles).some((f) => f.includes('-110111-'))).toBe(true);
    expect(fixture.history).toBeGreaterThan(0);
    expect(fixture.pendingOutbox.length).toBeGreaterThanOrEqual(3);
    expect(fixture.serverTables.numbers!.length).toBe(6);
  });

  it('the station pushes the edits it kept offline and answers for every record as before', async () => {
    await waitUntil(async () => {
      const s = await fat.call<{ sync?: { pending: number; online: boolean; rejected: number } }>('app.status');
      return s.sync?.online === true && s.sync.pending === 0;
    }, 60_000, 300);
    expect((await fat.call<{ sync: { rejected: number } }>('app.status')).sync.rejected).toBe(0);
    const ids = (c: string) => Object.keys(fixture.api[c as 'customers']);
    const now = await apiView(fat, { customers: ids('customers'), orders: ids('orders'), documents: ids('documents') });
    // Every v1 field of every answer, same value (later versions may add fields).
    expect(now).toMatchObject(fixture.api);
    expect(Object.keys(now.documents).sort()).toEqual(Object.keys(fixture.api.documents).sort());
    expect(await usersView(admin)).toMatchObject(fixture.users);
  });

  it('after a clean stop, every stored row of v1 is still there (records, fiscal numbers, users, audit, files)', async () => {
    await station.kill();
    await server.kill();
    const m = manifestOf(dir('server'), dir('station'), { serverDir: dir('v1/server'), stationDir: dir('v1/station') });
    // The server's records are v1's with the station's pending edits applied, nothing else.
    expect(m.serverRecords).toEqual(fixture.serverRecordsAfterPush);
    expect(m.changes).toBe(fixture.changes + fixture.pendingOutbox.length);
    expect(m.mutations).toBe(fixture.mutations + fixture.pendingOutbox.length);
    expect(m.history).toBe(fixture.history);
    for (const [table, rows] of Object.entries(fixture.serverTables)) {
      const now = new Set(m.serverTables[table]);
      expect(rows.filter((h) => !now.has(h)), `servidor.sqlite ${table}`).toEqual([]);
    }
    // The replica holds exactly the server's live records; the outbox is empty.
    const live = Object.fromEntries(Object.entries(fixture.serverRecordsAfterPush).filter(([, r]) => !r.deleted).map(([k, r]) => [k, { ...r, deleted: false }]));
    expect(m.stationRecords).toEqual(live);
    expect(m.pendingOutbox).toEqual([]);
    for (const [table, rows] of Object.entries(fixture.stationTables)) {
      const now = new Set(m.stationTables[table]);
      expect(rows.filter((h) => !now.has(h)), `comboio.db ${table}`).toEqual([]);
    }
    expect(m.stationFiles).toEqual(fixture.stationFiles);
  });

  it('the sync store migrated to compaction (schema 2): history rows carry their authors, nothing compacted yet', () => {
    const db = new Database(dir('server/sync.sqlite'), { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(2);
      const rows = db.prepare('SELECT written_user, written_workstation, replaced_user, replaced_workstation, replaced_at FROM history').all() as Record<string, string | null>[];
      expect(rows).toHaveLength(fixture.history);
      for (const r of rows) for (const v of Object.values(r)) expect(v).not.toBeNull();
      // Retention wider than the fixture's age: nothing of v1 was compacted.
      expect(db.prepare("SELECT value FROM sync_meta WHERE key = 'horizon'").pluck().get()).toBeUndefined();
    } finally {
      db.close();
    }
  });
});
