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
  // CT-e (the freight of billed NF-e) runs on the same finalize journal (kind 'cte').
  /** Freight lock granted and journaled. */
  'cte.locked',
  /** CT-e number allocated and journaled. */
  'cte.allocated',
  /** CT-e built, signed and fsync'd; its file name journaled. */
  'cte.signed',
  /** CT-e record + NF-e marked carried + outbox row + journal step: one local transaction. */
  'cte.recorded',
  /** LAN server told the CT-e number is transmitted. */
  'cte.transmitted',
  /** Freight lock released; journal step saved. */
  'cte.released',
  /** Outcome applied (record, LAN lifecycle, print queued); journal not closed yet. */
  'cte.outcome',
  /** CT-e journal closed. */
  'cte.done',

  // Cancelamento of an NF-e (intent journal, kind 'cancel').
  /** Cancel intent journaled (justificativa, who), before anything is signed or sent. */
  'cancel.journaled',
  /** Evento signed and kept in the intent: every resume sends these same bytes. */
  'cancel.signed',
  /** SEFAZ's reply received; nothing stored yet. */
  'cancel.replied',
  /** procEventoNFe written (write-once, fsync'd) and its row stored. */
  'cancel.stored',
  /** Document record 'cancelada' with the event; the LAN server told. */
  'cancel.applied',
  /** Intent closed (audit written). */
  'cancel.done',

  // Carta de correção (intent journal, kind 'cce').
  'cce.journaled',
  /** Sequence chosen from SEFAZ's list, evento signed and kept in the intent. */
  'cce.signed',
  'cce.replied',
  'cce.stored',
  /** The event listed on the document record. */
  'cce.applied',
  'cce.done',

  // Inutilização (intent journal, kind 'inutilizacao').
  'inut.journaled',
  /** Request signed and kept in the intent. */
  'inut.signed',
  'inut.replied',
  /** procInutNFe written (write-once) and its row stored. */
  'inut.stored',
  /** The LAN server given SEFAZ's protocol: the numbers are inutilizados there. */
  'inut.applied',
  'inut.done',

  // Reprint (intent journal, kind 'reprint'); the print queue's own steps apply to every job.
  /** Reprint intent journaled (document, target, who), before the job is rendered. */
  'print.requested',
  /** The job is in the (durable) print queue, with the intent's id; audit written. */
  'print.queued',
  /** A job marked 'printing': its bytes are about to leave for the printer. */
  'print.printing',
  /** A job marked 'done'. */
  'print.printed',
  /** Reprint intent closed. */
  'print.done',

  // XML import (intent journal, kind 'import').
  /** Import intent journaled with the file's bytes. */
  'import.journaled',
  /** The LAN server accepted the number as used by this imported NF-e. */
  'import.validated',
  /** procNFe written (write-once, fsync'd). */
  'import.stored',
  /** Document record written (audit too): one local transaction. */
  'import.recorded',
  'import.done',
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
