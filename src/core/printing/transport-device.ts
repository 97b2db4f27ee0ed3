import { readdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../errors';
import { PrintingErrors } from './errors';
import { DEFAULT_STALL_FAIL_MS, DEFAULT_STALL_WARN_MS, type DeviceSettings } from './printer-config';
import { StallWatch } from './stall-watch';
import type { SendOptions } from './transport';

const CHUNK = 1024;

/**
 * The device file behind a direct printer address: usb: is the first USB printer the kernel
 * offers (/dev/usb/lpN on Linux), usb:N that one; LPTn is \\.\LPTn on Windows and /dev/lp(n-1)
 * elsewhere. A USB printer on Windows has no device to open: it prints through the spooler.
 * COMBOIO_USB_DEVICE_DIR replaces /dev/usb (a system that puts them elsewhere; the tests).
 */
export function resolveDevicePath(path: string, platform: NodeJS.Platform = process.platform, usbDir = process.env.COMBOIO_USB_DEVICE_DIR ?? '/dev/usb'): string {
  const usb = /^usb:(\d{1,2})?$/i.exec(path);
  if (usb) {
    if (platform === 'win32' || platform === 'darwin') {
      throw new AppError(
        PrintingErrors.PORT_NOT_FOUND,
        'Neste sistema a impressora USB não tem um dispositivo para escrita direta: cadastre-a como spool:NOME (a impressora instalada no sistema).',
      );
    }
    if (usb[1] !== undefined) return `${usbDir}/lp${usb[1]}`;
    let found: string[] = [];
    try {
      found = readdirSync(usbDir).filter((n) => /^lp\d+$/.test(n));
    } catch {
      // No /dev/usb at all: no USB printer plugged in.
    }
    const first = found.sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)))[0];
    if (!first) throw new AppError(PrintingErrors.PORT_NOT_FOUND, 'Nenhuma impressora USB encontrada: confira o cabo e se a impressora está ligada.');
    return `${usbDir}/${first}`;
  }
  const lpt = /^(?:\\\\\.\\)?LPT([1-9])$/i.exec(path);
  if (lpt) return platform === 'win32' ? `\\\\.\\LPT${lpt[1]}` : `/dev/lp${Number(lpt[1]) - 1}`;
  if (/^PRN$/i.test(path)) return platform === 'win32' ? '\\\\.\\PRN' : '/dev/lp0';
  return path;
}

function openError(path: string, err: NodeJS.ErrnoException): AppError {
  if (err.code === 'ENOENT' || err.code === 'ENODEV' || err.code === 'ENXIO') {
    return new AppError(PrintingErrors.PORT_NOT_FOUND, `Impressora não encontrada em ${path}: confira o cabo e se a impressora está ligada.`);
  }
  if (err.code === 'EACCES' || err.code === 'EPERM') {
    return new AppError(PrintingErrors.PORT_OPEN_FAILED, `Sem permissão para escrever em ${path} (no Linux, o usuário precisa estar no grupo lp).`);
  }
  if (err.code === 'EBUSY') return new AppError(PrintingErrors.PORT_OPEN_FAILED, `A impressora em ${path} está em uso por outro programa.`);
  return new AppError(PrintingErrors.PORT_OPEN_FAILED, `Não foi possível abrir ${path}: ${err.code ?? err.message}`);
}

/**
 * Writes the job to the printer device in small chunks, so a printer that stops taking
 * data (paper out, offline) shows as a stall. A blocked write cannot be interrupted: the
 * job fails and the descriptor is closed, which ends the write when the device gives up.
 */
export async function sendDevice(s: DeviceSettings, bytes: Buffer, opts: SendOptions = {}): Promise<string> {
  const path = resolveDevicePath(s.path);
  if (opts.signal?.aborted) throw new AppError(PrintingErrors.JOB_CANCELLED, 'Impressão cancelada.');
  let failure: AppError | undefined;
  let rejectPending: ((err: AppError) => void) | undefined;
  const fail = (err: AppError) => {
    if (failure) return;
    failure = err;
    rejectPending?.(err);
  };
  const race = <T>(p: Promise<T>) =>
    new Promise<T>((ok, ko) => {
      if (failure) return ko(failure);
      rejectPending = ko;
      p.then(
        (v) => (failure ? ko(failure) : ok(v)),
        (err: NodeJS.ErrnoException) => ko(failure ?? err),
      ).finally(() => (rejectPending = undefined));
    });
  const onAbort = () => fail(new AppError(PrintingErrors.JOB_CANCELLED, 'Impressão cancelada.'));
  opts.signal?.addEventListener('abort', onAbort);
  const watch = new StallWatch({
    warnMs: s.stallWarnMs ?? DEFAULT_STALL_WARN_MS,
    failMs: s.stallFailMs ?? DEFAULT_STALL_FAIL_MS,
    ...(opts.onStall ? { onStall: opts.onStall } : {}),
    onFail: fail,
  });
  let fh: FileHandle | undefined;
  const opening = open(path, 'w');
  try {
    fh = await race(opening).catch((err: unknown) => {
      throw err instanceof AppError ? err : openError(path, err as NodeJS.ErrnoException);
    });
    watch.progress();
    let sent = 0;
    for (let off = 0; off < bytes.length; off += CHUNK) {
      const chunk = bytes.subarray(off, Math.min(bytes.length, off + CHUNK));
      await race(fh.write(chunk)).catch((err: unknown) => {
        throw err instanceof AppError
          ? err
          : new AppError(PrintingErrors.PRINTER_DISCONNECTED, `A impressora em ${path} parou de aceitar dados (desligada ou cabo removido): ${(err as NodeJS.ErrnoException).code ?? ''}`.trim());
      });
      sent += chunk.length;
      watch.progress();
      opts.onProgress?.(sent);
    }
  } finally {
    watch.stop();
    opts.signal?.removeEventListener('abort', onAbort);
    // An open given up on may still complete later (a device that answers late): close it then.
    if (fh) void fh.close().catch(() => undefined);
    else void opening.then((h) => h.close()).catch(() => undefined);
  }
  if (failure) throw failure;
  return path;
}
