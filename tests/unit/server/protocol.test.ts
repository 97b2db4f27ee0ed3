import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import https from 'node:https';
import { PASSWORD, startTestServer } from './harness';
import { MAX_MESSAGE_BYTES } from '../../../src/core/numbering/protocol';

type Harness = Awaited<ReturnType<typeof startTestServer>>;
let h: Harness;

beforeEach(async () => {
  h = await startTestServer();
});
afterEach(async () => {
  await h.stop();
});

/** A raw socket: frames go out exactly as given; replies are collected in order. */
async function raw(port: number) {
  const ws = new WebSocket(`wss://127.0.0.1:${port}`, { rejectUnauthorized: false });
  await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
  const frames: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (d) => {
    frames.push(JSON.parse(d.toString()));
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise<number>((ok) => ws.once('close', (code) => ok(code)));
  return {
    ws,
    frames,
    closed,
    send: (f: unknown) => ws.send(typeof f === 'string' ? f : JSON.stringify(f)),
    async next(count = 1): Promise<Record<string, unknown>> {
      while (frames.length < count) await new Promise<void>((ok) => waiters.push(ok));
      return frames[count - 1]!;
    },
  };
}

describe('authentication', () => {
  it('refuses a connection without a station credential and closes it', async () => {
    const s = await raw(h.server.port);
    s.send({ id: 1, type: 'hello', data: { station: { id: 'x', secret: 'ERRADO' } } });
    expect(await s.next()).toMatchObject({ id: 1, ok: false, error: { code: 'STATION_UNKNOWN', message: expect.stringContaining('não está cadastrada') } });
    expect(await s.closed).toBe(4401);
  });

  it('refuses any request before hello', async () => {
    const s = await raw(h.server.port);
    s.send({ id: 'a', type: 'numbers.allocate', data: {} });
    expect(await s.next()).toMatchObject({ id: 'a', ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await s.closed).toBe(4401);
  });

  it('the client reports "refused" and stops retrying on a wrong credential', async () => {
    const { connect } = await import('../../../src/core/numbering/index');
    const e = await h.enroll('FAT01');
    const c = connect({ url: h.url, station: { id: e.credential.id, secret: 'st_errado' }, pin: e.pin, backoff: { initialMs: 20 } });
    await expect(c.ready()).rejects.toMatchObject({ code: 'STATION_UNKNOWN' });
    expect(c.state).toBe('refused');
    await c.close();
  });
});

describe('hostile input', () => {
  it('answers malformed, oversized, out-of-order and unknown messages with errors and stays up', async () => {
    const e = await h.enroll('FAT01');
    const s = await raw(h.server.port);
    s.send({ id: 1, type: 'hello', data: { station: e.credential } });
    expect(await s.next(1)).toMatchObject({ id: 1, ok: true });
    s.send('{not json');
    expect(await s.next(2)).toMatchObject({ id: null, ok: false, error: { code: 'MALFORMED_REQUEST' } });
    s.send({ id: 2, type: 'hello', data: { station: e.credential } });
    expect(await s.next(3)).toMatchObject({ id: 2, ok: false, error: { code: 'PROTOCOL_ORDER' } });
    s.send({ id: 3, type: 'x'.repeat(10), data: {} });
    expect(await s.next(4)).toMatchObject({ id: 3, ok: false, error: { code: 'UNKNOWN_METHOD' } });
    s.send({ id: 4, type: 'numbers.get', data: { series: { cnpj: '123', model: 55, serie: 1 }, number: 1 } });
    expect(await s.next(5)).toMatchObject({ id: 4, ok: false, error: { code: 'INVALID_INPUT', field: 'series.cnpj' } });
    s.send({ id: 5, type: 'ping', data: 'x'.repeat(MAX_MESSAGE_BYTES + 1024) });
    expect(await s.next(6)).toMatchObject({ id: null, ok: false, error: { code: 'MESSAGE_TOO_LARGE' } });
    s.send({ id: 6, type: '__proto__', data: {} });
    expect(await s.next(7)).toMatchObject({ id: 6, ok: false, error: { code: 'UNKNOWN_METHOD' } });
    s.send({ id: 7, type: 'ping' });
    expect(await s.next(8)).toMatchObject({ id: 7, ok: true });
    s.ws.close();
  });

  it('survives a stream of random frames (fuzz) and keeps serving allocations', async () => {
    const ok = await h.client();
    await ok.createSeries({ cnpj: '11222333000181', model: 55, serie: 1, emissaoPropria: true });
    const s = await raw(h.server.port);
    const e = await h.enroll('FZ');
    await h.ensureUser('fuzz');
    const { signInAtServer } = await import('../../../src/core/numbering/index');
    const { token } = await signInAtServer({ url: h.url, station: e.credential, pin: e.pin, login: 'fuzz', password: PASSWORD });
    s.send({ id: 0, type: 'hello', data: { station: e.credential, userToken: token } });
    await s.next(1);
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const types = ['numbers.allocate', 'numbers.update', 'numbers.inutilize', 'import.validate', 'locks.acquire', 'locks.release', 'series.setNext', 'series.create', 'numbers.gaps', 'audit.list'];
    const values = () => pick<unknown>([null, -1, 0, 1.5, 1e300, 'x', '', {}, [], true, { cnpj: '11222333000181', model: 55, serie: 1 }, 'ab'.repeat(300), { model: 57 }]);
    const N = 300;
    for (let i = 1; i <= N; i++) {
      const data: Record<string, unknown> = {};
      for (const k of ['series', 'orderId', 'requestId', 'number', 'state', 'first', 'last', 'token', 'purpose', 'nextNumber', 'reason', 'cnpj', 'model', 'serie']) {
        if (rnd() < 0.5) data[k] = values();
      }
      s.send(rnd() < 0.1 ? JSON.stringify(values()) : { id: i, type: pick(types), data: rnd() < 0.1 ? values() : data });
    }
    // Every frame gets exactly one reply.
    await s.next(N + 1);
    expect(s.frames.every((f) => 'ok' in f)).toBe(true);
    const n = await ok.allocate({ series: { cnpj: '11222333000181', model: 55, serie: 1 }, orderId: 'after-fuzz' });
    expect(n.number).toBeGreaterThan(0);
    s.ws.close();
  });
});

describe('health', () => {
  it('GET /health answers without a token and reveals nothing secret', async () => {
    const body = await new Promise<Record<string, unknown>>((ok, fail) => {
      https.get(`https://127.0.0.1:${h.server.port}/health`, { rejectUnauthorized: false }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => ok(JSON.parse(text) as Record<string, unknown>));
      }).on('error', fail);
    });
    expect(body).toMatchObject({ ok: true, protocol: 1, serverId: h.server.serverId });
    expect(Object.keys(body).sort()).toEqual(['connections', 'ok', 'protocol', 'serverId', 'uptimeSeconds', 'version']);
  });
});
