import { spawn } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { connectUser, enrollStation, type NumberingClient, type SeriesKey } from '../../core/numbering/index';
import { projectRoot } from '../../core/paths';
import { SERVER_DB_FILE } from '../../server/index';
import { newId } from '../../shared/ids';
import { parseFlags, UsageError, type Command } from '../command';
import { PgConnection, startPgCluster } from './numbering-pg';

interface SideFigures {
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  count: number;
  duplicates: number;
  holes: number;
  /** Acknowledged numbers missing from the store afterwards (must be 0). */
  lost: number;
}

interface LoadResult {
  latencies: number[];
  numbers: number[];
  elapsedMs: number;
}

/**
 * Warm-up before a side's first round and before each later one, not measured. The LAN
 * server is JIT-compiled JavaScript: under this load it needs about 3 s to reach its steady
 * rate (measured per second: ~50 %, ~80 %, then ~100 % of it), which is what a server that
 * runs for days delivers. PostgreSQL gets the same warm-up.
 */
const FIRST_WARMUP_MS = 3000;
const ROUND_WARMUP_MS = 250;

/** N concurrent loops, each awaiting one allocation at a time, for `seconds` after a warm-up. */
async function runLoad(workers: ((i: number) => Promise<number>)[], seconds: number, warmupMs: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const numbers: number[] = [];
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + seconds * 1000;
  await Promise.all(
    workers.map(async (work) => {
      for (let i = 0; ; i++) {
        const t0 = performance.now();
        if (t0 >= end) return;
        const n = await work(i);
        numbers.push(n);
        if (t0 >= measureFrom) latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, numbers, elapsedMs: performance.now() - measureFrom };
}

function merge(results: LoadResult[]): LoadResult {
  return {
    latencies: results.flatMap((r) => r.latencies),
    numbers: results.flatMap((r) => r.numbers),
    elapsedMs: results.reduce((sum, r) => sum + r.elapsedMs, 0),
  };
}

/** One side of the comparison, started once and loaded in several rounds. */
interface Side<F extends SideFigures = SideFigures> {
  run(seconds: number, warmupMs: number): Promise<LoadResult>;
  /** Stops the side and checks every acknowledged number against what it stored. */
  finish(all: LoadResult): Promise<F>;
  /** Tears down whatever is left after a failure. */
  abort(): void;
}

const round = (x: number, decimals = 2) => Math.round(x * 10 ** decimals) / 10 ** decimals;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Duplicates and holes among acknowledged numbers, and acknowledged numbers missing in the store. */
function check(acked: number[], stored: number[]): Pick<SideFigures, 'duplicates' | 'holes' | 'lost'> {
  const unique = new Set(acked);
  const storedSet = new Set(stored);
  const max = Math.max(0, ...stored);
  let holes = 0;
  for (let n = 1; n <= max; n++) if (!storedSet.has(n)) holes++;
  let lost = 0;
  for (const n of unique) if (!storedSet.has(n)) lost++;
  return { duplicates: acked.length - unique.size + (stored.length - storedSet.size), holes, lost };
}

function figures(r: LoadResult, c: Pick<SideFigures, 'duplicates' | 'holes' | 'lost'>): SideFigures {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return {
    perSec: Math.round(r.latencies.length / (r.elapsedMs / 1000)),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    count: r.numbers.length,
    ...c,
  };
}

/**
 * What one durable commit costs on this disk, measured beside the load: append 4 KB to a
 * file in the benchmark's temp directory and fdatasync it, as a WAL commit does. With C
 * clients each waiting for its own reply, no allocator on this disk can exceed about
 * C / (fsync + round trip) allocations per second unless several clients share an fsync.
 */
function diskFsync(samples = 300): { p50Ms: number; p99Ms: number } {
  const dir = mkdtempSync(join(tmpdir(), 'comboio-fsync-'));
  try {
    const fd = openSync(join(dir, 'probe'), 'w');
    const page = Buffer.alloc(4096, 7);
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      writeSync(fd, page);
      fdatasyncSync(fd);
      times.push(performance.now() - t0);
    }
    closeSync(fd);
    times.sort((a, b) => a - b);
    return { p50Ms: round(percentile(times, 50), 3), p99Ms: round(percentile(times, 99), 3) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function comboioSide(clients: number, log: (l: string) => void): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), 'comboio-bench-'));
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'comboio.js'), 'server', '--data', dir, '--port', '0', '--host', '127.0.0.1', '--demo'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const abort = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const { port, code } = await new Promise<{ port: number; code: string }>((ok, fail) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = out.match(/ouvindo em wss?:\/\/[^:]+:(\d+)[\s\S]*Código de cadastro[^:]*: (\S+)/);
        if (m) ok({ port: Number(m[1]), code: m[2]! });
      });
      child.once('exit', (code) => fail(new Error(`servidor LAN terminou (${code}) antes de abrir a porta`)));
    });
    const series: SeriesKey = { cnpj: '11222333000181', model: 55, serie: 1 };
    // One enrolled station (TLS, pinned), every client signed in as the demo administrator.
    const url = `wss://127.0.0.1:${port}`;
    const station = await enrollStation({ url, code, workstation: 'BENCH' });
    const conns: NumberingClient[] = await Promise.all(
      Array.from({ length: clients }, () => connectUser({ url, station: station.credential, pin: station.pin, login: 'admin', password: 'admin123' })),
    );
    await conns[0]!.createSeries({ ...series, emissaoPropria: true, description: 'benchmark' });
    // Order and request ids as the product mints them (time-ordered, see shared/ids); the
    // PostgreSQL side gets the same kind of keys.
    const workers = conns.map((c) => async () => (await c.allocate({ series, orderId: newId(), suggested: null })).number);
    return {
      run: (seconds, warmupMs) => {
        log(`Comboio: ${clients} clientes alocando na mesma série por ${seconds}s…`);
        return runLoad(workers, seconds, warmupMs);
      },
      async finish(all) {
        try {
          await Promise.all(conns.map((c) => c.close()));
          child.kill('SIGTERM');
          await new Promise((ok) => child.once('exit', ok));
          const db = new Database(join(dir, SERVER_DB_FILE), { readonly: true });
          const stored = (db.prepare('SELECT number FROM numbers').all() as { number: number }[]).map((x) => x.number);
          db.close();
          return figures(all, check(all.numbers, stored));
        } finally {
          abort();
        }
      },
      abort,
    };
  } catch (err) {
    abort();
    throw err;
  }
}

async function postgresSide(clients: number, log: (l: string) => void): Promise<Side<SideFigures & { version: string }>> {
  const cluster = await startPgCluster(log);
  try {
    const setup = await PgConnection.connect(cluster.port, 'bench', 'postgres');
    await setup.query(`
      CREATE TABLE series (id int PRIMARY KEY, next_number bigint NOT NULL);
      CREATE TABLE allocation_log (
        series_id int NOT NULL, number bigint NOT NULL, order_id text NOT NULL, request_id text NOT NULL UNIQUE,
        usr text NOT NULL, workstation text NOT NULL, ip text NOT NULL, allocated_at timestamptz NOT NULL,
        PRIMARY KEY (series_id, number));
      INSERT INTO series VALUES (1, 1);`);
    const conns = await Promise.all(Array.from({ length: clients }, () => PgConnection.connect(cluster.port, 'bench', 'postgres')));
    // One statement, one round trip, one commit: the cheapest correct form of the row counter.
    const workers = conns.map((c, w) => async () => {
      const rows = await c.query(
        `WITH n AS (UPDATE series SET next_number = next_number + 1 WHERE id = 1 RETURNING next_number - 1 AS num)
         INSERT INTO allocation_log SELECT 1, num, '${newId()}', '${newId()}', 'bench', 'BENCH${w + 1}', '127.0.0.1', now() FROM n RETURNING number`,
      );
      return Number(rows[0]![0]);
    });
    return {
      run: (seconds, warmupMs) => {
        log(`PostgreSQL (${cluster.version}): ${clients} conexões, UPDATE … RETURNING + insert do registro, fsync ligado, por ${seconds}s…`);
        return runLoad(workers, seconds, warmupMs);
      },
      async finish(all) {
        try {
          const stored = (await setup.query('SELECT number FROM allocation_log')).map((row) => Number(row[0]));
          for (const c of conns) c.close();
          setup.close();
          return { ...figures(all, check(all.numbers, stored)), version: cluster.version };
        } finally {
          cluster.stop();
        }
      },
      abort: () => cluster.stop(),
    };
  } catch (err) {
    cluster.stop();
    throw err;
  }
}

/**
 * Both sides run on the same machine, one at a time, in the order A B B A (Comboio,
 * PostgreSQL, PostgreSQL, Comboio), each round half of `seconds`: a host that slows down
 * or speeds up steadily during the run (shared disks, noisy neighbours — it moves by 2× within
 * an hour on the VMs this was written on) weighs on both sides alike instead of on whichever
 * happened to run second. Figures are over all of a side's rounds.
 */
async function abba(clients: number, seconds: number, log: (l: string) => void) {
  const comboio = await comboioSide(clients, log);
  let postgres: Awaited<ReturnType<typeof postgresSide>>;
  try {
    postgres = await postgresSide(clients, log);
  } catch (err) {
    comboio.abort();
    throw err;
  }
  try {
    const half = seconds / 2;
    const c1 = await comboio.run(half, FIRST_WARMUP_MS);
    const p1 = await postgres.run(half, FIRST_WARMUP_MS);
    const p2 = await postgres.run(half, ROUND_WARMUP_MS);
    const c2 = await comboio.run(half, ROUND_WARMUP_MS);
    const perSec = (r: LoadResult) => Math.round(r.latencies.length / (r.elapsedMs / 1000));
    const rounds = { comboio: [perSec(c1), perSec(c2)], postgres: [perSec(p1), perSec(p2)] };
    return { comboio: await comboio.finish(merge([c1, c2])), postgres: await postgres.finish(merge([p1, p2])), rounds };
  } catch (err) {
    comboio.abort();
    postgres.abort();
    throw err;
  }
}

export const numberingBench: Command = {
  name: 'numbering',
  summary: 'Alocações duráveis/s do servidor LAN vs. contador em linha no PostgreSQL',
  usage: `Uso: comboio bench numbering [--clients 8] [--seconds 10] [--json]

  Mede alocações duráveis por segundo (p50/p99) com N clientes na mesma série, contra um
  alocador de contador em linha no PostgreSQL (UPDATE … RETURNING + insert, fsync ligado)
  no mesmo teste. Instala/inicia um PostgreSQL temporário em 127.0.0.1 e o encerra ao fim.

  --clients N   clientes simultâneos (padrão 8)
  --seconds S   tempo medido de cada lado (padrão 10, após 3 s de aquecimento), em duas rodadas na ordem
                Comboio, PostgreSQL, PostgreSQL, Comboio, para que uma variação do
                computador durante o teste pese igual nos dois lados
  --json        imprime um objeto JSON`,
  async run(argv) {
    const { values } = parseFlags(argv, { clients: { type: 'string' }, seconds: { type: 'string' }, json: { type: 'boolean' } });
    const clients = Number(values.clients ?? 8);
    const seconds = Number(values.seconds ?? 10);
    if (!Number.isInteger(clients) || clients < 1 || clients > 256) throw new UsageError('--clients deve ser um inteiro entre 1 e 256.');
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new UsageError('--seconds deve estar entre 0 e 3600.');
    const log = (l: string) => process.stderr.write(l + '\n');

    const disk = diskFsync();
    log(`Disco: append 4 KB + fdatasync p50 ${disk.p50Ms} ms, p99 ${disk.p99Ms} ms (sem carga).`);
    const { comboio, postgres, rounds } = await abba(clients, seconds, log);
    const ratio = Math.round((comboio.perSec / Math.max(1, postgres.perSec)) * 100) / 100;
    const ok = comboio.duplicates === 0 && comboio.holes === 0 && comboio.lost === 0;

    if (values.json) {
      const side = (s: SideFigures) => ({ perSec: s.perSec, p50Ms: s.p50Ms, p99Ms: s.p99Ms, count: s.count, duplicates: s.duplicates, holes: s.holes, lost: s.lost });
      process.stdout.write(
        JSON.stringify({
          clients,
          seconds,
          comboio: side(comboio),
          postgres: { ...side(postgres), version: postgres.version },
          ratio,
          rounds,
          duplicates: comboio.duplicates,
          holes: comboio.holes,
          lost: comboio.lost,
          disk: { fsyncP50Ms: disk.p50Ms, fsyncP99Ms: disk.p99Ms },
          target: { ratio: 2.5, p99Ms: 5, met: ratio >= 2.5 && comboio.p99Ms <= 5 },
        }) + '\n',
      );
    } else {
      const row = (label: string, a: string | number, b: string | number) => `  ${label.padEnd(22)} ${String(a).padStart(12)} ${String(b).padStart(14)}`;
      process.stdout.write(
        [
          `Numeração: ${clients} clientes, mesma série, ${seconds}s por lado (loopback, fsync ligado)`,
          row('', 'Comboio', 'PostgreSQL'),
          row('alocações/s', comboio.perSec, postgres.perSec),
          row('p50 (ms)', comboio.p50Ms, postgres.p50Ms),
          row('p99 (ms)', comboio.p99Ms, postgres.p99Ms),
          row('alocações', comboio.count, postgres.count),
          row('duplicados', comboio.duplicates, postgres.duplicates),
          row('buracos', comboio.holes, postgres.holes),
          row('confirmados perdidos', comboio.lost, postgres.lost),
          `  razão Comboio/PostgreSQL: ${ratio}× (meta ≥ 2,5×; p99 ≤ 5 ms)`,
          `  rodadas (ordem C P P C, ${seconds / 2}s cada): Comboio ${rounds.comboio.join(' e ')}/s; PostgreSQL ${rounds.postgres.join(' e ')}/s`,
          `  disco (sem carga): fdatasync de 4 KB p50 ${disk.p50Ms} ms, p99 ${disk.p99Ms} ms`,
          `  ${postgres.version}`,
          '',
        ].join('\n'),
      );
    }
    return ok ? 0 : 1;
  },
};
