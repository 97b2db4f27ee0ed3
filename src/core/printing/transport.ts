import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { AppError } from '../errors';
import { PrintingErrors } from './errors';
import { DEFAULT_HOLD_WARN_MS, DEFAULT_STALL_FAIL_MS, DEFAULT_STALL_WARN_MS, type FileSettings, type PrinterSettings, type SerialSettings } from './printer-config';
import { StallWatch } from './stall-watch';
import { sendDevice } from './transport-device';
import { sendSpool } from './transport-spool';
import { sendTcp } from './transport-tcp';

export { STALL_MESSAGE } from './stall-watch';
import type { ListPorts, PortInfo } from './ports';

export interface SendOptions {
  /** Bytes the OS has accepted so far. */
  onProgress?(sent: number): void;
  /** true when the printer stops taking bytes (XOFF held, paper out), false when it resumes. */
  onStall?(stalled: boolean, message: string): void;
  /** Found the adapter on another path (replug): the caller may save it. */
  onPathChange?(path: string): void;
  signal?: AbortSignal;
  /** Used to find a replugged adapter by serial number. */
  listPorts?: ListPorts;
  /** File printers: a name for the .prn written into a folder. */
  fileName?: string;
  /** Spooler printers: the document name shown in the system's print queue. */
  title?: string;
  /** Spooler printers: the job id the spooler gave, to read its state back or cancel it. */
  onSpoolJob?(jobId: string): void;
}

/** Small enough to notice a stall within a chunk's time on the wire (~270 ms at 9600 baud). */
const CHUNK = 256;
/**
 * With XON/XOFF in software, what is already on its way when XOFF arrives still reaches the
 * printer: each chunk is drained before the next, so at most 64 bytes follow an XOFF (ESC/P
 * printers send it with ≥ 256 bytes of buffer left).
 */
const XON_CHUNK = 64;
const XOFF = 0x13;
const XON = 0x11;

/**
 * Finds the adapter again when the configured path vanished: Windows may give a
 * replugged USB-serial adapter another COM number, its serial number stays.
 */
export async function resolveSerialPath(s: SerialSettings, listPorts?: ListPorts): Promise<string> {
  if (!s.serialNumber && !s.pnpId) return s.path;
  if (!listPorts) return s.path;
  let ports: PortInfo[];
  try {
    ports = await listPorts();
  } catch {
    return s.path;
  }
  if (ports.some((p) => p.path === s.path && (!s.serialNumber || p.serialNumber === s.serialNumber))) return s.path;
  const match = ports.find((p) => (s.serialNumber && p.serialNumber === s.serialNumber) || (s.pnpId && p.pnpId === s.pnpId));
  return match ? match.path : s.path;
}

function openPort(s: SerialSettings, path: string): Promise<SerialPort> {
  return new Promise((ok, fail) => {
    const port = new SerialPort({
      path,
      baudRate: s.baudRate,
      dataBits: s.dataBits,
      parity: s.parity,
      stopBits: s.stopBits,
      // XON/XOFF is obeyed here, not by the kernel (IXON would swallow the bytes unseen): the
      // job must know that the printer asked to hold, which is not a fault, from a stall.
      xon: false,
      xoff: false,
      xany: false,
      rtscts: s.flow === 'rtscts',
      hupcl: false,
      autoOpen: false,
    });
    port.open((err) => {
      if (!err) return ok(port);
      const msg = err.message ?? String(err);
      if (/ENOENT|cannot find|File not found|No such file/i.test(msg)) {
        fail(new AppError(PrintingErrors.PORT_NOT_FOUND, `Porta serial não encontrada: ${path}. Confira o cabo/adaptador e a porta nas configurações.`));
      } else if (/EACCES|Access denied|permission/i.test(msg)) {
        fail(new AppError(PrintingErrors.PORT_OPEN_FAILED, `Sem permissão para abrir ${path} (outro programa está usando a porta?).`));
      } else {
        fail(new AppError(PrintingErrors.PORT_OPEN_FAILED, `Não foi possível abrir a porta ${path}: ${msg}`));
      }
    });
  });
}

const disconnected = (path: string) =>
  new AppError(PrintingErrors.PRINTER_DISCONNECTED, `Impressora desconectada da porta ${path} (cabo ou adaptador USB removido).`);

/**
 * Writes the job in chunks, waiting for each to leave the OS before the next. The printer's
 * XOFF/XON are read here: while it holds (XOFF, or CTS low with RTS/CTS) nothing is written
 * and the hold is only reported after holdWarnMs, since a printer holds while it prints its
 * buffer. A write the OS does not complete while nothing holds is a real stall: reported
 * after stallWarnMs. Past stallFailMs the job fails by closing the port, which unblocks the
 * pending write (forever blocked, on Windows).
 */
export async function sendSerial(s: SerialSettings, bytes: Buffer, opts: SendOptions = {}): Promise<void> {
  const path = await resolveSerialPath(s, opts.listPorts);
  if (path !== s.path) opts.onPathChange?.(path);
  const port = await openPort(s, path);
  let failure: AppError | undefined;
  let abortPending: ((err: AppError) => void) | undefined;
  let holding = false;
  let released: (() => void) | undefined;

  const abort = (err: AppError) => {
    if (failure) return;
    failure = err;
    abortPending?.(err);
    released?.();
    if (port.isOpen) port.close(() => undefined);
  };
  port.on('error', () => abort(disconnected(path)));
  port.on('close', (err?: { disconnected?: boolean }) => {
    if (err?.disconnected) abort(disconnected(path));
  });
  const onAbortSignal = () => abort(new AppError(PrintingErrors.JOB_CANCELLED, 'Impressão cancelada.'));
  opts.signal?.addEventListener('abort', onAbortSignal);
  const watch = new StallWatch({
    warnMs: s.stallWarnMs ?? DEFAULT_STALL_WARN_MS,
    holdWarnMs: s.holdWarnMs ?? DEFAULT_HOLD_WARN_MS,
    failMs: s.stallFailMs ?? DEFAULT_STALL_FAIL_MS,
    ...(opts.onStall ? { onStall: opts.onStall } : {}),
    onFail: abort,
  });
  const setHold = (on: boolean) => {
    holding = on;
    watch.hold(on);
    if (!on) released?.();
  };
  if (s.flow === 'xonxoff') {
    port.on('data', (data: Buffer) => {
      // The last flow byte of a read wins; anything else the printer sends is status we ignore.
      for (let k = data.length - 1; k >= 0; k--) {
        if (data[k] === XOFF || data[k] === XON) {
          setHold(data[k] === XOFF);
          break;
        }
      }
    });
  }
  let ctsPoll: NodeJS.Timeout | undefined;
  if (s.flow === 'rtscts') {
    // The kernel obeys CTS; reading it tells a printer's hold from a stall.
    ctsPoll = setInterval(() => {
      if (!port.isOpen) return;
      port.get((err, st) => {
        if (err || !st) {
          clearInterval(ctsPoll);
          return;
        }
        if (st.cts === holding) setHold(!st.cts);
      });
    }, 250);
  }

  const step = <T>(run: (done: (err?: Error | null, value?: T) => void) => void) =>
    new Promise<T>((ok, fail) => {
      if (failure) return fail(failure);
      abortPending = fail;
      run((err, value) => {
        abortPending = undefined;
        if (failure) return fail(failure);
        if (err) return fail(disconnected(path));
        ok(value as T);
      });
    });
  const whileHeld = () =>
    new Promise<void>((ok) => {
      if (!holding || failure) return ok();
      released = () => {
        released = undefined;
        ok();
      };
    });

  try {
    if (opts.signal?.aborted) onAbortSignal();
    const size = s.flow === 'xonxoff' ? XON_CHUNK : CHUNK;
    let sent = 0;
    for (let off = 0; off < bytes.length; off += size) {
      await whileHeld();
      const chunk = bytes.subarray(off, Math.min(bytes.length, off + size));
      await step<void>((done) => {
        port.write(chunk, (err) => done(err));
      });
      if (s.flow === 'xonxoff') await step<void>((done) => port.drain((err) => done(err)));
      sent += chunk.length;
      watch.progress();
      opts.onProgress?.(sent);
    }
    await step<void>((done) => port.drain((err) => done(err)));
  } finally {
    watch.stop();
    clearInterval(ctsPoll);
    opts.signal?.removeEventListener('abort', onAbortSignal);
    if (port.isOpen) await new Promise<void>((ok) => port.close(() => ok()));
  }
  if (failure) throw failure;
}

/** The file printer: the ESC/P stream into a folder (one .prn per job) or onto a file/device path. */
export async function sendFile(s: FileSettings, bytes: Buffer, opts: SendOptions = {}): Promise<string> {
  let target = s.path;
  const isDir = existsSync(s.path) ? statSync(s.path).isDirectory() : /[\\/]$/.test(s.path) || !/\.[a-z0-9]{1,4}$/i.test(s.path);
  if (isDir) {
    await mkdir(s.path, { recursive: true });
    target = join(s.path, opts.fileName ?? `impressao-${Date.now()}.prn`);
  }
  try {
    await writeFile(target, bytes);
  } catch (err) {
    throw new AppError(PrintingErrors.PORT_OPEN_FAILED, `Não foi possível gravar a impressão em ${target}: ${(err as Error).message}`);
  }
  opts.onProgress?.(bytes.length);
  return target;
}

/** One entry for every transport: the queue and the form engine do not care which. */
export async function sendToPrinter(s: PrinterSettings, bytes: Buffer, opts: SendOptions = {}): Promise<{ target: string }> {
  switch (s.kind) {
    case 'file':
      return { target: await sendFile(s, bytes, opts) };
    case 'tcp':
      await sendTcp(s, bytes, opts);
      break;
    case 'spool':
      await sendSpool(s, bytes, opts);
      break;
    case 'device':
      return { target: await sendDevice(s, bytes, opts) };
    default:
      await sendSerial(s, bytes, opts);
  }
  return { target: s.path };
}
