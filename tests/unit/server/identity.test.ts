import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, signInAtServer } from '../../../src/core/numbering/index';
import { LOCK_AFTER } from '../../../src/server/auth/users';
import { offlineVerifierInput } from '../../../src/core/session/offline-verifiers';
import { verifyPassword } from '../../../src/core/session/password';
import { PASSWORD, SERIES, errorOf, startTestServer } from './harness';

// Each finding of issue #16 against the real server (real TLS sockets, real SQLite file).
type Harness = Awaited<ReturnType<typeof startTestServer>>;
let h: Harness;

beforeEach(async () => {
  h = await startTestServer({ admins: ['chefe'] });
});
afterEach(async () => {
  await h.stop();
});

describe('who is speaking', () => {
  it('a station without a user gets no admin action, whatever it claims in hello', async () => {
    const e = await h.enroll('FAT01');
    // The old protocol let hello say user: "admin"; the server now ignores anything but the credential.
    const ws = new WebSocket(h.url, { rejectUnauthorized: false });
    await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
    const replies: Record<string, unknown>[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString()) as Record<string, unknown>));
    ws.send(JSON.stringify({ id: 1, type: 'hello', data: { station: e.credential, user: 'admin', workstation: 'SERVIDOR' } }));
    ws.send(JSON.stringify({ id: 2, type: 'series.setNext', data: { series: SERIES, nextNumber: 50, reason: 'tentativa' } }));
    ws.send(JSON.stringify({ id: 3, type: 'locks.adminRelease', data: { orderId: 'P', reason: 'tentativa' } }));
    while (replies.length < 3) await new Promise((r) => setTimeout(r, 20));
    expect(replies[0]).toMatchObject({ ok: true, data: { user: null, workstation: 'FAT01', capabilities: [] } });
    expect(replies[1]).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(replies[2]).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    ws.close();
  });

  it('the installation token era is over: a session needs an enrolled station, and a revoked one is refused at once', async () => {
    const chefe = await h.client('chefe', 'ADM01');
    const ana = await h.client('ana', 'FAT01');
    const station = h.server.ctx.stations.list().find((s) => s.name === 'FAT01')!;
    await chefe.call('stations.revoke', { stationId: station.id, reason: 'notebook roubado' });
    await new Promise<void>((ok) => {
      if (ana.state === 'refused') return ok();
      const off = ana.on('state', ({ state }) => state === 'refused' && (off(), ok()));
    });
    const e = await h.enroll('FAT01');
    const again = connect({ url: h.url, station: e.credential, pin: e.pin, backoff: { initialMs: 20 } });
    await expect(again.ready(3000)).rejects.toMatchObject({ code: 'STATION_REVOKED' });
    await again.close();
    expect((await chefe.auditLog(20)).some((a) => a.action === 'station.revoke' && a.target === 'FAT01' && a.user === 'chefe')).toBe(true);
  });

  it('a user removed from the administrator role loses admin actions on the live connection', async () => {
    const chefe = await h.client('chefe', 'ADM01');
    const bia = await h.client('bia', 'FAT02', ['administrador']);
    await bia.createSeries({ ...SERIES, emissaoPropria: true });
    await chefe.call('users.save', { login: 'bia', name: 'bia', roles: ['faturista'], active: true });
    const err = await errorOf(() => bia.setNextNumber({ series: SERIES, nextNumber: 9, reason: 'sem permissão agora' }));
    expect(err.code).toBe('FORBIDDEN');
    // Still a faturista on the same socket.
    expect((await bia.allocate({ series: SERIES, orderId: 'P-1' })).number).toBe(1);
  });

  it('a forged sync mutation for users (new administrator, replaced hash) is refused and audited', async () => {
    await h.ensureUser('chefe');
    const station = await h.stationClient('FAT01');
    const r = await station.request<{ results: { status: string; code?: string }[] }>('sync.push', {
      clientId: 'FAT01-x',
      mutations: [
        { mutationId: 'm1', collection: 'users', id: 'intruso', baseSeq: 0, user: 'chefe', fields: { login: 'intruso', name: 'x', roles: ['administrador'], active: true, passwordHash: 'scrypt$...' } },
        { mutationId: 'm2', collection: 'users', id: 'chefe', baseSeq: 0, user: 'chefe', fields: { passwordHash: 'scrypt$1024$8$1$AAAA$BBBB' } },
      ],
    });
    expect(r.results.map((x) => [x.status, x.code])).toEqual([
      ['rejected', 'FORBIDDEN'],
      ['rejected', 'FORBIDDEN'],
    ]);
    expect(h.server.ctx.users.get('intruso')).toBeNull();
    // The real chefe still signs in with the real password.
    const e = await h.enroll('ADM01');
    await expect(signInAtServer({ url: h.url, station: e.credential, pin: e.pin, login: 'chefe', password: PASSWORD })).resolves.toMatchObject({ user: { login: 'chefe' } });
    const audit = h.server.ctx.audit.list(20).filter((a) => a.action === 'sync.users.refused');
    expect(audit.map((a) => [a.user, a.workstation, a.target])).toEqual(
      expect.arrayContaining([
        ['estacao:FAT01', 'FAT01', 'intruso'],
        ['estacao:FAT01', 'FAT01', 'chefe'],
      ]),
    );
  });

  it('lock tokens are 128 random bits bound to their holder: release or allocate with them from elsewhere is refused and audited', async () => {
    const chefe = await h.client('chefe', 'ADM01');
    await chefe.createSeries({ ...SERIES, emissaoPropria: true });
    const ana = await h.client('ana', 'FAT01');
    const bia = await h.client('bia', 'FAT02');
    const g = await ana.lock('PED-1', 'NF');
    if (!g.granted) throw new Error('expected grant');
    expect(g.token).toMatch(/^lk_[A-Za-z0-9_-]{22}$/);
    // Even holding the exact token (stolen, not guessed), another user cannot use it.
    expect((await errorOf(() => bia.call('locks.release', { orderId: 'PED-1', token: g.token }))).code).toBe('LOCK_NOT_HELD');
    expect((await errorOf(() => bia.allocate({ series: SERIES, orderId: 'PED-1', lockToken: g.token }))).code).toBe('LOCK_NOT_HELD');
    expect((await ana.allocate({ series: SERIES, orderId: 'PED-1', lockToken: g.token })).number).toBe(1);
    const refused = h.server.ctx.audit.list(20).filter((a) => a.action.endsWith('.refused'));
    expect(refused.map((a) => [a.action, a.user])).toEqual(
      expect.arrayContaining([
        ['locks.release.refused', 'bia'],
        ['numbers.allocate.refused', 'bia'],
      ]),
    );
  });

  it('sign-in is throttled after failures and locks after LOCK_AFTER; failures are audited; an administrator unlocks', async () => {
    const chefe = await h.client('chefe', 'ADM01');
    await h.ensureUser('ana');
    const e = await h.enroll('FAT01');
    const attempt = (password: string) => errorOf(() => signInAtServer({ url: h.url, station: e.credential, pin: e.pin, login: 'ana', password }));
    const codes: string[] = [];
    for (let i = 0; i < LOCK_AFTER + 2; i++) {
      codes.push((await attempt('errada')).code);
      // The growing delay is measured on the server's clock: move it past each wait.
      h.clock.advance(120_000);
    }
    expect(codes.slice(0, LOCK_AFTER - 1).every((c) => c === 'UNAUTHENTICATED')).toBe(true);
    expect(codes.slice(LOCK_AFTER - 1).every((c) => c === 'SIGN_IN_LOCKED')).toBe(true);
    // The right password no longer opens a locked account.
    expect((await attempt(PASSWORD)).code).toBe('SIGN_IN_LOCKED');
    expect(h.server.ctx.audit.list(50).filter((a) => a.action === 'auth.signIn.failed').length).toBe(LOCK_AFTER - 1);
    await chefe.call('users.unlock', { login: 'ana' });
    await expect(signInAtServer({ url: h.url, station: e.credential, pin: e.pin, login: 'ana', password: PASSWORD })).resolves.toMatchObject({ user: { login: 'ana' } });
  });

  it('without moving the clock, a burst of wrong passwords is slowed down (retry-after)', async () => {
    await h.ensureUser('ana');
    const e = await h.enroll('FAT01');
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await errorOf(() => signInAtServer({ url: h.url, station: e.credential, pin: e.pin, login: 'ana', password: 'x' }))).code);
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'SIGN_IN_THROTTLED', 'SIGN_IN_THROTTLED']);
    // Even the right password waits for the delay.
    expect((await errorOf(() => signInAtServer({ url: h.url, station: e.credential, pin: e.pin, login: 'ana', password: PASSWORD }))).code).toBe('SIGN_IN_THROTTLED');
  });

  it('a browser page (any Origin header) cannot open the WebSocket', async () => {
    const ws = new WebSocket(h.url, { rejectUnauthorized: false, headers: { Origin: 'http://rebind.example' } });
    const status = await new Promise<number>((ok) => {
      ws.on('unexpected-response', (_req, res) => ok(res.statusCode ?? 0));
      ws.on('error', () => ok(-1));
    });
    expect(status).toBe(401);
  });

  it('a client that never reads is dropped instead of making the server buffer without limit', async () => {
    await h.stop();
    // A small outbound limit (the default is 16 MiB) keeps the test short.
    h = await startTestServer({ admins: ['chefe'], maxOutboundBytes: 256 * 1024 });
    const chefe = await h.client('chefe', 'ADM01');
    await chefe.createSeries({ ...SERIES, emissaoPropria: true });
    const e = await h.enroll('FAT09');
    const ws = new WebSocket(h.url, { rejectUnauthorized: false });
    await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
    ws.send(JSON.stringify({ id: 0, type: 'hello', data: { station: e.credential } }));
    await new Promise((r) => ws.once('message', r));
    // Stop reading: the socket's receive buffer fills, then the server's send buffer.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise<void>((ok) => ws.once('close', () => ok()));
    for (let i = 1; i <= 20_000; i++) ws.send(JSON.stringify({ id: i, type: 'series.list', data: {} }));
    const connectionsBefore = h.server.stats().connections;
    let dropped = false;
    for (let i = 0; i < 100 && !dropped; i++) {
      await new Promise((r) => setTimeout(r, 100));
      dropped = h.server.stats().connections < connectionsBefore;
    }
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await closed;
    expect(dropped).toBe(true);
  }, 30_000);
});

describe('own password change (#16: needs the old password, and a wrong one counts like a failed sign-in)', () => {
  it('refuses a wrong current password with its own code, audits it, throttles after THROTTLE_AFTER, and accepts the right one', async () => {
    const ana = await h.client('ana', 'FAT01');
    const wrong = () => errorOf(() => ana.call('auth.changePassword', { current: 'chute', next: 'nova-senha-1' }));
    expect((await wrong()).code).toBe('CURRENT_PASSWORD_WRONG');
    expect((await wrong()).code).toBe('CURRENT_PASSWORD_WRONG');
    expect((await wrong()).code).toBe('CURRENT_PASSWORD_WRONG');
    // Now even the right one waits.
    expect((await errorOf(() => ana.call('auth.changePassword', { current: PASSWORD, next: 'nova-senha-1' }))).code).toBe('SIGN_IN_THROTTLED');
    expect(h.server.ctx.audit.list(20).filter((a) => a.action === 'users.password.refused').length).toBe(3);
    h.clock.advance(120_000);
    await ana.call('auth.changePassword', { current: PASSWORD, next: 'nova-senha-1' });
    const e = await h.enroll('FAT01');
    await expect(signInAtServer({ url: h.url, station: e.credential, pin: e.pin, login: 'ana', password: 'nova-senha-1' })).resolves.toMatchObject({ user: { login: 'ana' } });
  });
});

describe('offline sign-in verifiers issued by the server (#16)', () => {
  it('each station gets its own verifier at sign-in: it checks the password only with that station id, is not the server hash, and is listed until withdrawn', async () => {
    const chefe = await h.client('chefe', 'ADM01');
    await h.ensureUser('ana');
    const a = await h.enroll('FAT01');
    const b = await h.enroll('FAT02');
    const atA = await signInAtServer({ url: h.url, station: a.credential, pin: a.pin, login: 'ana', password: PASSWORD });
    const atB = await signInAtServer({ url: h.url, station: b.credential, pin: b.pin, login: 'ana', password: PASSWORD });
    expect(atA.offline.verifier).not.toBe(atB.offline.verifier);
    expect(await verifyPassword(offlineVerifierInput(a.credential.id, 'ana', PASSWORD), atA.offline.verifier)).toBe(true);
    // Copied to another station, or tried as a plain password hash, it verifies nothing.
    expect(await verifyPassword(offlineVerifierInput(b.credential.id, 'ana', PASSWORD), atA.offline.verifier)).toBe(false);
    expect(await verifyPassword(PASSWORD, atA.offline.verifier)).toBe(false);
    expect(await verifyPassword(offlineVerifierInput(a.credential.id, 'ana', 'outra-senha'), atA.offline.verifier)).toBe(false);
    const serverHash = (h.server.ctx.users as unknown as { st: { get: { get(l: string): { password_hash: string } } } }).st.get.get('ana').password_hash;
    expect(atA.offline.verifier).not.toBe(serverHash);

    const stationA = await h.stationClient('FAT01');
    expect((await stationA.request<{ logins: string[] }>('auth.offlineGrants', {})).logins).toEqual(['ana']);
    // Roles changed by an administrator: withdrawn everywhere, and the stations are told.
    const told = new Promise((ok) => stationA.onPushEvent('auth.offline.revoked', ok));
    await chefe.call('users.save', { login: 'ana', name: 'ana', roles: ['faturista', 'expedicao'], active: true });
    expect(await told).toEqual({ login: 'ana', except: null });
    expect((await stationA.request<{ logins: string[] }>('auth.offlineGrants', {})).logins).toEqual([]);
  });

  it('a password change issues a new verifier to the station where it was made and withdraws the others', async () => {
    const ana = await h.client('ana', 'FAT01');
    const b = await h.enroll('FAT02');
    await signInAtServer({ url: h.url, station: b.credential, pin: b.pin, login: 'ana', password: PASSWORD });
    const r = await ana.call('auth.changePassword', { current: PASSWORD, next: 'nova-senha-1' });
    const a = await h.enroll('FAT01');
    expect(await verifyPassword(offlineVerifierInput(a.credential.id, 'ana', 'nova-senha-1'), r.offline.verifier)).toBe(true);
    expect((await (await h.stationClient('FAT02')).request<{ logins: string[] }>('auth.offlineGrants', {})).logins).toEqual([]);
    expect((await (await h.stationClient('FAT01')).request<{ logins: string[] }>('auth.offlineGrants', {})).logins).toEqual(['ana']);
  });
});

describe('signed XML is sacred on the change feed (#16)', () => {
  it('a station cannot rewrite or delete the signed XML or the nfeProc of a document once stored; status still replicates; refusals audited', async () => {
    const station = await h.stationClient('FAT01');
    const push = (mutations: Record<string, unknown>[]) =>
      station.request<{ results: { status: string; code?: string }[] }>('sync.push', { clientId: 'FAT01-x', mutations }).then((r) => r.results.map((x) => [x.status, x.code ?? null]));
    const id = '35260311222333000181550010000000011000000010';
    expect(await push([{ mutationId: 'd1', collection: 'documents', id, baseSeq: 0, fields: { id, chave: id, status: 'processando', signedXml: '<NFe>original</NFe>', procXml: null } }])).toEqual([['applied', null]]);
    expect(await push([{ mutationId: 'd2', collection: 'documents', id, baseSeq: 0, fields: { status: 'autorizada', procXml: '<nfeProc>original</nfeProc>' } }])).toEqual([['applied', null]]);
    // One push each: after a refusal, later mutations of the same record in a batch are held.
    expect(await push([{ mutationId: 'd3', collection: 'documents', id, baseSeq: 0, fields: { signedXml: '<NFe>forjada</NFe>' } }])).toEqual([['rejected', 'DOCUMENT_XML_IMMUTABLE']]);
    expect(await push([{ mutationId: 'd4', collection: 'documents', id, baseSeq: 0, fields: { procXml: '<nfeProc>forjado</nfeProc>' } }])).toEqual([['rejected', 'DOCUMENT_XML_IMMUTABLE']]);
    expect(await push([{ mutationId: 'd5', collection: 'documents', id, baseSeq: 0, delete: true }])).toEqual([['rejected', 'DOCUMENT_XML_IMMUTABLE']]);
    expect(await push([{ mutationId: 'd6', collection: 'documents', id, baseSeq: 0, fields: { status: 'cancelada', signedXml: '<NFe>original</NFe>' } }])).toEqual([['applied', null]]);
    expect(h.server.ctx.audit.list(50).filter((a) => a.action === 'sync.documents.refused').map((a) => [a.workstation, a.newValue])).toEqual(
      expect.arrayContaining([
        ['FAT01', 'signedXml'],
        ['FAT01', 'procXml'],
        ['FAT01', 'exclusão'],
      ]),
    );
  });
});
