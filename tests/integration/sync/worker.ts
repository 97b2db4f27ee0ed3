/**
 * A workstation as its own process, for the kill -9 tests: a replica on its own SQLite
 * file talking to a real LAN server. Prints progress lines the test waits for.
 *
 *   node --import tsx worker.ts --store F --url U --station JSON --name N --mode write|sync|digest
 *     [--count N] [--batch B] [--die-at-push K --die-delay-ms D]
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from '../../../src/core/numbering/index';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore } from '../../../src/core/store/open';
import { createReplica, lanSyncConnection, type SyncConnection } from '../../../src/core/sync/index';
import { repoRoot } from '../../helpers/proc';

const { values } = parseArgs({
  options: {
    store: { type: 'string' },
    url: { type: 'string' },
    station: { type: 'string' },
    name: { type: 'string' },
    mode: { type: 'string' },
    count: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '50' },
    'die-at-push': { type: 'string' },
    'die-delay-ms': { type: 'string', default: '0' },
  },
});
const name = values.name!;
const store = openStore(values.store!);
migrateStore(store, join(repoRoot, 'drizzle'));
const { station, pin } = JSON.parse(values.station!) as { station: { id: string; secret: string }; pin: string | null };
const client = connect({ url: values.url!, station, pin, backoff: { initialMs: 50, maxMs: 300 }, requestTimeoutMs: 3000 });
const lan = lanSyncConnection(client);
let pushes = 0;
// kill -9 of this workstation right after its Nth push left (the reply may or may not have committed).
const connection: SyncConnection = {
  ...lan,
  request<T>(type: string, data: unknown) {
    const reply = lan.request<T>(type, data);
    if (type === 'sync.push' && ++pushes === Number(values['die-at-push'])) {
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), Number(values['die-delay-ms']));
    }
    return reply;
  },
};
const replica = createReplica({ store, connection, clientId: `client-${name}`, pushBatch: Number(values.batch), backoffMs: { min: 50, max: 300 } });
const say = (line: string) => process.stdout.write(`${line}\n`);

if (values.mode === 'write') {
  const count = Number(values.count);
  // All local writes first, synchronously: each is durable in the outbox when write() returns.
  for (let i = 0; i < count; i++) replica.write('orders', `${name}-${i}`, { by: name, i, itens: [{ produto: 'diesel', litros: 1000 + i }] });
  say(`written ${count}`);
}
replica.events.on('status', (s) => say(`pending ${s.pending} online ${s.online}`));

async function syncUntilDrained(): Promise<void> {
  for (;;) {
    try {
      await replica.syncNow();
      if (replica.status().pending === 0) return;
    } catch {
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
}

await syncUntilDrained();
if (values.mode === 'digest') {
  const rows = replica.list('orders').map((r) => [r.id, r.data]);
  say(`digest ${rows.length} ${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`);
} else {
  say(`synced replayed ${replica.counters.replayed}`);
}
await replica.close();
await client.close();
store.close();
process.exit(0);
