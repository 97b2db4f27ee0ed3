import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultSchemasDir } from '../../src/core/fiscal/settings';

export const repoRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const comboioBin = join(repoRoot, 'bin', 'comboio.js');
/** The official schema packages: COMBOIO_SCHEMAS (set by scripts/test.sh), else ../shared/schemas. */
export const schemasDir = defaultSchemasDir();

export interface Proc {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `re` in stdout+stderr, rejects on exit or timeout. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `comboio <args>` as its own process (a real LAN server, simulator, web host…). */
export function spawnComboio(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Proc {
  const child = spawn(process.execPath, [comboioBin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) w();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of waiters) w();
  });
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(re, timeoutMs = 20_000) {
      return new Promise((ok, fail) => {
        const check = () => {
          const m = (out + err).match(re);
          if (m) {
            cleanup();
            ok(m);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          fail(new Error(`timeout waiting for ${re}; output:\n${out}\n${err}`));
        }, timeoutMs);
        void exited.then((code) => {
          if (!(out + err).match(re)) {
            cleanup();
            fail(new Error(`process exited (${code}) before ${re}; output:\n${out}\n${err}`));
          }
        });
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

/** Runs `comboio <args>` to completion. */
export async function runComboio(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const p = spawnComboio(args, opts);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}
