import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type NumberingClient } from '../../../src/core/numbering/index';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore, type Store } from '../../../src/core/store/open';
import { createReplica, lanSyncConnection, type Replica } from '../../../src/core/sync/index';
import { repoRoot } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { enroll, freePort, startServer, type ServerProc } from './server-proc';

const tmp = tempDir('comboio-sync-offline-');
let server: ServerProc | null = null;
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  log(`server output: ${server?.proc.stdout()}\n${server?.proc.stderr()}`);
  for (const c of cleanups.reverse()) await c();
  await server?.proc.kill('SIGKILL');
  tmp.cleanup();
});

interface Ws {
  name: string;
  replica: Replica;
  client: NumberingClient;
  store: Store;
}

async function workstation(name: string, srv: ServerProc): Promise<Ws> {
  const { station, pin } = await enroll(srv, name);
  const store = openStore(join(tmp.dir, `${name}.db`));
  migrateStore(store, join(repoRoot, 'drizzle'));
  const client = connect({ url: srv.url, station, pin, backoff: { initialMs: 50, maxMs: 250 } });
  const replica = createReplica({ store, connection: lanSyncConnection(client), clientId: `client-${name}`, backoffMs: { min: 50, max: 250 } });
  client.on('state', (st) => log(`${name} state ${st.state}`));
  replica.events.on('status', (st) => log(`${name} status ${JSON.stringify(st)}`));
  cleanups.push(async () => {
    await replica.close();
    await client.close();
    store.close();
  });
  return { name, replica, client, store };
}

const t0 = Date.now();
const log = (m: string) => process.env.COMBOIO_SYNC_DEBUG && console.log(`${Date.now() - t0} ms ${m}`);

function until(replica: Replica, check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((ok, fail) => {
    const offs = [replica.events.on('changes', test), replica.events.on('status', test)];
    const timer = setTimeout(() => {
      offs.forEach((o) => o());
      fail(new Error(`timeout: ${what}`));
    }, timeoutMs);
    function test() {
      if (!check()) return;
      clearTimeout(timer);
      offs.forEach((o) => o());
      ok();
    }
  });
}

describe('offline edits through a real LAN server process', () => {
  it('edits made while the server is down reach every workstation; the same order resolves per field with history', async () => {
    const port = await freePort();
    const dataDir = join(tmp.dir, 'servidor');
    server = await startServer(dataDir, port);
    const [a, b, c] = (await Promise.all(['a', 'b', 'c'].map((n) => workstation(n, server!)))) as [Ws, Ws, Ws];
    await Promise.all([a, b, c].map((w) => w.client.ready()));
    a.replica.write('orders', 'p1', { cliente: 'Posto 1', total: 100 });
    a.replica.write('orders', 'p2', { cliente: 'Posto 2', total: 200 });
    a.replica.write('orders', 'p3', { cliente: 'Posto 3', placa: 'AAA1111', obs: '' });
    await a.replica.syncNow();
    await until(c.replica, () => c.replica.get('orders', 'p3') !== null, 'c receives the seed through the poke');

    const wentOffline = Promise.all([a, b].map((w) => new Promise((ok) => w.replica.events.on('offline', ok))));
    await server.proc.kill('SIGKILL');
    await wentOffline;
    expect(a.replica.status().online).toBe(false);

    // Different orders on each workstation, and the same order on both.
    a.replica.write('orders', 'p1', { total: 150 });
    b.replica.write('orders', 'p2', { total: 250 });
    a.replica.write('orders', 'p3', { placa: 'BBB2222', obs: 'entregar cedo' });
    b.replica.write('orders', 'p3', { placa: 'CCC3333', cliente: 'Posto 3 Ltda' });
    expect(a.replica.get('orders', 'p3')).toMatchObject({ data: { placa: 'BBB2222' }, pending: true });
    expect(b.replica.status()).toMatchObject({ online: false, pending: 2 });

    const backOnline = Promise.all([a, b].map((w) => new Promise((ok) => w.replica.events.on('online', ok))));
    server = await startServer(dataDir, port);
    await backOnline;

    const done = (w: Ws) => () => w.replica.status().pending === 0 && w.replica.get('orders', 'p1')?.data.total === 150 && w.replica.get('orders', 'p2')?.data.total === 250 && typeof w.replica.get('orders', 'p3')?.data.obs === 'string' && w.replica.get('orders', 'p3')?.data.obs !== '';
    for (const w of [a, b, c]) await until(w.replica, done(w), `${w.name} converges`);
    for (const w of [a, b]) await until(w.replica, () => w.replica.get('orders', 'p3')?.data.cliente === 'Posto 3 Ltda', `${w.name} has b's p3 edit`);
    await until(c.replica, () => c.replica.get('orders', 'p3')?.data.cliente === 'Posto 3 Ltda' && c.replica.status().cursor === a.replica.status().cursor, 'c caught up');

    // Whoever reached the server last wins "placa"; the other value is in history, with its author.
    // history() needs the handshake done; under load c may still be reconnecting after catching up.
    await until(c.replica, () => c.replica.status().online, 'c online');
    const history = await c.replica.history('orders', 'p3');
    expect(history).toHaveLength(1);
    const [lost] = history;
    const winner = lost!.replacedBy.workstation;
    const final = c.replica.get('orders', 'p3')!.data;
    expect(final).toEqual({ cliente: 'Posto 3 Ltda', placa: winner === 'a' ? 'BBB2222' : 'CCC3333', obs: 'entregar cedo' });
    expect(lost).toMatchObject({ field: 'placa', value: winner === 'a' ? 'CCC3333' : 'BBB2222', writtenBy: { workstation: winner === 'a' ? 'b' : 'a', ip: '127.0.0.1' } });
    for (const w of [a, b]) expect(w.replica.get('orders', 'p3')?.data).toEqual(final);
    expect(a.replica.status().lastSyncAt).not.toBeNull();
  });
});
