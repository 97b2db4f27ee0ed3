import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, enrollStation, type NumberingClient } from '../../core/numbering/index';
import { defaultProjectPaths, projectRoot } from '../../core/paths';
import { migrateStore } from '../../core/store/migrate';
import { openStore, type Store } from '../../core/store/open';
import { createReplica, lanSyncConnection, type JsonObject, type LocalWrite, type Replica } from '../../core/sync/index';
import { parseFlags, UsageError, type Command } from '../command';

interface Workstation {
  client: NumberingClient;
  replica: Replica;
  store: Store;
}

export const syncBenchCommand: Command = {
  name: 'sync',
  summary: 'Replicação: carga inicial (snapshot) e recuperação do feed de alterações',
  usage: `Uso: comboio bench sync [--records N] [--changes N] [--json]

  Sobe um servidor LAN em processo próprio (loopback, pasta temporária), grava --records
  registros (padrão 10000) numa estação e mede:
    carga inicial   uma estação nova recebe tudo (snapshot + feed)
    recuperação     a estação volta depois de --changes alterações (padrão 1000) feitas por outra
  "perdidas" conta alterações que não chegaram iguais a todas as réplicas (deve ser 0).
  --json imprime {bootstrapRecords, bootstrapMs, catchupChanges, catchupMs, lost, ...}.`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      records: { type: 'string' },
      changes: { type: 'string' },
      json: { type: 'boolean' },
    });
    const records = positive(values.records ?? process.env.COMBOIO_BENCH_SYNC_RECORDS ?? '10000', 'records');
    const changes = positive(values.changes ?? process.env.COMBOIO_BENCH_SYNC_CHANGES ?? '1000', 'changes');
    const dir = mkdtempSync(join(tmpdir(), 'comboio-bench-sync-'));
    const migrations = defaultProjectPaths().migrationsDir;
    let server: ChildProcess | null = null;
    const open: Workstation[] = [];
    try {
      const started = await startServer(join(dir, 'servidor'));
      server = started.child;
      const workstation = async (name: string): Promise<Workstation> => {
        const store = openStore(join(dir, `${name}.db`));
        migrateStore(store, migrations);
        // The station's own connection, as a workstation's replica uses it.
        const e = await enrollStation({ url: started.url, code: await newEnrollmentCode(join(dir, 'servidor')), workstation: name });
        const client = connect({ url: started.url, station: e.credential, pin: e.pin });
        await client.ready();
        const replica = createReplica({ store, connection: lanSyncConnection(client), clientId: `bench-${name}` });
        const ws = { client, replica, store };
        open.push(ws);
        return ws;
      };
      const closeWs = async (ws: Workstation) => {
        open.splice(open.indexOf(ws), 1);
        await ws.replica.close();
        await ws.client.close();
        ws.store.close();
      };

      // Seed: one workstation types (imports) the records; they reach the server via its outbox.
      const expected = new Map<string, JsonObject>();
      const a = await workstation('a');
      let t = performance.now();
      const seed: LocalWrite[] = [];
      for (let i = 0; i < records; i++) {
        const fields = customer(i);
        seed.push({ collection: 'customers', id: `c${i}`, fields });
        expected.set(`c${i}`, fields);
      }
      for (let i = 0; i < seed.length; i += 1000) a.replica.writeMany(seed.slice(i, i + 1000));
      await a.replica.syncNow();
      const seedMs = performance.now() - t;

      // Bootstrap: a new workstation, empty store, until it holds everything.
      t = performance.now();
      let b = await workstation('b');
      await b.replica.syncNow();
      const bootstrapMs = performance.now() - t;
      const bootstrapRecords = b.replica.counters.snapshotRecords;
      await closeWs(b);

      // Catch-up: while b is away, a edits `changes` records (each its own mutation).
      const edits: LocalWrite[] = [];
      for (let i = 0; i < changes; i++) {
        const id = `c${(i * 7919) % records}`;
        const fields = { limiteCredito: 100_000 + i, atualizadoPor: 'a' };
        edits.push({ collection: 'customers', id, fields });
        expected.set(id, { ...expected.get(id)!, ...fields });
      }
      for (let i = 0; i < edits.length; i += 100) a.replica.writeMany(edits.slice(i, i + 100));
      await a.replica.syncNow();
      t = performance.now();
      b = await workstation('b');
      await b.replica.syncNow();
      const catchupMs = performance.now() - t;
      const catchupChanges = b.replica.counters.changesPulled;

      let lost = 0;
      for (const ws of [a, b]) {
        const got = new Map(ws.replica.list('customers').map((r) => [r.id, r.data]));
        for (const [id, data] of expected) if (JSON.stringify(got.get(id)) !== JSON.stringify(data)) lost++;
        lost += ws.replica.status().pending + ws.replica.status().rejected;
      }

      const result = {
        bootstrapRecords,
        bootstrapMs: round(bootstrapMs),
        bootstrapPerSec: Math.round(bootstrapRecords / (bootstrapMs / 1000)),
        catchupChanges,
        catchupMs: round(catchupMs),
        catchupPerSec: Math.round(catchupChanges / (catchupMs / 1000)),
        seedMutations: records,
        seedMs: round(seedMs),
        seedPerSec: Math.round(records / (seedMs / 1000)),
        lost,
      };
      if (values.json) {
        process.stdout.write(JSON.stringify(result) + '\n');
      } else {
        const row = (label: string, n: number, unit: string, ms: number, perSec: number) =>
          `  ${label.padEnd(38)} ${String(n).padStart(7)} ${unit.padEnd(11)} ${ms.toFixed(0).padStart(7)} ms  ${String(perSec).padStart(7)}/s`;
        process.stdout.write(
          [
            'Replicação (servidor LAN em processo próprio, loopback, SQLite synchronous=FULL)',
            row('envio da outbox (estação → servidor)', records, 'alterações', result.seedMs, result.seedPerSec),
            row('carga inicial (snapshot + feed)', bootstrapRecords, 'registros', result.bootstrapMs, result.bootstrapPerSec),
            row('recuperação (feed desde o cursor)', catchupChanges, 'alterações', result.catchupMs, result.catchupPerSec),
            `  perdidas: ${lost}`,
            '',
          ].join('\n'),
        );
      }
      return lost === 0 ? 0 : 1;
    } finally {
      for (const ws of [...open]) {
        await ws.replica.close();
        await ws.client.close();
        ws.store.close();
      }
      if (server && server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((ok) => server!.once('exit', ok));
      }
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`Valor inválido para --${flag}: ${value}`);
  return n;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** A customer record about the size of a real one (~400 bytes of JSON). */
function customer(i: number): JsonObject {
  return {
    razaoSocial: `Posto de Combustíveis ${i} Ltda`,
    cnpj: String(10_000_000_000_000 + i * 97).slice(0, 14),
    ie: String(100_000_000 + i),
    endereco: { logradouro: 'Rodovia BR-101', numero: String(i % 5000), bairro: 'Distrito Industrial', municipio: 'Cabo de Santo Agostinho', uf: 'PE', cep: '54500000' },
    telefone: '8135210000',
    limiteCredito: 50_000 + (i % 100) * 1000,
    ativo: true,
  };
}

/** `comboio server code`: a one-time enrollment code for the running server. */
export async function newEnrollmentCode(dataDir: string): Promise<string> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'comboio.js'), 'server', 'code', '--data', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((ok) => child.once('exit', ok));
  const m = out.match(/Código de cadastro[^:]*: (\S+)/);
  if (!m) throw new Error(`comboio server code: ${out}`);
  return m[1]!;
}

/** `comboio server` as its own process on a free loopback port. */
export async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    // Heartbeat and grace given explicitly in seconds.
    [join(projectRoot, 'bin', 'comboio.js'), 'server', '--data', dataDir, '--port', '0', '--host', '127.0.0.1', '--heartbeat', '10', '--lock-grace', '30'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`o servidor LAN não subiu a tempo:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/ouvindo em (\S+)/);
      if (m) {
        clearTimeout(timer);
        ok({ child, url: m[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`o servidor LAN terminou (${code}):\n${out}`));
    });
  });
}
