import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadA1, makeTestCa, makeTestCertificate } from '../../../src/core/fiscal/certificate';
import { AppError } from '../../../src/core/errors';
import { tempDir } from '../../helpers/tmp';

const CNPJ = '11222333000181';
const DAY = 86_400_000;
const now = new Date('2026-11-20T12:00:00-03:00');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).code;
  }
  return undefined;
}

describe('A1 certificate', () => {
  const tmp = tempDir('comboio-cert-');
  afterAll(() => tmp.cleanup());
  const valid = makeTestCertificate({ cnpj: CNPJ, password: 's3nha', notBefore: new Date(now.getTime() - 10 * DAY), notAfter: new Date(now.getTime() + 300 * DAY) });

  it('opens a PKCS#12 and reads the CNPJ from the ICP-Brasil otherName', () => {
    const a1 = loadA1(valid.pfx, 's3nha', { now, expectedCnpj: '11.222.333/0001-81' });
    expect(a1.cnpj).toBe(CNPJ);
    expect(a1.subject).toContain(`CN=EMPRESA DE TESTE LTDA:${CNPJ}`);
    expect(a1.keyPem).toContain('PRIVATE KEY');
    expect(a1.certPem).toBe(valid.certPem);
    expect(a1.warnings).toEqual([]);
    // The SAN really carries 2.16.76.1.3.3, as an independent parser sees it.
    const pem = join(tmp.dir, 'c.pem');
    writeFileSync(pem, a1.certPem);
    const text = execFileSync('openssl', ['x509', '-in', pem, '-noout', '-ext', 'subjectAltName']).toString();
    expect(text).toMatch(/othername: *2\.16\.76\.1\.3\.3/i);
  });

  it('accepts a branch of the same CNPJ base (SEFAZ compares the base, rejection 213)', () => {
    expect(loadA1(valid.pfx, 's3nha', { now, expectedCnpj: '11222333000262' }).cnpj).toBe(CNPJ);
  });

  it('rejects wrong password, another CNPJ, expired and not yet valid certificates', () => {
    expect(codeOf(() => loadA1(valid.pfx, 'errada', { now }))).toBe('CERT_WRONG_PASSWORD');
    expect(codeOf(() => loadA1(valid.pfx, 's3nha', { now, expectedCnpj: '99888777000100' }))).toBe('CERT_CNPJ_MISMATCH');
    expect(codeOf(() => loadA1(valid.pfx, 's3nha', { now: new Date(now.getTime() + 400 * DAY) }))).toBe('CERT_EXPIRED');
    expect(codeOf(() => loadA1(valid.pfx, 's3nha', { now: new Date(now.getTime() - 20 * DAY) }))).toBe('CERT_NOT_YET_VALID');
    expect(codeOf(() => loadA1(Buffer.from('not a pfx'), 'x', { now }))).toBe('CERT_INVALID');
  });

  it('gives pt-BR messages', () => {
    try {
      loadA1(valid.pfx, 's3nha', { now: new Date(now.getTime() + 400 * DAY) });
    } catch (err) {
      expect((err as Error).message).toMatch(/^Certificado vencido em \d\d\/\d\d\/\d{4}/);
    }
  });

  it('warns 30 days before expiry', () => {
    const a1 = loadA1(valid.pfx, 's3nha', { now: new Date(now.getTime() + 280 * DAY) });
    expect(a1.warnings).toHaveLength(1);
    expect(a1.warnings[0]!.daysLeft).toBe(20);
    expect(a1.warnings[0]!.message).toContain('vence em 20 dia(s)');
  });

  it('opens legacy RC2-40 files (as written by old tools) that Node cannot', () => {
    const dir = tmp.dir;
    writeFileSync(join(dir, 'k.pem'), valid.keyPem);
    writeFileSync(join(dir, 'c.pem'), valid.certPem);
    const out = join(dir, 'legacy.pfx');
    execFileSync('openssl', ['pkcs12', '-export', '-legacy', '-certpbe', 'PBE-SHA1-RC2-40', '-keypbe', 'PBE-SHA1-3DES', '-inkey', join(dir, 'k.pem'), '-in', join(dir, 'c.pem'), '-out', out, '-passout', 'pass:velha']);
    const info = spawnSync('openssl', ['pkcs12', '-in', out, '-info', '-noout', '-legacy', '-passin', 'pass:velha'], { encoding: 'utf8' });
    expect(info.stdout + info.stderr).toContain('pbeWithSHA1And40BitRC2-CBC');
    const bytes = readFileSync(out);
    const a1 = loadA1(bytes, 'velha', { now, expectedCnpj: CNPJ });
    expect(a1.cnpj).toBe(CNPJ);
    expect(a1.certPem).toBe(valid.certPem);
    expect(codeOf(() => loadA1(bytes, 'nova', { now }))).toBe('CERT_WRONG_PASSWORD');
  });

  it('issues a client certificate under a given CA, with an alphanumeric CNPJ', () => {
    const ca = makeTestCa({ commonName: 'AC Outra de Teste' });
    const c = makeTestCertificate({ cnpj: '12ABC34501DE35', password: 'p', issuer: ca });
    const a1 = loadA1(c.pfx, 'p');
    expect(a1.cnpj).toBe('12ABC34501DE35');
    expect(a1.issuer).toContain('CN=AC Outra de Teste');
    expect(a1.chainPems).toHaveLength(1);
    writeFileSync(join(tmp.dir, 'ca.pem'), ca.certPem);
    writeFileSync(join(tmp.dir, 'leaf.pem'), c.certPem);
    expect(execFileSync('openssl', ['verify', '-CAfile', join(tmp.dir, 'ca.pem'), join(tmp.dir, 'leaf.pem')]).toString()).toContain('OK');
  });
});
