import { AppError } from '../errors';
import { PrintingErrors } from './errors';
import type { InstalledPrinter, Spooler, SpoolJobState } from './spooler';

/**
 * The part of @thiagoelg/node-printer (the most used maintained fork of node-printer) that
 * Comboio uses: printDirect with type RAW is OpenPrinter + StartDocPrinter with the RAW
 * datatype + WritePrinter, getJob reads the spooler's JOB_INFO status flags back, setJob
 * CANCEL removes a job. It is a native addon built per ABI: electron-builder's
 * install-app-deps fetches or compiles it for Electron's ABI when the app is packaged.
 * Declared here, with the shapes of its own typings, so the Windows path compiles and is
 * tested where the optional dependency is not installed (Linux CI).
 */
export interface NodePrinterBinding {
  getPrinters(): { name: string; isDefault: boolean; options?: Record<string, string>; status?: string | string[] }[];
  printDirect(o: { data: Buffer; printer: string; type: 'RAW'; docname?: string; success(jobId: string | number): void; error(err: Error): void }): void;
  getJob(printerName: string, jobId: number): { id: number; status: string[] };
  setJob(printerName: string, jobId: number, command: 'CANCEL'): void;
}

export const NODE_PRINTER_MODULE = '@thiagoelg/node-printer';

export function loadNodePrinter(req: (id: string) => unknown): NodePrinterBinding {
  try {
    return req(NODE_PRINTER_MODULE) as NodePrinterBinding;
  } catch (err) {
    throw new AppError(
      PrintingErrors.SPOOLER_FAILED,
      `A biblioteca de impressão do Windows (${NODE_PRINTER_MODULE}) não está instalada nesta estação: reinstale o Comboio. (${(err as Error).message})`,
    );
  }
}

/** Windows job status flags that stop a job until someone acts, in the operator's words. */
const PROBLEMS: [string, string][] = [
  ['PAPEROUT', 'Impressora sem papel'],
  ['OFFLINE', 'Impressora offline'],
  ['USER-INTERVENTION', 'A impressora pede intervenção (papel, tampa ou trava)'],
  ['BLOCKED-DEVQ', 'Fila da impressora bloqueada no Windows'],
  ['ERROR', 'Erro na impressora (confira papel e cabo)'],
  ['PAUSED', 'Trabalho pausado na fila do Windows'],
];

export class WindowsSpooler implements Spooler {
  readonly name = 'Windows';
  private binding: NodePrinterBinding | undefined;

  constructor(private readonly load: () => NodePrinterBinding) {}

  private get b(): NodePrinterBinding {
    this.binding ??= this.load();
    return this.binding;
  }

  list(): Promise<InstalledPrinter[]> {
    return Promise.resolve(
      this.b.getPrinters().map((p) => {
        const detail = [p.options?.['driver-name'], p.options?.['port-name']].filter(Boolean).join(', ');
        return { name: p.name, isDefault: !!p.isDefault, ...(detail ? { detail } : {}) };
      }),
    );
  }

  submit(queue: string, bytes: Buffer, title: string): Promise<string> {
    return new Promise((ok, fail) => {
      const refused = (why: string) =>
        /not found|invalid printer|1801|OpenPrinter/i.test(why)
          ? new AppError(PrintingErrors.PRINTER_NOT_FOUND, `A impressora "${queue}" não está instalada no Windows (${why}).`)
          : new AppError(PrintingErrors.SPOOLER_FAILED, `O spooler do Windows recusou o trabalho em "${queue}": ${why}`);
      try {
        this.b.printDirect({
          data: bytes,
          printer: queue,
          type: 'RAW',
          docname: title,
          success: (jobId) => ok(String(jobId)),
          error: (err) => fail(refused(err?.message ?? String(err))),
        });
      } catch (err) {
        fail(err instanceof AppError ? err : refused((err as Error).message));
      }
    });
  }

  status(queue: string, jobId: string): Promise<SpoolJobState> {
    let flags: string[];
    try {
      flags = this.b.getJob(queue, Number(jobId)).status ?? [];
    } catch {
      // Without "keep printed documents" a job leaves the queue once the port took it.
      return Promise.resolve({ state: 'done' });
    }
    if (flags.includes('DELETED') || flags.includes('DELETING')) return Promise.resolve({ state: 'cancelled', problem: `Trabalho cancelado na fila do Windows ("${queue}").` });
    if (flags.includes('PRINTED') || flags.includes('COMPLETE')) return Promise.resolve({ state: 'done' });
    const state = flags.includes('PRINTING') ? 'printing' : 'pending';
    const problem = PROBLEMS.find(([flag]) => flags.includes(flag))?.[1];
    return Promise.resolve(problem ? { state, problem: `${problem} ("${queue}")` } : { state });
  }

  cancel(queue: string, jobId: string): Promise<void> {
    try {
      this.b.setJob(queue, Number(jobId), 'CANCEL');
    } catch {
      // Already gone from the queue.
    }
    return Promise.resolve();
  }
}
