import { AppError } from '../errors';
import { PrintingErrors } from './errors';

export const STALL_MESSAGE = 'Impressora sem papel ou offline';
export const STALL_CLEARED_MESSAGE = 'Impressora voltou a receber dados';

export interface StallWatchOptions {
  warnMs: number;
  /** How long the printer may hold (XOFF, CTS low) before it is reported; default warnMs. */
  holdWarnMs?: number;
  failMs: number;
  onStall?(stalled: boolean, message: string): void;
  /** Called once when the hold outlasts failMs. */
  onFail(err: AppError): void;
}

/**
 * Watches a job's progress on any transport. A printer that stops taking bytes (XOFF held,
 * paper out, a print server that stops reading) shows as no progress: after warnMs the
 * operator is told, after failMs the job fails so the caller can unblock the transport.
 */
export class StallWatch {
  private last = performance.now();
  private holdingSince: number | undefined;
  private stalled = false;
  private failed = false;
  /** What the spooler last said was wrong, if it said. */
  private reported: string | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly o: StallWatchOptions) {
    this.timer = setInterval(() => this.check(), Math.max(20, Math.min(250, o.warnMs / 2)));
  }

  private check(): void {
    const now = performance.now();
    const idle = now - this.last;
    // A hold the printer asked for is judged by its own, longer limit.
    const late = this.holdingSince !== undefined ? now - this.holdingSince >= (this.o.holdWarnMs ?? this.o.warnMs) : idle >= this.o.warnMs;
    if (!this.stalled && late) {
      this.stalled = true;
      this.o.onStall?.(true, STALL_MESSAGE);
    }
    if (!this.failed && idle >= this.o.failMs) {
      this.failed = true;
      this.o.onFail(new AppError(PrintingErrors.PRINTER_OFFLINE, `${this.reported ?? STALL_MESSAGE}: a impressora parou de receber dados por ${Math.round(idle / 1000)} s.`));
    }
  }

  /** The printer asked to hold (XOFF, CTS low) or to go on (XON, CTS high). */
  hold(on: boolean): void {
    if (on) {
      this.holdingSince ??= performance.now();
      return;
    }
    if (this.holdingSince === undefined) return;
    this.holdingSince = undefined;
    this.progress();
  }

  progress(): void {
    this.last = performance.now();
    if (this.stalled) {
      this.stalled = false;
      this.o.onStall?.(false, STALL_CLEARED_MESSAGE);
    }
  }

  /** A spooler reports the problem itself (paper out, offline): show its words. */
  report(message: string | null): void {
    if (message && message !== this.reported) {
      this.stalled = true;
      this.reported = message;
      this.o.onStall?.(true, message);
    } else if (!message && this.stalled) {
      this.reported = undefined;
      this.progress();
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
