import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';

/** A virtual null-modem cable: the app opens `app`, the test plays the printer on `printer`. */
export interface PtyPair {
  app: string;
  printer: string;
  proc: ChildProcess;
  /** Unplugs the cable (SIGKILL, as a yanked USB adapter gives no goodbye). */
  kill(): Promise<void>;
}

export async function socatPair(dir: string, name = 'pty'): Promise<PtyPair> {
  const app = join(dir, `${name}-app`);
  const printer = join(dir, `${name}-printer`);
  const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${app}`, `pty,raw,echo=0,link=${printer}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((ok) => proc.once('exit', () => ok()));
  const deadline = Date.now() + 5000;
  while (!(/starting data transfer loop/.test(log) && existsSync(app) && existsSync(printer))) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`socat did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    app,
    printer,
    proc,
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** The "printer" end: collects every byte and can send XOFF/XON like a printer out of paper. */
export interface FakePrinter {
  port: SerialPort;
  received(): Buffer;
  xoff(): Promise<void>;
  xon(): Promise<void>;
  /** Resolves once at least `n` bytes have arrived. */
  waitForBytes(n: number, timeoutMs?: number): Promise<void>;
  /**
   * Behaves like a printer with a `bufferBytes` buffer: XOFF when it is full, XON after
   * `holdMs` of "printing" it. Returns how many holds it made so far.
   */
  printLike(bufferBytes: number, holdMs: number): () => number;
  /** Stops reading, as a printer that takes no more bytes without saying XOFF. */
  stopReading(): void;
  resumeReading(): void;
  close(): Promise<void>;
}

export async function openFakePrinter(path: string): Promise<FakePrinter> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((ok, fail) => port.open((e) => (e ? fail(e) : ok())));
  const chunks: Buffer[] = [];
  let size = 0;
  const waiters = new Set<() => void>();
  port.on('data', (d: Buffer) => {
    chunks.push(d);
    size += d.length;
    for (const w of waiters) w();
  });
  port.on('error', () => undefined);
  const send = (byte: number) => new Promise<void>((ok, fail) => port.write(Buffer.from([byte]), (e) => (e ? fail(e) : port.drain(() => ok()))));
  return {
    port,
    received: () => Buffer.concat(chunks, size),
    xoff: () => send(0x13),
    xon: () => send(0x11),
    waitForBytes(n, timeoutMs = 20_000) {
      return new Promise((ok, fail) => {
        const check = () => {
          if (size >= n) {
            waiters.delete(check);
            clearTimeout(timer);
            ok();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          fail(new Error(`only ${size} of ${n} bytes arrived`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    printLike(bufferBytes, holdMs) {
      let holds = 0;
      let since = size;
      let holding = false;
      const onData = () => {
        if (holding || size - since < bufferBytes) return;
        holding = true;
        holds++;
        void send(0x13).then(() =>
          setTimeout(() => {
            since = size;
            holding = false;
            void send(0x11);
          }, holdMs),
        );
      };
      port.on('data', onData);
      return () => holds;
    },
    stopReading: () => port.pause(),
    resumeReading: () => port.resume(),
    close: () => new Promise<void>((ok) => (port.isOpen ? port.close(() => ok()) : ok())),
  };
}
