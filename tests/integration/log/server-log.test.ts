import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { logFiles } from '../../../src/core/log/index';
import { connect } from '../../../src/core/numbering/index';
import { newId } from '../../../src/shared/ids';
import { tempDir } from '../../helpers/tmp';
import { startServerProcess } from '../server/harness';

const tmp = tempDir('comboio-server-log-');
afterAll(() => tmp.cleanup());

describe('LAN server log files (real `comboio server` process)', () => {
  it('one line per allocation and lock, with who asked, timestamps with offset, and never the installation token', async () => {
    const { proc, url, token } = await startServerProcess(tmp.dir);
    const client = connect({ url, token, user: 'ana', workstation: 'FATURA01' });
    try {
      await client.ready();
      const series = { cnpj: '11222333000181', model: 55 as const, serie: 7 };
      await client.createSeries({ ...series, emissaoPropria: true, description: 'teste de log' });
      const orderId = newId();
      const lock = await client.lock(orderId, 'NF');
      expect(lock.granted).toBe(true);
      const allocated = await client.allocate({ series, orderId, suggested: null, lockToken: client.lockToken(orderId) ?? null });
      await client.unlock(orderId);
      await client.close();
      await proc.kill('SIGTERM');
      expect(proc.stdout()).toContain(`Registros (logs): ${tmp.dir}`);

      const lines = logFiles(tmp.dir)
        .flatMap((f) => readFileSync(f, 'utf8').trim().split('\n'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const alloc = lines.filter((l) => l.msg === 'número alocado');
      expect(alloc).toHaveLength(1);
      expect(alloc[0]).toMatchObject({ level: 'info', component: 'servidor', proc: 'servidor', user: 'ana', workstation: 'FATURA01', cnpj: series.cnpj, serie: 7, number: allocated.number, orderId });
      expect(String(alloc[0]!.time)).toMatch(/T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
      expect(lines.filter((l) => l.msg === 'trava pedida' && l.granted === true && l.orderId === orderId)).toHaveLength(1);
      expect(lines.filter((l) => l.msg === 'trava liberada' && l.orderId === orderId)).toHaveLength(1);
      expect(lines.some((l) => l.msg === 'série criada')).toBe(true);
      const text = logFiles(tmp.dir).map((f) => readFileSync(f, 'utf8')).join('');
      expect(text).not.toContain(token);
      // The console echo a service manager captures carries the same events.
      expect(proc.stderr()).toMatch(/\d{2}:\d{2}:\d{2} INFO \[servidor\] número alocado/);
    } finally {
      await client.close().catch(() => undefined);
      await proc.kill('SIGKILL');
    }
  });
});
