/**
 * Crash-point injection for tests: `COMBOIO_CRASH_AT=<step>` kills this process with
 * SIGKILL (no cleanup, no flush: a power cut as far as our files are concerned) right after
 * the named step. Every step of a multi-step fiscal flow that leaves durable state behind
 * is listed here, in the order a finalize passes them, so a test can crash after each one.
 *
 * `COMBOIO_CRASH_AT=<step>#<n>` crashes the n-th time the step is reached (1 = first).
 */
export const CRASH_POINTS = [
  /** Finalize intent journaled (owner key kept), before the lock request leaves. */
  'finalize.started',
  /** Order lock granted by the LAN server and its token journaled. */
  'finalize.locked',
  /** Number allocated by the LAN server and journaled. */
  'finalize.allocated',
  /** XML built, signed and fsync'd; its file name journaled. */
  'finalize.signed',
  /** Document record + order 'faturado' + outbox row + journal step: one local transaction. */
  'finalize.committed',
  /** LAN server told the number is transmitted. */
  'finalize.transmitted',
  /** Order lock released; journal step saved. */
  'finalize.released',
  /** Outbox row marked inflight; the request has not left yet. */
  'outbox.inflight',
  /** SEFAZ's reply received; not stored yet. */
  'outbox.replied',
  /** SEFAZ's outcome stored in the outbox; the document record not updated yet. */
  'outbox.final',
  /** Outcome applied to the document record and the LAN lifecycle; journal not closed yet. */
  'finalize.outcome',
  /** Finalize journal closed. */
  'finalize.done',
  /** A fiscal event (cancelamento, CC-e) or inutilização journaled, before it is sent. */
  'event.journaled',
  /** A reprint job queued, before it is printed. */
  'print.queued',
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

function parse(spec: string | undefined): { step: CrashPoint; nth: number } | null {
  if (!spec) return null;
  const [step, nth] = spec.split('#');
  if (!(CRASH_POINTS as readonly string[]).includes(step!)) {
    throw new Error(`COMBOIO_CRASH_AT=${spec}: passo desconhecido. Passos: ${CRASH_POINTS.join(', ')}`);
  }
  const n = nth === undefined ? 1 : Number(nth);
  if (!Number.isInteger(n) || n < 1) throw new Error(`COMBOIO_CRASH_AT=${spec}: contagem inválida (use passo#N, N ≥ 1).`);
  return { step: step as CrashPoint, nth: n };
}

const armed = parse(process.env.COMBOIO_CRASH_AT);
let seen = 0;

/** Marks that `step` is durably done; dies here when the environment asks for it. */
export function crashPoint(step: CrashPoint): void {
  if (!armed || armed.step !== step || ++seen !== armed.nth) return;
  process.stderr.write(`COMBOIO_CRASH_AT: encerrando abruptamente após ${step}\n`);
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered asynchronously: make sure not one more instruction of the flow runs.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
}
