import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { localIso, logFiles, logger, startLogging } from '../../../src/core/log/index';
import { makeTestCertificate } from '../../../src/core/fiscal/certificate';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-log-');
afterAll(() => tmp.cleanup());

describe('application log', () => {
  it('writes nothing before the host starts logging', async () => {
    logger('antes').info('sem arquivo');
    const logging = await startLogging({ dataDir: tmp.dir, name: 'teste' });
    await logging.close();
    const text = logFiles(tmp.dir).map((f) => readFileSync(f, 'utf8')).join('');
    expect(text).not.toContain('sem arquivo');
  });

  it('one JSON line per event: local time with offset, level, component, fields', async () => {
    const logging = await startLogging({ dataDir: tmp.dir, name: 'linhas' });
    const log = logger('sefaz');
    log.info('autorização', { uf: 'SP', cStat: 100, ms: 312 });
    log.warn('fila de saída', { pending: 3 });
    await logging.close();
    const files = logFiles(tmp.dir).filter((f) => f.includes('linhas'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/linhas\.\d{4}-\d{2}-\d{2}\.1\.log$/);
    const lines = readFileSync(files[0]!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'info', component: 'sefaz', msg: 'autorização', uf: 'SP', cStat: 100, proc: 'linhas' });
    expect(lines[1]).toMatchObject({ level: 'warn', msg: 'fila de saída', pending: 3 });
    expect(String(lines[0]!.time)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
  });

  it('local ISO time keeps the instant (offset applied both ways)', () => {
    const d = new Date('2026-03-01T12:34:56.789Z');
    expect(new Date(localIso(d)).getTime()).toBe(d.getTime());
  });

  it('never writes a password, a certificate, a private key or a token, however they are passed', async () => {
    const a1 = makeTestCertificate({ cnpj: '11222333000181', password: 'segredo-do-a1', keyBits: 1024 });
    const keyPem = a1.keyPem;
    const logging = await startLogging({ dataDir: tmp.dir, name: 'segredos' });
    const log = logger('admin');
    log.info('certificado instalado', { password: 'segredo-do-a1', pfx: a1.pfx, config: { lan: { token: 'tok-123456' }, certificatePassword: 'segredo-do-a1' } });
    log.info(`chave recebida: ${keyPem}`);
    log.error('falha', { err: new Error(`não abriu ${keyPem}`), users: [{ login: 'ana', senha: 'ana-senha-1' }], headers: { authorization: 'Bearer abc.def' } });
    await logging.close();
    const text = logFiles(tmp.dir).filter((f) => f.includes('segredos')).map((f) => readFileSync(f, 'utf8')).join('');
    for (const secret of ['segredo-do-a1', 'tok-123456', 'ana-senha-1', 'Bearer abc.def', 'PRIVATE KEY', keyPem.split('\n')[1]!, a1.pfx.toString('base64').slice(0, 40)]) {
      expect(text, secret).not.toContain(secret);
    }
    expect(text).toContain('"login":"ana"');
    expect(text).toContain('certificado instalado');
    expect(text.match(/\[oculto\]/g)!.length).toBeGreaterThanOrEqual(6);
  });
});
