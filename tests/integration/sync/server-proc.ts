import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { enrollStation, type StationCredential } from '../../../src/core/numbering/index';
import { repoRoot, runComboio, spawnComboio, type Proc } from '../../helpers/proc';

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

export interface ServerProc {
  proc: Proc;
  url: string;
  dataDir: string;
}

/** Enrolls a station with a one-time code from `comboio server code`; returns what a worker needs. */
export async function enroll(srv: ServerProc, name: string): Promise<{ station: StationCredential; pin: string | null }> {
  const r = await runComboio(['server', 'code', '--data', srv.dataDir]);
  const code = r.stdout.match(/Código de cadastro[^:]*: (\S+)/)?.[1];
  if (!code) throw new Error(`comboio server code: ${r.stdout}${r.stderr}`);
  const e = await enrollStation({ url: srv.url, code, workstation: name });
  return { station: e.credential, pin: e.pin };
}

/** `comboio server` as its own process on loopback. */
export async function startServer(dataDir: string, port: number, extra: string[] = []): Promise<ServerProc> {
  // Explicit heartbeat/grace: the CLI's defaults are read as milliseconds (reported to the lead).
  const proc = spawnComboio(['server', '--data', dataDir, '--port', String(port), '--host', '127.0.0.1', '--heartbeat', '5', '--lock-grace', '30', ...extra]);
  const [, url] = await proc.waitFor(/ouvindo em (\S+)/, 30_000);
  await proc.waitFor(/Código de cadastro/);
  return { proc, url: url!, dataDir };
}

export interface WorkerProc {
  child: ChildProcess;
  output(): string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

/** The workstation worker (worker.ts) as a separate process. */
export function startWorker(args: Record<string, string>): WorkerProc {
  const argv = Object.entries(args).flatMap(([k, v]) => [`--${k}`, v]);
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'tests', 'integration', 'sync', 'worker.ts'), ...argv], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  return {
    child,
    output: () => out,
    exited,
    waitFor(re, timeoutMs = 60_000) {
      return new Promise((ok, fail) => {
        const check = () => {
          const m = out.match(re);
          if (m) {
            done();
            ok(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          fail(new Error(`worker: timeout waiting for ${re}; output:\n${out.slice(-3000)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        void exited.then((code) => {
          if (!out.match(re)) {
            done();
            fail(new Error(`worker exited (${code}) before ${re}; output:\n${out.slice(-3000)}`));
          }
        });
        waiters.add(check);
        check();
      });
    },
  };
}
