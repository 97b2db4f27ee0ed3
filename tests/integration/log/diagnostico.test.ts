import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_CERT_PASSWORD } from '../../../src/web-host/embedded';
import { repoRoot, runComboio, spawnComboio } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-diag-');
afterAll(() => tmp.cleanup());

describe('comboio diagnostico (real station data folder, app running)', () => {
  it('zips logs, versions, settings without secrets and queue states', async () => {
    const dataDir = join(tmp.dir, 'estacao');
    const web = spawnComboio(['web', '--data', dataDir, '--port', '0']);
    try {
      await web.waitFor(/Comboio aberto em/, 90_000);
      const out = join(tmp.dir, 'diag.zip');
      // While the station runs: the export reads the database beside it.
      const r = await runComboio(['diagnostico', '--out', out, '--data', dataDir]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const files = unzipSync(readFileSync(out));
      const names = Object.keys(files);
      expect(names).toEqual(expect.arrayContaining(['versoes.json', 'estacao.json']));
      expect(names.some((n) => /^logs\/estacao\.\d{4}-\d{2}-\d{2}\.\d+\.log$/.test(n))).toBe(true);

      const versions = JSON.parse(strFromU8(files['versoes.json']!)) as { comboio: string; versoes: { node: string } };
      expect(versions.comboio).toBe((JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
      expect(versions.versoes.node).toBe(process.versions.node);

      const station = JSON.parse(strFromU8(files['estacao.json']!)) as {
        configuracoes: Record<string, Record<string, unknown>>;
        sefaz: { porEstado: unknown[] };
        impressao: { porEstado: unknown[] };
        sincronizacao: { porEstado: unknown[] };
      };
      expect(station.configuracoes['lan.config']).toMatchObject({ host: '127.0.0.1' });
      expect(station.configuracoes['lan.station']).toMatchObject({ secret: '[oculto]' });
      expect(Array.isArray(station.sefaz.porEstado) && Array.isArray(station.impressao.porEstado) && Array.isArray(station.sincronizacao.porEstado)).toBe(true);

      const everything = names.map((n) => strFromU8(files[n]!)).join('\n');
      // No station credential (sealed or not) and no user session token.
      expect(everything).not.toMatch(/\b(st|us)_[A-Za-z0-9_-]{43}\b/);
      expect(everything).not.toContain(DEMO_CERT_PASSWORD);
      expect(everything).not.toContain('PRIVATE KEY');
    } finally {
      await web.kill();
    }
  });

  it('refuses an output that is not a .zip, in Portuguese', async () => {
    const r = await runComboio(['diagnostico', '--out', join(tmp.dir, 'x.txt'), '--data', tmp.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('deve terminar em .zip');
  });
});
