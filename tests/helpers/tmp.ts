import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp folder, removed after the test file unless COMBOIO_KEEP_TMP is set. */
export function tempDir(prefix = 'comboio-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    cleanup: () => {
      if (!process.env.COMBOIO_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
    },
  };
}
