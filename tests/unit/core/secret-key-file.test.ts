import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileKeySecretBox } from '../../../src/core/workstation/secrets';
import { tempDir } from '../../helpers/tmp';

describe('A1 seal key file (browser host / CLI)', () => {
  it.skipIf(process.platform === 'win32')('is created owner-only, and closed again when found readable by others', () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'dados', 'chave-local.bin');
      const box = fileKeySecretBox(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const sealed = box.seal(Buffer.from('pfx'));
      chmodSync(file, 0o644);
      const again = fileKeySecretBox(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(again.open(sealed).toString()).toBe('pfx');
    } finally {
      tmp.cleanup();
    }
  });
});
