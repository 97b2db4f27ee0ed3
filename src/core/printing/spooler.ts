import { createRequire } from 'node:module';
import { CupsSpooler } from './spool-cups';
import { loadNodePrinter, WindowsSpooler } from './spool-windows';

/** A printer installed in the operating system (Windows printers, CUPS queues). */
export interface InstalledPrinter {
  name: string;
  isDefault: boolean;
  /** Driver/port/URI as the system shows it, when it tells. */
  detail?: string;
}

export type SpoolJobState =
  | { state: 'pending' | 'printing'; problem?: string }
  | { state: 'done' }
  | { state: 'cancelled' | 'error'; problem: string };

/** The part of a print spooler Comboio uses: RAW jobs, their state, cancel, the printer list. */
export interface Spooler {
  /** "Windows" or "CUPS", for messages. */
  readonly name: string;
  list(): Promise<InstalledPrinter[]>;
  /** Submits the bytes untouched (RAW datatype / -o raw); resolves with the spooler's job id. */
  submit(queue: string, bytes: Buffer, title: string): Promise<string>;
  status(queue: string, jobId: string): Promise<SpoolJobState>;
  cancel(queue: string, jobId: string): Promise<void>;
}

let cached: Spooler | undefined;

/** The spooler of this machine: the Windows spooler through its native binding, CUPS elsewhere. */
export function systemSpooler(platform: NodeJS.Platform = process.platform): Spooler {
  if (cached) return cached;
  cached = platform === 'win32' ? new WindowsSpooler(() => loadNodePrinter(createRequire(import.meta.url))) : new CupsSpooler();
  return cached;
}
