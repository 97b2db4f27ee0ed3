import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { logFiles } from '../../../src/core/log/index';
import { newId } from '../../../src/shared/ids';
import { tempDir } from '../../helpers/tmp';
import { startServerProcess, userConnection } from '../server/harness';

const tmp = tempDir('comboio-server-log-');
afterAll(() => tmp.cleanup());

describe('LAN server log files (real `comboio server` process)', () => {
  it('one line per allocation and lock, with who asked, timestamps with offset, and never the station credential', async () => {
    const srv = await startServerProcess(tmp.dir);
    const { proc } = srv;
    const client = await userConnection(srv, 'FATURA01', 'ana', {}, ['administrador']);
    const secret = client.station.credential.secret;
    try {
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
      expect(text).not.toContain(secret);
      // The console echo a service manager captures carries the same events.
      expect(proc.stderr()).toMatch(/\d{2}:\d{2}:\d{2} INFO \[servidor\] número alocado/);
    } finally {
      await client.close().catch(() => undefined);
      await proc.kill('SIGKILL');
    }
  });
});
