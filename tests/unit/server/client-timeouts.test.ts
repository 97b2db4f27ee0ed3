import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, NumberingErrors, signInAtServer, type NumberingClient } from '../../../src/core/numbering/index';
import { PASSWORD, SERIES, errorOf, startTestServer } from './harness';

/**
 * A TCP relay between the client and the real server that can hold back everything the
 * server sends (a congested or half-dead link): the server still receives, executes and
 * answers; the client just does not hear back until the relay lets go.
 */
async function stallingRelay(target: number) {
  let stalled = false;
  const held: { socket: Socket; chunks: Buffer[] }[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((down) => {
    const up = tcpConnect(target, '127.0.0.1');
    const pending = { socket: down, chunks: [] as Buffer[] };
    held.push(pending);
    sockets.add(down).add(up);
    down.on('data', (d) => up.write(d));
    up.on('data', (d) => (stalled ? pending.chunks.push(d) : down.write(d)));
    const end = () => {
      down.destroy();
      up.destroy();
    };
    down.on('close', end).on('error', end);
    up.on('close', end).on('error', end);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as { port: number }).port,
    stall: () => {
      stalled = true;
    },
    release: () => {
      stalled = false;
      for (const h of held) for (const c of h.chunks.splice(0)) h.socket.write(c);
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((ok) => server.close(ok));
    },
  };
}

type Harness = Awaited<ReturnType<typeof startTestServer>>;
let h: Harness;
let relay: Awaited<ReturnType<typeof stallingRelay>>;
const clients: NumberingClient[] = [];

beforeEach(async () => {
  h = await startTestServer();
  relay = await stallingRelay(h.server.port);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await relay.close();
  await h.stop();
});

async function viaRelay(opts: { requestTimeoutMs: number; retryDeadlineMs: number }): Promise<NumberingClient> {
  const e = await h.enroll('FAT01');
  await h.ensureUser('ana');
  const { token } = await signInAtServer({ url: h.url, station: e.credential, pin: e.pin, login: 'ana', password: PASSWORD });
  const c = connect({ url: `wss://127.0.0.1:${relay.port}`, station: e.credential, pin: e.pin, userToken: token, ...opts });
  clients.push(c);
  return c;
}

/** A client online through the relay, whose replies stop arriving from now on. */
async function stalledClient(opts: { requestTimeoutMs: number; retryDeadlineMs: number }): Promise<NumberingClient> {
  const c = await viaRelay(opts);
  await c.ready();
  relay.stall();
  return c;
}

describe('client deadlines (real server behind a relay that holds replies back)', () => {
  it('an allocation whose reply is late is asked again with the same requestId and gets the same number', async () => {
    const admin = await h.client();
    await admin.createSeries({ ...SERIES, emissaoPropria: true });
    const c = await stalledClient({ requestTimeoutMs: 300, retryDeadlineMs: 10_000 });
    const pending = c.allocate({ series: SERIES, orderId: 'P-1', requestId: 'req-late' });
    // Past the attempt timeout the client re-sends; the server answers it as a replay.
    await new Promise((ok) => setTimeout(ok, 700));
    relay.release();
    const r = await pending;
    expect(r.number).toBe(1);
    expect(r.attempts).toBeGreaterThanOrEqual(2);
    expect(r.replayed).toBe(true);
    expect(r.requestId).toBe('req-late');
    // Only one number was ever taken.
    expect((await admin.suggest(SERIES)).nextNumber).toBe(2);
  });

  it('an idempotent request gives up at the retry deadline with REQUEST_TIMEOUT, in Portuguese', async () => {
    const admin = await h.client();
    await admin.createSeries({ ...SERIES, emissaoPropria: true });
    const c = await stalledClient({ requestTimeoutMs: 200, retryDeadlineMs: 800 });
    const t0 = performance.now();
    const err = await errorOf(() => c.allocate({ series: SERIES, orderId: 'P-2' }));
    const waited = performance.now() - t0;
    expect(err.code).toBe(NumberingErrors.REQUEST_TIMEOUT);
    expect(err.message).toMatch(/não respondeu a tempo/);
    expect(waited).toBeGreaterThanOrEqual(750);
    expect(waited).toBeLessThan(3000);
  });

  it('a plain request fails after one attempt timeout; a request made while offline waits for the connection within its deadline', async () => {
    const c = await stalledClient({ requestTimeoutMs: 300, retryDeadlineMs: 5_000 });
    const err = await errorOf(() => c.inutilize({ series: SERIES, first: 1, last: 1, procInutNFe: '<ProcInutNFe/>' /* never reaches the server: the relay is stalled */ }));
    expect(err.code).toBe(NumberingErrors.REQUEST_TIMEOUT);
    relay.release();
    // Offline: nothing listens on this port; the request keeps waiting and times out.
    const offline = connect({ url: 'wss://127.0.0.1:1', station: { id: 'x', secret: 'y' }, requestTimeoutMs: 200, retryDeadlineMs: 600, backoff: { initialMs: 50, maxMs: 100 } });
    clients.push(offline);
    const t0 = performance.now();
    const e2 = await errorOf(() => offline.suggest(SERIES));
    expect(e2.code).toBe(NumberingErrors.REQUEST_TIMEOUT);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(550);
  });
});
