import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientEvents } from '../../../src/core/numbering/index';
import { SERIES, errorOf, sharedTlsFiles, startTestServer } from './harness';

type Harness = Awaited<ReturnType<typeof startTestServer>>;
let h: Harness;

beforeEach(async () => {
  h = await startTestServer({ lockGraceMs: 30_000 });
});
afterEach(async () => {
  await h.stop();
});

describe('order locks', () => {
  it('is exclusive across NF and OC and shows who holds it: IP, user, workstation, since', async () => {
    const ana = await h.client('ana', 'FAT01');
    const bia = await h.client('bia', 'FAT02');
    const grant = await ana.lock('PED-7', 'NF');
    expect(grant).toMatchObject({ granted: true, orderId: 'PED-7', purpose: 'NF' });
    const refused = await bia.lock('PED-7', 'OC');
    expect(refused).toEqual({
      granted: false,
      holder: { orderId: 'PED-7', purpose: 'NF', ip: '127.0.0.1', user: 'ana', workstation: 'FAT01', since: expect.any(String), disconnected: false },
    });
    if (!refused.granted) expect(new Date(refused.holder.since).getTime()).toBe(new Date('2026-03-10T09:00:00-03:00').getTime());
    // Asking again on the same connection is idempotent.
    expect(await ana.lock('PED-7', 'NF')).toMatchObject({ granted: true, token: grant.granted ? grant.token : -1 });
    expect(await bia.lock('PED-8', 'OC')).toMatchObject({ granted: true });
  });

  it('fencing: allocation needs the current token; a released lock token is stale', async () => {
    const ana = await h.client('ana', 'FAT01');
    const bia = await h.client('bia', 'FAT02');
    await ana.createSeries({ ...SERIES, emissaoPropria: true });
    const g = await ana.lock('PED-1', 'NF');
    if (!g.granted) throw new Error('expected grant');
    const held = await errorOf(() => bia.allocate({ series: SERIES, orderId: 'PED-1' }));
    expect(held.code).toBe('LOCK_HELD');
    expect(held.message).toContain('127.0.0.1');
    expect(held.message).toContain('ana');
    expect((await ana.allocate({ series: SERIES, orderId: 'PED-1', lockToken: g.token })).number).toBe(1);
    await ana.unlock('PED-1');
    const g2 = await bia.lock('PED-1', 'NF');
    expect(g2.granted && g2.token).not.toBe(g.token);
    expect((await errorOf(() => ana.allocate({ series: SERIES, orderId: 'PED-1', lockToken: g.token }))).code).toBe('STALE_LOCK_TOKEN');
  });

  it('a disconnected holder keeps the lock for the grace period, then it is released and others are told', async () => {
    const ana = await h.client('ana', 'FAT01');
    const bia = await h.client('bia', 'FAT02');
    const released: ClientEvents['lockReleased'][] = [];
    bia.on('lockReleased', (e) => released.push(e));
    const g = await ana.lock('PED-2', 'NF');
    await ana.close();
    await new Promise((r) => setTimeout(r, 100));
    const during = await bia.lock('PED-2', 'NF');
    expect(during).toMatchObject({ granted: false, holder: { user: 'ana', ip: '127.0.0.1', disconnected: true } });
    h.clock.advance(30_001);
    const after = await bia.lock('PED-2', 'NF');
    expect(after).toMatchObject({ granted: true });
    expect(after.granted && g.granted && after.token !== g.token).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(released).toEqual([expect.objectContaining({ orderId: 'PED-2', reason: 'grace-expired' })]);
  });

  it('a holder that reconnects within the grace period resumes its lock (lease renewal)', async () => {
    const ana = await h.client('ana', 'FAT01');
    const g = await ana.lock('PED-3', 'NF');
    if (!g.granted) throw new Error('expected grant');
    const lost: unknown[] = [];
    ana.on('lockLost', (e) => lost.push(e));
    // Restart the server on the same port: every connection drops, locks survive on disk.
    const port = h.server.port;
    await h.server.close();
    const { startLanServer } = await import('../../../src/server/index');
    h.server = await startLanServer({ dataDir: h.dir, port, host: '127.0.0.1', clock: h.clock, log: () => undefined, lockGraceMs: 30_000, tls: sharedTlsFiles(), passwordHashLog2N: 10 });
    await new Promise<void>((ok) => {
      const off = ana.on('state', ({ state }) => state === 'online' && (off(), ok()));
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(ana.lockToken('PED-3')).toBe(g.token);
    const bia = await h.client('bia', 'FAT02');
    expect(await bia.lock('PED-3', 'OC')).toMatchObject({ granted: false, holder: { user: 'ana', disconnected: false } });
    expect(lost).toEqual([]);
  });

  it('an administrator can release a lock; the release is audited and the holder is told', async () => {
    const ana = await h.client('ana', 'FAT01');
    const chefe = await h.client('chefe', 'ADM01');
    const lost: ClientEvents['lockLost'][] = [];
    ana.on('lockLost', (e) => lost.push(e));
    await ana.lock('PED-4', 'NF');
    const r = await chefe.adminReleaseLock('PED-4', 'estação travada, liberar');
    expect(r).toMatchObject({ released: true, holder: { user: 'ana', workstation: 'FAT01' } });
    await new Promise((res) => setTimeout(res, 50));
    expect(lost).toEqual([expect.objectContaining({ orderId: 'PED-4', reason: 'admin' })]);
    const audit = await chefe.auditLog(5);
    expect(audit[0]).toMatchObject({ action: 'lock.adminRelease', user: 'chefe', workstation: 'ADM01', ip: '127.0.0.1', reason: 'estação travada, liberar' });
    expect(audit[0]!.oldValue).toContain('ana@FAT01 127.0.0.1');
  });
});
