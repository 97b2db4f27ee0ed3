import { appendFileSync, cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageDigest } from '../../../src/core/setup/schema-packages';
import { runComboio, schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-setup-fiscal-');
afterAll(() => tmp.cleanup());

// Local folders only: fetching the packages by URL (and the ICP-Brasil CA bundle) is not built yet.
describe('comboio setup fiscal --from PASTA (official schema packages pinned by SHA-256)', () => {
  it('installs the known packages when every file matches', async () => {
    const from = join(tmp.dir, 'baixados');
    cpSync(join(schemasDir, 'nfe', 'PL_010_V1.30'), join(from, 'nfe', 'PL_010_V1.30'), { recursive: true });
    const r = await runComboio(['setup', 'fiscal', '--from', from, '--data', join(tmp.dir, 'ok')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(tmp.dir, 'ok', 'schemas', 'nfe', 'PL_010_V1.30', 'leiauteNFe_v4.00.xsd'))).toBe(true);
  });

  it('refuses a package with one changed file, and installs nothing', async () => {
    const from = join(tmp.dir, 'alterado');
    cpSync(join(schemasDir, 'nfe', 'PL_010_V1.30'), join(from, 'nfe', 'PL_010_V1.30'), { recursive: true });
    appendFileSync(join(from, 'nfe', 'PL_010_V1.30', 'leiauteNFe_v4.00.xsd'), '\n<!-- alterado -->\n');
    const r = await runComboio(['setup', 'fiscal', '--from', from, '--data', join(tmp.dir, 'ruim')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/O pacote nfe\/PL_010_V1\.30 não confere.*\[SCHEMA_PACKAGE_MISMATCH\]/);
    expect(existsSync(join(tmp.dir, 'ruim', 'schemas'))).toBe(false);
  });

  it('a package this version does not know only with the digest an administrator confirms, recorded', async () => {
    const from = join(tmp.dir, 'novo');
    cpSync(join(schemasDir, 'nfe', 'PL_009_V4'), join(from, 'nfe', 'PL_011_V1.00'), { recursive: true });
    const refused = await runComboio(['setup', 'fiscal', '--from', from, '--data', join(tmp.dir, 'adm')]);
    expect(refused.code).toBe(1);
    const digest = packageDigest(join(from, 'nfe', 'PL_011_V1.00')).digest;
    expect(refused.stderr).toContain(`--aceitar nfe/PL_011_V1.00=${digest}`);
    const wrong = await runComboio(['setup', 'fiscal', '--from', from, '--data', join(tmp.dir, 'adm'), '--aceitar', `nfe/PL_011_V1.00=${'0'.repeat(64)}`]);
    expect(wrong.code).toBe(1);
    const ok = await runComboio(['setup', 'fiscal', '--from', from, '--data', join(tmp.dir, 'adm'), '--aceitar', `nfe/PL_011_V1.00=${digest}`]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('aceito pelo administrador');
    expect(readFileSync(join(tmp.dir, 'adm', 'schemas', 'aceitos.log'), 'utf8')).toContain(`nfe/PL_011_V1.00\t192 arquivos\t${digest}`);
  });
});
