import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { connect } from '../../../src/core/numbering/index';
import { tempDir } from '../../helpers/tmp';
import { enrollProcessStation, ensureUsers, startServerProcess, startWorker, userConnection, USER_PASSWORD } from './harness';

const tmp = tempDir('comboio-lanlock-');
afterAll(() => tmp.cleanup());
const SERIES = { cnpj: '11222333000181', model: 55 as const, serie: 7 };

describe('order lock whose holder process is killed', () => {
  it('others see the holder (IP, user, workstation, since) until the grace period ends, then get the lock; the old token is refused', async () => {
    const GRACE_S = 3;
    const srv = await startServerProcess(join(tmp.dir, 'lock'), 0, ['--lock-grace', String(GRACE_S), '--heartbeat', '1']);
    const other = await userConnection(srv, 'FAT02', 'bia', { requestTimeoutMs: 30_000 });
    try {
      await (await userConnection(srv, 'ADM', 'admin')).createSeries({ ...SERIES, emissaoPropria: true });
      const ws7 = await enrollProcessStation(srv, 'WS7');
      await ensureUsers(srv, ws7, ['user7']);
      const holder = startWorker('lock', { url: srv.url, station: ws7.credential, pin: ws7.pin, login: 'user7', password: USER_PASSWORD, worker: 7, orderId: 'PED-900' });
      const oldToken = (await holder.waitFor(/^LOCKED (\S+)$/))[1]!;
      // 128 random bits, not a counter someone could guess.
      expect(oldToken).toMatch(/^lk_[A-Za-z0-9_-]{22}$/);

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
      expect(granted.granted && granted.token).not.toBe(oldToken);

      const stale = await other.allocate({ series: SERIES, orderId: 'PED-900', lockToken: oldToken }).catch((e: { code: string }) => e);
      expect(stale).toMatchObject({ code: 'STALE_LOCK_TOKEN' });
      const ok = await other.allocate({ series: SERIES, orderId: 'PED-900', lockToken: granted.granted ? granted.token : null });
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

      // Enrollment pins the certificate the server presents: the given one.
      const station = await enrollProcessStation(srv, 'FAT01');
      expect(station.pin).toBe(new X509Certificate(ca).fingerprint256);
      const c = await userConnection(srv, 'FAT01', 'admin');
      await c.createSeries({ ...SERIES, emissaoPropria: true });
      expect((await c.allocate({ series: SERIES, orderId: 'P-1' })).number).toBe(1);
      await c.close();

      // A station that pinned another certificate sends nothing and says the identity changed.
      const other = connect({ url: srv.url, station: station.credential, pin: 'AA:'.repeat(31) + 'AA', backoff: { initialMs: 50 } });
      await expect(other.ready(5000)).rejects.toMatchObject({ code: 'SERVER_IDENTITY_CHANGED' });
      await other.close();
    } finally {
      await srv.proc.kill('SIGKILL');
    }
  });
});
