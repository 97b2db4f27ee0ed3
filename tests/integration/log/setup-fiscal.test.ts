import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { derFingerprint } from '../../../src/core/setup/icp-brasil';
import { packageDigest } from '../../../src/core/setup/schema-packages';
import { itiZip, serveFiles, testIcp } from '../../helpers/icp-fixtures';
import { runComboio, schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-setup-fiscal-');
afterAll(() => tmp.cleanup());

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

describe('comboio setup fiscal --from https://… (the CLI: real ICP-Brasil pins, no test override)', () => {
  const icp = testIcp();
  let files: Awaited<ReturnType<typeof serveFiles>>;
  afterAll(() => files?.close());

  it('downloads over HTTPS, refuses a bundle whose root is not ICP-Brasil (fingerprint shown), and installs it only when an administrator accepts that root', async () => {
    files = await serveFiles({ '/ACcompactado.zip': itiZip([icp.root, icp.inter]) });
    // The download server's CA through Node's own mechanism (not a Comboio option).
    const caFile = join(tmp.dir, 'ca-download.pem');
    writeFileSync(caFile, files.caPem);
    const env = { NODE_EXTRA_CA_CERTS: caFile };
    const url = `${files.url}/ACcompactado.zip`;
    const data = join(tmp.dir, 'url');
    const refused = await runComboio(['setup', 'fiscal', '--from', url, '--data', data], { env });
    expect(refused.code).toBe(1);
    const fp = derFingerprint(icp.der(icp.root));
    expect(refused.stderr).toContain(`--aceitar-raiz ${fp}`);
    expect(refused.stderr).toContain('[ICP_ROOT_UNKNOWN]');
    expect(existsSync(data)).toBe(false);
    const ok = await runComboio(['setup', 'fiscal', '--from', url, '--data', data, '--aceitar-raiz', fp], { env });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/ACs ICP-Brasil instaladas em .*icp-brasil\.pem: 2 \(1 raízes: AC Raiz de Teste v1\)/);
    expect(readFileSync(join(data, 'icp-brasil', 'aceitos.log'), 'utf8')).toContain(`raiz aceita pelo administrador\tAC Raiz de Teste v1\t${fp}`);
  });

  it('refuses plain http', async () => {
    const r = await runComboio(['setup', 'fiscal', '--from', 'http://127.0.0.1:9/fiscal.zip', '--data', join(tmp.dir, 'http')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Use um endereço HTTPS.*\[FISCAL_SOURCE_INVALID\]/);
  });
});
