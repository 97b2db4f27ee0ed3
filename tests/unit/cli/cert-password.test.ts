import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { certPassword } from '../../../src/cli/command';
import { runComboio } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

// #16 finding 8: the A1's password was required on the command line (visible in `ps`).
let tmp: ReturnType<typeof tempDir>;
const saved = process.env.COMBOIO_CERT_PASSWORD;
afterEach(() => {
  tmp?.cleanup();
  if (saved === undefined) delete process.env.COMBOIO_CERT_PASSWORD;
  else process.env.COMBOIO_CERT_PASSWORD = saved;
});

describe('certificate password from a file or the environment', () => {
  it('reads --password-file (one trailing newline dropped), then --password, then COMBOIO_CERT_PASSWORD; none is a usage error', () => {
    tmp = tempDir('comboio-pw-');
    const file = join(tmp.dir, 'senha.txt');
    writeFileSync(file, 's3nha com espaço \n');
    delete process.env.COMBOIO_CERT_PASSWORD;
    expect(certPassword({ 'password-file': file, password: 'outra' })).toBe('s3nha com espaço ');
    expect(() => certPassword({})).toThrow(/--password-file ARQ ou a variável COMBOIO_CERT_PASSWORD/);
    process.env.COMBOIO_CERT_PASSWORD = 'do-ambiente';
    expect(certPassword({})).toBe('do-ambiente');
    expect(certPassword({ password: 'explicita' })).toBe('explicita');
  });

  it('comboio cert info opens an A1 with the password from a file, none on its command line', async () => {
    tmp = tempDir('comboio-pw-');
    const pfx = join(tmp.dir, 'a1.pfx');
    expect((await runComboio(['cert', 'make-test', '--cnpj', '11222333000181', '--out', pfx, '--password', 'senha-do-a1'])).code).toBe(0);
    const file = join(tmp.dir, 'senha.txt');
    writeFileSync(file, 'senha-do-a1\n');
    const ok = await runComboio(['cert', 'info', '--cert', pfx, '--password-file', file]);
    expect(ok.stdout).toContain('CNPJ: 11222333000181');
    const env = await runComboio(['cert', 'info', '--cert', pfx], { env: { COMBOIO_CERT_PASSWORD: 'senha-do-a1' } });
    expect(env.stdout).toContain('CNPJ: 11222333000181');
  }, 60_000);
});
