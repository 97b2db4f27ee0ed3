import { Socket } from 'node:net';
import { AppError } from '../errors';
import { PrintingErrors } from './errors';
import type { TcpSettings } from './printer-config';
import { StallWatch } from './stall-watch';
import type { SendOptions } from './transport';

/**
 * A print server keeps its buffer full while the head is busy, so minutes may pass between
 * the last accepted byte and the end of the page: warn only after a long silence.
 */
export const TCP_DEFAULTS = { connectTimeoutMs: 5000, stallWarnMs: 15_000, stallFailMs: 120_000 } as const;
const CHUNK = 4096;

const cancelled = () => new AppError(PrintingErrors.JOB_CANCELLED, 'Impressão cancelada.');

function connectError(s: TcpSettings, err: NodeJS.ErrnoException): AppError {
  const where = `${s.host}:${s.port}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return new AppError(PrintingErrors.PRINTER_UNREACHABLE, `A impressora de rede ${where} recusou a conexão: confira se está ligada e se a porta é a 9100 (ou a do servidor de impressão).`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new AppError(PrintingErrors.PRINTER_UNREACHABLE, `Endereço da impressora de rede não encontrado: ${s.host}. Confira o nome ou use o IP.`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new AppError(PrintingErrors.PRINTER_UNREACHABLE, `Sem rota até a impressora de rede ${where}: confira o cabo de rede e o IP.`);
    default:
      return new AppError(PrintingErrors.PRINTER_UNREACHABLE, `Não foi possível conectar à impressora de rede ${where} (${err.code ?? err.message}).`);
  }
}

const dropped = (s: TcpSettings) =>
  new AppError(
    PrintingErrors.PRINTER_DISCONNECTED,
    `A impressora de rede ${s.host}:${s.port} encerrou a conexão no meio da impressão (desligada, cabo de rede ou servidor de impressão reiniciado).`,
  );

/**
 * Raw TCP (JetDirect/port 9100): connect, write with back-pressure, half-close, then wait
 * for the printer to close its side. Bytes accepted by the kernel are not printed yet (a
 * whole DANFE fits in the socket buffers), so the job ends only when the printer has read
 * everything and closed: a server that stops reading shows as a stall, as XOFF does on serial.
 */
export async function sendTcp(s: TcpSettings, bytes: Buffer, opts: SendOptions = {}): Promise<void> {
  if (opts.signal?.aborted) throw cancelled();
  const socket = new Socket();
  socket.setNoDelay(true);
  let failure: AppError | undefined;
  let rejectPending: ((err: AppError) => void) | undefined;
  const fail = (err: AppError) => {
    if (failure) return;
    failure = err;
    rejectPending?.(err);
    socket.destroy();
  };
  const wait = (run: (ok: () => void) => void) =>
    new Promise<void>((ok, ko) => {
      if (failure) return ko(failure);
      rejectPending = ko;
      run(() => {
        rejectPending = undefined;
        if (failure) ko(failure);
        else ok();
      });
    });
  const onAbort = () => fail(cancelled());
  opts.signal?.addEventListener('abort', onAbort);

  let connected = false;
  let peerClosed = false;
  const closed = new Promise<void>((ok) => socket.once('close', () => ok()));
  socket.on('error', (err: NodeJS.ErrnoException) => fail(connected ? dropped(s) : connectError(s, err)));
  socket.on('end', () => (peerClosed = true));
  socket.on('data', () => undefined);
  let watch: StallWatch | undefined;
  try {
    const connectMs = s.connectTimeoutMs ?? TCP_DEFAULTS.connectTimeoutMs;
    const timer = setTimeout(
      () => fail(new AppError(PrintingErrors.PRINTER_UNREACHABLE, `A impressora de rede ${s.host}:${s.port} não respondeu em ${Math.round(connectMs / 1000)} s: confira se está ligada e o IP.`)),
      connectMs,
    );
    try {
      await wait((ok) => socket.connect(s.port, s.host, ok));
    } finally {
      clearTimeout(timer);
    }
    connected = true;
    watch = new StallWatch({
      warnMs: s.stallWarnMs ?? TCP_DEFAULTS.stallWarnMs,
      failMs: s.stallFailMs ?? TCP_DEFAULTS.stallFailMs,
      ...(opts.onStall ? { onStall: opts.onStall } : {}),
      onFail: fail,
    });
    let sent = 0;
    for (let off = 0; off < bytes.length; off += CHUNK) {
      const chunk = bytes.subarray(off, Math.min(bytes.length, off + CHUNK));
      await wait((ok) => socket.write(chunk, () => ok()));
      sent += chunk.length;
      watch.progress();
      opts.onProgress?.(sent);
    }
    await wait((ok) => socket.end(ok));
    // The printer closes once it has read the last byte (its side of the half-close).
    await wait((ok) => {
      if (peerClosed || socket.destroyed) ok();
      else socket.once('end', ok).once('close', ok);
    });
    if (failure) throw failure;
  } finally {
    watch?.stop();
    opts.signal?.removeEventListener('abort', onAbort);
    socket.destroy();
    await closed;
  }
  if (failure) throw failure;
}
