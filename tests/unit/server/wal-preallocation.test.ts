import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { preallocateWal } from '../../../src/server/checkpointer';
import { openServerDb } from '../../../src/server/db';
import { repoRoot } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-wal-');
afterAll(() => tmp.cleanup());
const MB = 1024 * 1024;

describe('WAL preallocation (real SQLite files)', () => {
  it('grows the WAL file to the target without touching the database or its schema', () => {
    const file = join(tmp.dir, 'grow.sqlite');
    const db = openServerDb(file);
    db.pragma('wal_checkpoint(TRUNCATE)'); // the schema into the database file first
    const dbBytes = statSync(file).size;
    const tables = () => db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    const before = tables();
    const r = preallocateWal(db, file, 6 * MB);
    expect(r.after).toBeGreaterThanOrEqual(6 * MB);
    expect(statSync(`${file}-wal`).size).toBe(r.after);
    expect(tables()).toEqual(before);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'started_at'").pluck().get()).toMatch(/^\d{4}-\d\d-\d\dT/);
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(statSync(file).size).toBe(dbBytes); // nothing of the filler reached the database
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // A WAL already that big is left alone.
    expect(preallocateWal(db, file, 1 * MB).after).toBe(statSync(`${file}-wal`).size);
    db.close();
  });

  it('commits made over the filler frames survive kill -9 (recovery stops at the last commit)', () => {
    const file = join(tmp.dir, 'crash.sqlite');
    const script = join(tmp.dir, 'crash-child.mts');
    writeFileSync(
      script,
      `import { openServerDb } from ${JSON.stringify(join(repoRoot, 'src/server/db.ts'))};
import { preallocateWal } from ${JSON.stringify(join(repoRoot, 'src/server/checkpointer.ts'))};
const db = openServerDb(${JSON.stringify(file)});
preallocateWal(db, ${JSON.stringify(file)}, 4 * 1024 * 1024);
const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
for (let i = 0; i < 300; i++) db.transaction(() => put.run('k' + i, 'v'.repeat(i % 50)))();
process.stdout.write('committed\\n');
process.kill(process.pid, 'SIGKILL');
`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toContain('committed');
    expect(statSync(`${file}-wal`).size).toBeGreaterThanOrEqual(4 * MB);
    const db = openServerDb(file);
    expect(db.prepare("SELECT count(*) FROM meta WHERE key LIKE 'k%'").pluck().get()).toBe(300);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'k299'").pluck().get()).toBe('v'.repeat(299 % 50));
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'wal_preallocation'").pluck().get()).toBe(0);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
