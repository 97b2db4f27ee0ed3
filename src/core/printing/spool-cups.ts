import { spawn } from 'node:child_process';
import { AppError } from '../errors';
import { PrintingErrors } from './errors';
import type { InstalledPrinter, Spooler, SpoolJobState } from './spooler';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a CUPS client command (the server is the system's, or CUPS_SERVER's). */
function run(cmd: string, args: string[], input?: Buffer): Promise<Run> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => {
      fail(
        err.code === 'ENOENT'
          ? new AppError(PrintingErrors.SPOOLER_FAILED, `O sistema de impressão CUPS não está instalado nesta estação (comando ${cmd} não encontrado).`)
          : new AppError(PrintingErrors.SPOOLER_FAILED, `Falha ao chamar ${cmd}: ${err.message}`),
      );
    });
    child.on('close', (code) => ok({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** CUPS's state message in the words an operator can act on. */
const PROBLEM = /not responding|unable to|offline|media-empty|paper|waiting for printer|busy; will retry|refused|stopped|disabled|jam|cover/i;

/**
 * CUPS through its command-line clients (lp, lpstat, cancel), which every Linux/macOS
 * workstation with printing has: `lp -o raw` passes the ESC/P bytes to the queue's backend
 * untouched.
 */
export class CupsSpooler implements Spooler {
  readonly name = 'CUPS';

  async list(): Promise<InstalledPrinter[]> {
    const names = await run('lpstat', ['-e']);
    if (names.code !== 0) return [];
    const def = await run('lpstat', ['-d']);
    const defName = /destination:\s*(\S+)/.exec(def.stdout)?.[1];
    const uris = await run('lpstat', ['-v']);
    const uriOf = new Map<string, string>();
    for (const line of uris.stdout.split('\n')) {
      const m = /^device for (\S+):\s*(\S+)/.exec(line);
      if (m) uriOf.set(m[1]!, m[2]!);
    }
    return names.stdout
      .split('\n')
      .map((n) => n.trim())
      .filter(Boolean)
      .map((name) => ({ name, isDefault: name === defName, ...(uriOf.has(name) ? { detail: uriOf.get(name)! } : {}) }));
  }

  async submit(queue: string, bytes: Buffer, title: string): Promise<string> {
    const r = await run('lp', ['-d', queue, '-o', 'raw', '-t', title.slice(0, 120)], bytes);
    const id = /request id is (\S+)/.exec(r.stdout)?.[1];
    if (r.code !== 0 || !id) {
      const why = (r.stderr || r.stdout).trim();
      if (/does not exist|not found|Unknown destination/i.test(why)) {
        throw new AppError(PrintingErrors.PRINTER_NOT_FOUND, `A impressora "${queue}" não está instalada no sistema (CUPS): ${why}`);
      }
      throw new AppError(PrintingErrors.SPOOLER_FAILED, `A fila de impressão do sistema recusou o trabalho em "${queue}": ${why || `lp saiu com código ${r.code}`}`);
    }
    return id;
  }

  async status(queue: string, jobId: string): Promise<SpoolJobState> {
    const jobs = await run('lpstat', ['-o', queue]);
    const waiting = jobs.stdout.split('\n').some((l) => l.split(/\s+/)[0] === jobId);
    if (!waiting) return { state: 'done' };
    const printer = await run('lpstat', ['-p', queue]);
    const [first = '', ...rest] = printer.stdout.split('\n');
    const message = rest.map((l) => l.trim()).filter(Boolean).join(' ');
    const disabled = /\bdisabled\b/.test(first);
    const printing = new RegExp(`now printing ${jobId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(first);
    if (disabled || PROBLEM.test(message)) {
      return { state: printing ? 'printing' : 'pending', problem: `Fila do sistema "${queue}" parada: ${message || 'impressora desativada'}` };
    }
    return { state: printing ? 'printing' : 'pending' };
  }

  async cancel(_queue: string, jobId: string): Promise<void> {
    await run('cancel', [jobId]);
  }
}
