import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../../src/core/numbering/index';
import { tempDir } from '../../helpers/tmp';
import { startServerProcess, startWorker } from './harness';

const tmp = tempDir('comboio-lanlock-');
afterAll(() => tmp.cleanup());
const SERIES = { cnpj: '11222333000181', model: 55 as const, serie: 1 };

describe('order lock whose holder process is killed', () => {
  it('others see the holder (IP, user, workstation, since) until the grace period ends, then get the lock; the old token is refused', async () => {
    const GRACE_S = 3;
    const srv = await startServerProcess(join(tmp.dir, 'lock'), 0, ['--lock-grace', String(GRACE_S), '--heartbeat', '1']);
    const other = connect({ url: srv.url, token: srv.token, user: 'bia', workstation: 'FAT02' });
    try {
      await other.ready(30_000);
      await other.createSeries({ ...SERIES, emissaoPropria: true });
      const holder = startWorker('lock', { url: srv.url, token: srv.token, worker: 7, orderId: 'PED-900' });
      const oldToken = Number((await holder.waitFor(/^LOCKED (\d+)$/))[1]);

      const whileAlive = await other.lock('PED-900', 'NF');
      expect(whileAlive).toMatchObject({ granted: false, holder: { ip: '127.0.0.1', user: 'user7', workstation: 'WS7', disconnected: false } });

      holder.kill('SIGKILL');
      await holder.done;
      const killedAt = Date.now();
      await new Promise((r) => setTimeout(r, 300));
      const inGrace = await other.lock('PED-900', 'NF');
      expect(inGrace).toMatchObject({ granted: false, holder: { ip: '127.0.0.1', user: 'user7', workstation: 'WS7', disconnected: true, since: expect.any(String) } });

      let granted = await other.lock('PED-900', 'NF');
      while (!granted.granted && Date.now() - killedAt < GRACE_S * 1000 + 5000) {
        await new Promise((r) => setTimeout(r, 200));
        granted = await other.lock('PED-900', 'NF');
      }
      expect(granted.granted).toBe(true);
      // Not before the grace period (monotonic on the server; allow scheduling slack here).
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(GRACE_S * 1000 - 500);
      expect(granted.granted && granted.token).toBeGreaterThan(oldToken);

      const stale = await other.allocate({ series: SERIES, orderId: 'PED-900', lockToken: oldToken }).catch((e: { code: string }) => e);
      expect(stale).toMatchObject({ code: 'STALE_LOCK_TOKEN' });
      const ok = await other.allocate({ series: SERIES, orderId: 'PED-900', lockToken: granted.granted ? granted.token : 0 });
      expect(ok.number).toBe(1);
    } finally {
      await other.close();
      await srv.proc.kill('SIGKILL');
    }
  });
});

describe('TLS', () => {
  it('serves wss:// and https /health with the given certificate; a client trusting it allocates', async () => {
    const dir = join(tmp.dir, 'tls');
    execFileSync('mkdir', ['-p', dir]);
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    const srv = await startServerProcess(join(dir, 'data'), 0, ['--tls-cert', cert, '--tls-key', key]);
    const ca = readFileSync(cert);
    try {
      expect(srv.url.startsWith('wss://')).toBe(true);
      const health = await new Promise<string>((ok, fail) => {
        request(`https://127.0.0.1:${srv.port}/health`, { ca }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => ok(body));
        })
          .on('error', fail)
          .end();
      });
      expect(JSON.parse(health)).toMatchObject({ ok: true });

      const c = connect({ url: srv.url, token: srv.token, user: 'ana', workstation: 'FAT01', ca });
      await c.ready(30_000);
      await c.createSeries({ ...SERIES, emissaoPropria: true });
      expect((await c.allocate({ series: SERIES, orderId: 'P-1' })).number).toBe(1);
      await c.close();

      // Without trusting the certificate the connection never comes up.
      const untrusted = connect({ url: srv.url, token: srv.token, user: 'ana', workstation: 'FAT01', backoff: { initialMs: 50 } });
      await expect(untrusted.ready(1500)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await untrusted.close();
    } finally {
      await srv.proc.kill('SIGKILL');
    }
  });
});
