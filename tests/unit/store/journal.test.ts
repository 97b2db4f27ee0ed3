import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/core/store/migrate';
import { repoRoot } from '../../helpers/proc';

// drizzle's migrator applies only entries whose `when` is newer than the last applied one:
// a migration generated on a machine with a skewed clock would be skipped silently.
describe('drizzle journal', () => {
  const dir = join(repoRoot, 'drizzle');
  const journal = readJournal(dir);

  it('has strictly increasing `when` values', () => {
    for (let i = 1; i < journal.entries.length; i++) {
      expect(journal.entries[i]!.when, `entry ${journal.entries[i]!.tag}`).toBeGreaterThan(journal.entries[i - 1]!.when);
    }
  });

  it('has consecutive idx and a .sql file per entry', () => {
    journal.entries.forEach((e, i) => {
      expect(e.idx).toBe(i);
      expect(existsSync(join(dir, `${e.tag}.sql`)), e.tag).toBe(true);
    });
  });
});
