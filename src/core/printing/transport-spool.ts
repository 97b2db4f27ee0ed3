import { AppError } from '../errors';
import { PrintingErrors } from './errors';
import { DEFAULT_STALL_FAIL_MS, type SpoolSettings } from './printer-config';
import { systemSpooler, type Spooler, type SpoolJobState } from './spooler';
import { StallWatch } from './stall-watch';
import type { SendOptions } from './transport';

const DEFAULT_POLL_MS = 500;

/**
 * Hands the job to the system's print queue in RAW mode, then reads its state back until
 * the spooler has passed it to the printer. A problem the spooler reports (paper out,
 * offline, queue stopped) is shown as a stall; when it outlasts stallFailMs, or the operator
 * cancels, the spooler's job is cancelled too, so a retry never prints the form twice.
 */
export async function sendSpool(s: SpoolSettings, bytes: Buffer, opts: SendOptions = {}, spooler: Spooler = systemSpooler()): Promise<void> {
  if (opts.signal?.aborted) throw new AppError(PrintingErrors.JOB_CANCELLED, 'Impressão cancelada.');
  const jobId = await spooler.submit(s.queue, bytes, opts.title ?? 'Comboio');
  opts.onSpoolJob?.(jobId);
  // Like a serial port's buffer: the OS holds every byte now, and may have printed some.
  opts.onProgress?.(bytes.length);
  let failure: AppError | undefined;
  let wake: (() => void) | undefined;
  const fail = (err: AppError) => {
    failure ??= err;
    wake?.();
  };
  const onAbort = () => fail(new AppError(PrintingErrors.JOB_CANCELLED, 'Impressão cancelada.'));
  opts.signal?.addEventListener('abort', onAbort);
  const watch = new StallWatch({
    // Only what the spooler reports counts as a stall: a long queue is not a fault.
    warnMs: Number.MAX_SAFE_INTEGER,
    failMs: s.stallFailMs ?? DEFAULT_STALL_FAIL_MS,
    ...(opts.onStall ? { onStall: opts.onStall } : {}),
    onFail: fail,
  });
  try {
    while (!failure) {
      let st: SpoolJobState;
      try {
        st = await spooler.status(s.queue, jobId);
      } catch (err) {
        st = { state: 'pending', problem: err instanceof Error ? err.message : String(err) };
      }
      if (st.state === 'done') return;
      if (st.state === 'cancelled' || st.state === 'error') {
        fail(new AppError(PrintingErrors.SPOOLER_FAILED, st.problem));
        break;
      }
      if (st.problem) watch.report(st.problem);
      else watch.progress();
      await new Promise<void>((ok) => {
        wake = ok;
        setTimeout(ok, s.pollMs ?? DEFAULT_POLL_MS);
      });
      wake = undefined;
    }
    await spooler.cancel(s.queue, jobId).catch(() => undefined);
    throw failure!;
  } finally {
    watch.stop();
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
