import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors';
import { logger } from '../log/index';
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
const PROBLEM = /not responding|unable to|offline|media-empty|paper|waiting for printer|busy; will retry|refused|stopped|disabled|jam|cover|may not exist/i;

/** What CUPS's backends and scheduler say (always in English under LC_ALL=C), in Portuguese. */
const CUPS_WORDS: [RegExp, string][] = [
  [/The printer is not responding/i, 'a impressora não responde'],
  [/The printer may not exist or is unavailable/i, 'a impressora pode não existir ou estar indisponível'],
  [/Unable to (connect|locate)/i, 'não foi possível conectar à impressora'],
  [/Connection refused/i, 'a impressora recusou a conexão'],
  [/media-empty|out of paper|paper out/i, 'impressora sem papel'],
  [/offline/i, 'impressora offline'],
  [/jam/i, 'papel atolado'],
  [/cover.*open|door.*open/i, 'tampa aberta'],
  [/Paused|stopped|disabled/i, 'fila pausada'],
];
const REASONS: Record<string, string> = {
  'job-aborted-by-system': 'o sistema de impressão abortou o trabalho',
  'aborted-by-system': 'o sistema de impressão abortou o trabalho',
  'document-format-error': 'formato do documento recusado',
  'document-unprintable-error': 'documento não imprimível',
  'job-canceled-by-user': 'cancelado por um usuário',
  'job-canceled-by-operator': 'cancelado pelo operador da fila',
  'job-canceled-at-device': 'cancelado na impressora',
  'printer-stopped': 'impressora parada',
};

/** CUPS's message in Portuguese; an unknown one is kept, quoted, after a generic reason. */
export function cupsReason(message: string | undefined, reasons: string[] = []): string {
  const m = (message ?? '').trim();
  const known = CUPS_WORDS.find(([re]) => re.test(m));
  const fromReasons = reasons.map((r) => REASONS[r]).filter(Boolean);
  const parts = [known?.[1], ...fromReasons];
  if (!known && m) parts.push(`mensagem do CUPS: "${m}"`);
  return [...new Set(parts.filter(Boolean))].join('; ') || 'sem motivo informado pelo CUPS';
}

/** IPP job-state (RFC 8011 §5.3.7) as ipptool prints it. */
type IppJobState = 'pending' | 'pending-held' | 'processing' | 'processing-stopped' | 'canceled' | 'aborted' | 'completed';

const GET_JOB = `{
  OPERATION Get-Job-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR integer job-id $job_id
  ATTR name requesting-user-name $user
  ATTR keyword requested-attributes job-state,job-state-reasons,job-printer-state-message
  DISPLAY job-state
  DISPLAY job-state-reasons
  DISPLAY job-printer-state-message
}
`;
let getJobFile: string | undefined;
const cupsLog = logger('impressao');

/** The scheduler's IPP address, as the CUPS clients find it (CUPS_SERVER host[:port], else localhost). */
function schedulerUri(queue: string): string {
  const server = process.env.CUPS_SERVER;
  const host = server && !server.startsWith('/') ? server : 'localhost';
  return `ipp://${host}/printers/${encodeURIComponent(queue)}`;
}

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
    // Out of the queue is not "printed": an aborted or cancelled job leaves it too.
    if (!waiting) return this.finalState(queue, jobId);
    const printer = await run('lpstat', ['-p', queue]);
    const [first = '', ...rest] = printer.stdout.split('\n');
    const message = rest.map((l) => l.trim()).filter(Boolean).join(' ');
    const disabled = /\bdisabled\b/.test(first);
    const printing = new RegExp(`now printing ${jobId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(first);
    if (disabled || PROBLEM.test(message)) {
      return { state: printing ? 'printing' : 'pending', problem: `Fila do sistema "${queue}" parada: ${cupsReason(message || 'disabled')}` };
    }
    return { state: printing ? 'printing' : 'pending' };
  }

  /**
   * How a job that left the queue ended, from its IPP job-state (Get-Job-Attributes through
   * ipptool, which Debian's cups package depends on): completed, aborted (a backend that
   * failed under the abort-job error policy, a filter error) or canceled outside Comboio.
   */
  async finalState(queue: string, jobId: string): Promise<SpoolJobState> {
    const n = /-(\d+)$/.exec(jobId)?.[1];
    if (!n) return { state: 'error', problem: `A fila do sistema "${queue}" deu um número de trabalho inesperado (${jobId}).` };
    if (!getJobFile) {
      getJobFile = join(mkdtempSync(join(tmpdir(), 'comboio-ipp-')), 'get-job.test');
      writeFileSync(getJobFile, GET_JOB);
    }
    let r: Run;
    try {
      r = await run('ipptool', ['-d', `job_id=${n}`, '-d', `user=${process.env.USER ?? 'comboio'}`, '-t', schedulerUri(queue), getJobFile]);
    } catch (err) {
      // Without ipptool (cups-ipp-utils) the end state cannot be read: say so in the log.
      cupsLog.warn('ipptool indisponível: fim do trabalho CUPS lido só pela fila', { queue, jobId, error: (err as Error).message });
      return { state: 'done' };
    }
    const attr = (name: string) => new RegExp(`^\\s*${name} \\([^)]*\\) = (.*)$`, 'm').exec(r.stdout)?.[1]?.trim();
    const state = attr('job-state') as IppJobState | undefined;
    const reasons = (attr('job-state-reasons') ?? '').split(',').map((x) => x.trim()).filter((x) => x && x !== 'none');
    const message = attr('job-printer-state-message');
    if (state === 'completed') return { state: 'done' };
    if (state === 'aborted') return { state: 'error', problem: `A fila do sistema "${queue}" abortou o trabalho ${jobId}: ${cupsReason(message, reasons)}.` };
    if (state === 'canceled') {
      const why = reasons.some((x) => REASONS[x]) ? cupsReason(undefined, reasons) : 'cancelado fora do Comboio, por um usuário ou pelo administrador da fila';
      return { state: 'cancelled', problem: `O trabalho ${jobId} foi cancelado na fila do sistema "${queue}" (${why}).` };
    }
    if (state) return { state: 'pending' };
    // A scheduler that keeps no job history (PreserveJobHistory No) forgets finished jobs.
    if (/not-found|not found/i.test(r.stdout + r.stderr)) {
      cupsLog.warn('trabalho CUPS sem histórico: fim lido só pela fila', { queue, jobId });
      return { state: 'done' };
    }
    return { state: 'error', problem: `Não foi possível ler o estado do trabalho ${jobId} na fila do sistema "${queue}": ${(r.stderr || r.stdout).trim().split('\n')[0] ?? `ipptool saiu com código ${r.code}`}` };
  }

  async cancel(_queue: string, jobId: string): Promise<void> {
    await run('cancel', [jobId]);
  }
}
