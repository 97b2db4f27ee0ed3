import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore } from '../../../src/core/store/open';
import { repoRoot } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A migrations folder in drizzle's format: v1 creates parent/child, v2 rebuilds parent. */
function writeRebuildMigrations(dir: string): void {
  mkdirSync(join(dir, 'meta'), { recursive: true });
  writeFileSync(
    join(dir, '0000_base.sql'),
    'CREATE TABLE parent (id integer PRIMARY KEY, name text);\n--> statement-breakpoint\n' +
      'CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent(id) ON DELETE CASCADE);\n--> statement-breakpoint\n' +
      "INSERT INTO parent VALUES (1, 'a');\n--> statement-breakpoint\nINSERT INTO child VALUES (10, 1), (11, 1);",
  );
  // The shape drizzle-kit emits for SQLite column changes: new table, copy, drop, rename.
  writeFileSync(
    join(dir, '0001_rebuild.sql'),
    'CREATE TABLE __new_parent (id integer PRIMARY KEY, name text NOT NULL DEFAULT \'\');\n--> statement-breakpoint\n' +
      'INSERT INTO __new_parent SELECT id, coalesce(name, \'\') FROM parent;\n--> statement-breakpoint\n' +
      'DROP TABLE parent;\n--> statement-breakpoint\nALTER TABLE __new_parent RENAME TO parent;',
  );
  writeFileSync(
    join(dir, 'meta', '_journal.json'),
    JSON.stringify({
      version: '7',
      dialect: 'sqlite',
      entries: [
        { idx: 0, version: '6', when: 1700000000000, tag: '0000_base', breakpoints: true },
        { idx: 1, version: '6', when: 1700000000001, tag: '0001_rebuild', breakpoints: true },
      ],
    }),
  );
}

describe('workstation store', () => {
  it('opens in WAL with synchronous=FULL and applies the project migrations', () => {
    const store = openStore(join(tmp.dir, 'a', 'comboio.db'));
    const { applied } = migrateStore(store, join(repoRoot, 'drizzle'));
    expect(applied).toBeGreaterThan(0);
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(migrateStore(store, join(repoRoot, 'drizzle')).applied).toBe(0);
    store.close();
  });

  it('keeps child rows through a table-rebuild migration (foreign keys off around migrate)', () => {
    const dir = join(tmp.dir, 'rebuild-migrations');
    writeRebuildMigrations(dir);
    const store = openStore(join(tmp.dir, 'b', 'comboio.db'));
    migrateStore(store, dir);
    expect(store.sqlite.prepare('select count(*) as n from child').get()).toEqual({ n: 2 });
    expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    store.close();
  });

  it('the hazard is real: the same rebuild with foreign keys on deletes the children', () => {
    const dir = join(tmp.dir, 'rebuild-migrations-2');
    writeRebuildMigrations(dir);
    const db = new Database(join(tmp.dir, 'c.db'));
    db.pragma('foreign_keys = ON');
    for (const tag of ['0000_base', '0001_rebuild']) {
      const sql = readFileSync(join(dir, `${tag}.sql`), 'utf8');
      for (const stmt of sql.split('--> statement-breakpoint')) db.exec(stmt);
    }
    expect(db.prepare('select count(*) as n from child').get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a store whose references dangle after migrating', () => {
    const dir = join(tmp.dir, 'dangling');
    mkdirSync(join(dir, 'meta'), { recursive: true });
    writeFileSync(
      join(dir, '0000_x.sql'),
      'CREATE TABLE p (id integer PRIMARY KEY);\n--> statement-breakpoint\nCREATE TABLE c (id integer PRIMARY KEY, p_id integer REFERENCES p(id));\n--> statement-breakpoint\nINSERT INTO c VALUES (1, 99);',
    );
    writeFileSync(
      join(dir, 'meta', '_journal.json'),
      JSON.stringify({ version: '7', dialect: 'sqlite', entries: [{ idx: 0, version: '6', when: 1, tag: '0000_x', breakpoints: true }] }),
    );
    const store = openStore(join(tmp.dir, 'd', 'comboio.db'));
    expect(() => migrateStore(store, dir)).toThrow(/referência/);
    store.close();
  });
});
