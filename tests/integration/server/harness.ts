import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { connectUser, enrollStation, type Enrollment, type NumberingClient, type NumberingClientOptions, type SeriesKey } from '../../../src/core/numbering/index';
import { repoRoot, runComboio, spawnComboio, type Proc } from '../../helpers/proc';

const WORKER = join(repoRoot, 'tests', 'integration', 'server', 'client-worker.ts');

export interface ServerProcess {
  proc: Proc;
  port: number;
  url: string;
  dataDir: string;
}

/** `comboio server --demo` (admin/admin123) as its own process; resolves once it prints its port. */
export async function startServerProcess(dataDir: string, port = 0, extra: string[] = []): Promise<ServerProcess> {
  const proc = spawnComboio(['server', '--data', dataDir, '--port', String(port), '--host', '127.0.0.1', '--demo', ...extra]);
  const m = await proc.waitFor(/Servidor LAN ouvindo em (wss?):\/\/[^:]+:(\d+)/, 60_000);
  await proc.waitFor(/Código de cadastro/);
  // A server that dies on its own (not killed by the test) must say why in the test log.
  void proc.exited.then((code) => {
    if (code !== null && code !== 0) process.stderr.write(`comboio server exited ${code}:\n${proc.stderr()}\n`);
  });
  return { proc, port: Number(m[2]), url: `${m[1]}://127.0.0.1:${m[2]}`, dataDir };
}

export const USER_PASSWORD = 'senha-de-teste';

/** Enrolls a station with a code from `comboio server code` (the real CLI, against the running server). */
export async function enrollProcessStation(srv: ServerProcess, workstation: string): Promise<Enrollment> {
  const r = await runComboio(['server', 'code', '--data', srv.dataDir]);
  const code = r.stdout.match(/Código de cadastro[^:]*: (\S+)/)?.[1];
  if (!code) throw new Error(`comboio server code: ${r.stdout}${r.stderr}`);
  return enrollStation({ url: srv.url, code, workstation });
}

/** A user's connection on `workstation` (the user is created by the demo admin when missing). */
export async function userConnection(
  srv: ServerProcess,
  workstation: string,
  login: string,
  opts: Partial<NumberingClientOptions> = {},
  roles: ('faturista' | 'administrador')[] = ['faturista'],
): Promise<NumberingClient & { station: Enrollment }> {
  const station = await enrollProcessStation(srv, workstation);
  await ensureUsers(srv, station, [login], roles);
  const c = await connectUser({ url: srv.url, station: station.credential, pin: station.pin, login, password: login === 'admin' ? 'admin123' : USER_PASSWORD, ...opts });
  return Object.assign(c, { station });
}

export async function ensureUsers(srv: ServerProcess, station: Enrollment, logins: string[], roles: ('faturista' | 'administrador')[] = ['faturista']): Promise<void> {
  const wanted = logins.filter((l) => l !== 'admin');
  if (wanted.length === 0) return;
  const admin = await connectUser({ url: srv.url, station: station.credential, pin: station.pin, login: 'admin', password: 'admin123' });
  try {
    const existing = new Set((await admin.call('users.list', {})).map((u) => u.login));
    for (const login of wanted) {
      if (!existing.has(login)) await admin.call('users.save', { login, name: login, roles, active: true, password: USER_PASSWORD });
    }
  } finally {
    await admin.close();
  }
}

export interface WorkerProc {
  lines: string[];
  done: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

/** A client workstation as a separate Node process (tsx), see client-worker.ts. */
export function startWorker(mode: 'alloc' | 'lock', cfg: Record<string, unknown>): WorkerProc {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, mode, JSON.stringify(cfg)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters) w();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  void done.then((code) => {
    if (code !== 0 && code !== null) process.stderr.write(`worker exited ${code}: ${err}\n`);
  });
  return {
    lines,
    done,
    kill: (signal = 'SIGKILL') => void child.kill(signal),
    waitFor(re, timeoutMs = 60_000) {
      return new Promise((ok, fail) => {
        const check = () => {
          for (const l of lines) {
            const m = l.match(re);
            if (m) {
              waiters.delete(check);
              clearTimeout(t);
              return ok(m);
            }
          }
        };
        const t = setTimeout(() => fail(new Error(`worker timeout waiting ${re}: ${err}`)), timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

export interface Ack {
  series: number;
  number: number;
  replayed: boolean;
  attempts: number;
}

export function acks(workers: WorkerProc[]): Ack[] {
  return workers.flatMap((w) =>
    w.lines
      .filter((l) => l.startsWith('A '))
      .map((l) => {
        const [, s, n, r, a] = l.split(' ');
        return { series: Number(s), number: Number(n), replayed: r === '1', attempts: Number(a) };
      }),
  );
}

/** Numbers stored per series, read straight from the server's SQLite file (server stopped). */
export function storedNumbers(dbFile: string, series: SeriesKey[]): number[][] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return series.map(
      (s) =>
        (
          db
            .prepare('SELECT n.number FROM numbers n JOIN series s ON s.id = n.series_id WHERE s.cnpj = ? AND s.model = ? AND s.serie = ? ORDER BY n.number')
            .all(s.cnpj, s.model, s.serie) as { number: number }[]
        ).map((r) => r.number),
    );
  } finally {
    db.close();
  }
}

/** Duplicates, holes and acknowledged-but-missing numbers of one series. */
export function audit(acked: number[], stored: number[]) {
  const ackSet = new Set(acked);
  const storedSet = new Set(stored);
  const max = stored.length ? stored[stored.length - 1]! : 0;
  let holes = 0;
  for (let n = 1; n <= max; n++) if (!storedSet.has(n)) holes++;
  let lost = 0;
  for (const n of ackSet) if (!storedSet.has(n)) lost++;
  return { duplicates: acked.length - ackSet.size, holes, lost, unacknowledged: stored.length - ackSet.size };
}
