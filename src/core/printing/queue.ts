import { EventEmitter } from 'node:events';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { Db } from '../store/open';
import { printJobs } from '../store/schema/index';
import { renderCalibrationPage } from './calibration';
import { renderDanfeEscp } from './danfe-escp';
import { renderDacteEscp } from './dacte-escp';
import { dacteFromXml } from './dacte-model';
import type { DanfeData } from './danfe-model';
import { PrintingErrors } from './errors';
import { fromSheet, sheetAt, sheetOffsets, type RenderedForm } from './form-engine';
import { loadLayout } from './layout';
import type { PrinterConfig } from './printer-config';
import type { ListPorts } from './ports';
import type { PrintersRepo } from './printers-repo';
import { sendToPrinter } from './transport';
import { logger } from '../log/index';
import { crashPoint } from '../crash-points';

export type JobState = 'queued' | 'printing' | 'done' | 'failed' | 'cancelled';
export type PrintJob = typeof printJobs.$inferSelect;

export interface EnqueueRequest {
  printer: PrinterConfig;
  kind: 'danfe' | 'dacte' | 'calibracao';
  /** The authorized nfeProc (danfe jobs) or cteProc (dacte jobs). */
  xml?: string;
  layout?: string;
  requestedBy: string;
  reprintOf?: number;
  /** The intent that queues it (a reprint): at most one job per request. */
  requestId?: string;
  /** Runs in the job's own insert transaction (the intent's step, its audit), before the queue wakes. */
  onQueued?: (job: PrintJob) => void;
}

export interface PrintQueueDeps {
  db: Db;
  clock: Clock;
  resourcesDir: string;
  printers?: PrintersRepo;
  listPorts?: ListPorts;
  /** nfeProc XML → DanfeData (refuses non-authorized documents). */
  loadDanfe(xml: string): Promise<DanfeData>;
}

export interface QueueEvents {
  job: [PrintJob];
  stall: [{ jobId: number; stalled: boolean; message: string }];
}

const TERMINAL: JobState[] = ['done', 'failed', 'cancelled'];
/** A job's state as the queue screen names it, for messages. */
const STATE_PT: Record<JobState, string> = { queued: 'na fila', printing: 'imprimindo', done: 'impresso', failed: 'com falha', cancelled: 'cancelado' };

/**
 * What the operator must do with the paper after a failed job, on every transport: once
 * any byte left, part of the form may be printed and the next try starts from the top of
 * form, so the form must be realigned first.
 */
function withPaperAdvice(reason: string, bytesSent: number, cancelled: boolean, resume?: { sheet: number; pages: number }): string {
  if (resume && resume.sheet > 1) {
    return `${reason} As folhas 1 a ${resume.sheet - 1} de ${resume.pages} foram enviadas inteiras; a folha ${resume.sheet} pode ter saído pela metade. Confira as folhas impressas, realinhe o formulário no início de uma folha nova e use "Continuar da folha ${resume.sheet}" (ou "Tentar de novo" para imprimir o formulário inteiro).`;
  }
  if (bytesSent > 0) return `${reason} Parte do formulário pode ter sido impressa: realinhe o formulário no início de uma folha nova antes de "Tentar de novo".`;
  return cancelled ? reason : `${reason} Nada foi impresso: "Tentar de novo" imprime o formulário inteiro.`;
}

/** The sheet a failed job's reason offers to go on from, if it offers. */
export function offeredResumeSheet(job: Pick<PrintJob, 'state' | 'reason'>): number | null {
  if (job.state !== 'failed' && job.state !== 'cancelled') return null;
  const m = /"Continuar da folha (\d+)"/.exec(job.reason ?? '');
  return m ? Number(m[1]) : null;
}

/** The reason a queued job carries when it resumes at a sheet (read back by print()). */
const resumeReason = (sheet: number, pages: number) => `Continuar da folha ${sheet} de ${pages}.`;
const RESUME_SHEET = /^Continuar da folha (\d+) de \d+\./;

/**
 * The workstation's print queue, persisted in the store. Jobs run one at a time in order.
 * A job interrupted by a crash or shutdown is not re-sent blindly (half a DANFE is already
 * on the form): it becomes failed with that reason and the operator retries it after
 * checking the paper. Queued jobs resume when the queue starts again.
 */
const printLog = logger('impressao');
/** One log line per finished print job (done, failed or cancelled). */
function logJobEnd(job: PrintJob): void {
  const fields = { job: job.id, kind: job.kind, layout: job.layout, printer: job.printerName, documentKey: job.documentKey, pages: job.pages, attempts: job.attempts, reasonCode: job.reasonCode };
  if (job.state === 'done') printLog.info('impressão concluída', fields);
  else printLog.warn(`impressão ${job.state === 'cancelled' ? 'cancelada' : 'falhou'}`, { ...fields, reason: job.reason });
}

export class PrintQueue extends EventEmitter<QueueEvents> {
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private current: { id: number; abort: AbortController } | undefined;

  constructor(private readonly deps: PrintQueueDeps) {
    super();
  }

  private now = () => this.deps.clock.now().toISOString();

  private update(id: number, set: Partial<PrintJob>): PrintJob {
    const row = this.deps.db.update(printJobs).set(set).where(eq(printJobs.id, id)).returning().get();
    if (set.state && TERMINAL.includes(set.state)) logJobEnd(row);
    this.emit('job', row);
    return row;
  }

  get(id: number): PrintJob {
    const row = this.deps.db.select().from(printJobs).where(eq(printJobs.id, id)).get();
    if (!row) throw new AppError(PrintingErrors.JOB_NOT_FOUND, `Trabalho de impressão ${id} não encontrado.`);
    return row;
  }

  /** The job a request queued, if it did. */
  byRequest(requestId: string): PrintJob | undefined {
    return this.deps.db.select().from(printJobs).where(eq(printJobs.requestId, requestId)).get();
  }

  list(opts: { limit?: number; state?: JobState } = {}): PrintJob[] {
    const q = this.deps.db.select().from(printJobs);
    const filtered = opts.state ? q.where(eq(printJobs.state, opts.state)) : q;
    return filtered.orderBy(desc(printJobs.id)).limit(opts.limit ?? 100).all();
  }

  /** Renders the job as it will print now (current calibration of a named printer). */
  async render(job: Pick<PrintJob, 'kind' | 'layout' | 'sourceXml' | 'printerName'>, printer: PrinterConfig): Promise<RenderedForm> {
    const layout = loadLayout(this.deps.resourcesDir, job.layout);
    if (job.kind === 'calibracao') return renderCalibrationPage(layout, printer.name, printer.calibration);
    if (!job.sourceXml) throw new AppError(PrintingErrors.INVALID_DOCUMENT, 'Trabalho de DANFE/DACTE sem XML.');
    if (job.kind === 'dacte') return renderDacteEscp(dacteFromXml(job.sourceXml), layout, printer.calibration);
    return renderDanfeEscp(await this.deps.loadDanfe(job.sourceXml), layout, printer.calibration);
  }

  /** Validates (renders) first, so a bad XML or layout is refused now, not at the printer. */
  async enqueue(req: EnqueueRequest): Promise<PrintJob> {
    const layout = req.layout ?? (req.kind === 'calibracao' ? 'calibracao' : req.kind === 'dacte' ? 'dacte-continuo' : 'danfe-continuo');
    let documentKey: string | null = null;
    let title = 'Página de calibração';
    if (req.kind === 'danfe') {
      if (!req.xml) throw new AppError(PrintingErrors.INVALID_DOCUMENT, 'Informe o XML da NF-e.');
      const d = await this.deps.loadDanfe(req.xml);
      documentKey = d.chave;
      title = `DANFE NF-e ${d.numero} série ${d.serie}`;
    } else if (req.kind === 'dacte') {
      if (!req.xml) throw new AppError(PrintingErrors.INVALID_DOCUMENT, 'Informe o XML do CT-e.');
      const d = dacteFromXml(req.xml);
      documentKey = d.chave;
      title = `DACTE CT-e ${d.numero} série ${d.serie}`;
    }
    const rendered = await this.render({ kind: req.kind, layout, sourceXml: req.xml ?? null, printerName: req.printer.name }, req.printer);
    const insert = () =>
      this.deps.db
        .insert(printJobs)
        .values({
          printerName: req.printer.name,
          printerJson: JSON.stringify(req.printer),
          kind: req.kind,
          layout,
          documentKey,
          title,
          sourceXml: req.xml ?? null,
          state: 'queued',
          pages: rendered.pages,
          bytesTotal: rendered.bytes.length,
          requestedBy: req.requestedBy,
          requestedAt: this.now(),
          reprintOf: req.reprintOf ?? null,
          requestId: req.requestId ?? null,
        })
        .returning()
        .get();
    const row = this.deps.db.transaction(() => {
      const r = insert();
      req.onQueued?.(r);
      return r;
    });
    // A reprint's job is durable (with its intent's step) and not picked up yet.
    if (req.requestId) crashPoint('print.queued');
    this.emit('job', row);
    this.wake?.();
    return row;
  }

  /** A reprint is a new job: the original stays as it was, the new one says who and when. */
  async reprint(id: number, requestedBy: string, printer?: PrinterConfig): Promise<PrintJob> {
    const old = this.get(id);
    const req: EnqueueRequest = {
      printer: printer ?? this.printerFor(old),
      kind: old.kind,
      layout: old.layout,
      requestedBy,
      reprintOf: old.id,
    };
    if (old.sourceXml) req.xml = old.sourceXml;
    return this.enqueue(req);
  }

  retry(id: number): PrintJob {
    const job = this.get(id);
    if (job.state !== 'failed' && job.state !== 'cancelled') {
      throw new AppError(PrintingErrors.JOB_STATE, `"Tentar de novo" só vale para um trabalho com falha ou cancelado (este está ${STATE_PT[job.state]}).`);
    }
    const row = this.update(id, { state: 'queued', reason: null, reasonCode: null, bytesSent: 0, finishedAt: null });
    this.wake?.();
    return row;
  }

  /**
   * The sheet a failed job can go on from: the one that was being sent when it failed, when
   * every earlier sheet left whole (after an unplug, say). Undefined when nothing whole left.
   */
  async resumeSheet(id: number): Promise<number | undefined> {
    const job = this.get(id);
    if ((job.state !== 'failed' && job.state !== 'cancelled') || job.bytesSent <= 0 || (job.pages ?? 1) < 2) return undefined;
    const rendered = await this.render(job, this.printerFor(job));
    const sheet = sheetAt(rendered, job.bytesSent);
    return sheet > 1 && job.bytesSent < rendered.bytes.length ? sheet : undefined;
  }

  /**
   * Requeues a failed job from sheet `sheet` on (default: the one it failed on): the operator
   * has put the form at the top of a new sheet, and the sheets before it printed whole.
   */
  async resume(id: number, sheet?: number): Promise<PrintJob> {
    const job = this.get(id);
    if (job.state !== 'failed' && job.state !== 'cancelled') {
      throw new AppError(PrintingErrors.JOB_STATE, `"Continuar da folha" só vale para um trabalho com falha ou cancelado (este está ${STATE_PT[job.state]}).`);
    }
    const pages = (await this.render(job, this.printerFor(job))).pages;
    const from = sheet ?? (await this.resumeSheet(id));
    if (from === undefined) throw new AppError(PrintingErrors.JOB_STATE, `O trabalho ${id} não tem folhas impressas inteiras: use "Tentar de novo".`, { field: 'fromSheet' });
    if (!Number.isInteger(from) || from < 1 || from > pages) {
      throw new AppError(PrintingErrors.JOB_STATE, `Folha ${from} não existe: o trabalho ${id} tem ${pages} folha(s).`, { field: 'fromSheet' });
    }
    const row = this.update(id, { state: 'queued', reason: resumeReason(from, pages), reasonCode: PrintingErrors.RESUME_FROM_SHEET, bytesSent: 0, finishedAt: null });
    this.wake?.();
    return row;
  }

  cancel(id: number, by: string): PrintJob {
    const job = this.get(id);
    if (TERMINAL.includes(job.state)) throw new AppError(PrintingErrors.JOB_STATE, `O trabalho ${id} já terminou (${STATE_PT[job.state]}).`);
    if (this.current?.id === id) {
      this.current.abort.abort();
      return job;
    }
    return this.update(id, { state: 'cancelled', reason: `Cancelado por ${by}`, reasonCode: PrintingErrors.JOB_CANCELLED, finishedAt: this.now() });
  }

  /** Jobs left "printing" by a crash: failed with the reason; the operator decides to retry. */
  recover(): number {
    const stuck = this.deps.db.select().from(printJobs).where(eq(printJobs.state, 'printing')).all();
    for (const job of stuck) {
      this.update(job.id, {
        state: 'failed',
        reason: 'Interrompido: o programa foi fechado durante a impressão. Confira o formulário na impressora e use "Tentar de novo".',
        reasonCode: PrintingErrors.JOB_INTERRUPTED,
        finishedAt: this.now(),
      });
    }
    return stuck.length;
  }

  start(): void {
    if (this.running) return;
    this.recover();
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.current?.abort.abort();
    this.wake?.();
    await this.loop;
  }

  /** Resolves when the job reaches done, failed or cancelled. */
  waitFor(id: number): Promise<PrintJob> {
    return new Promise((ok) => {
      const check = (job?: PrintJob) => {
        const j = job && job.id === id ? job : this.get(id);
        if (TERMINAL.includes(j.state)) {
          this.off('job', onJob);
          ok(j);
        }
      };
      const onJob = (job: PrintJob) => {
        if (job.id === id) check(job);
      };
      this.on('job', onJob);
      check();
    });
  }

  private printerFor(job: PrintJob): PrinterConfig {
    return this.deps.printers?.find(job.printerName) ?? (JSON.parse(job.printerJson) as PrinterConfig);
  }

  private next(): PrintJob | undefined {
    return this.deps.db.select().from(printJobs).where(and(eq(printJobs.state, 'queued'))).orderBy(asc(printJobs.id)).limit(1).get();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const job = this.next();
      if (!job) {
        await new Promise<void>((ok) => (this.wake = ok));
        this.wake = undefined;
        continue;
      }
      await this.print(job);
    }
  }

  private async print(job: PrintJob): Promise<void> {
    const abort = new AbortController();
    this.current = { id: job.id, abort };
    const from = job.reasonCode === PrintingErrors.RESUME_FROM_SHEET ? Number(RESUME_SHEET.exec(job.reason ?? '')?.[1] ?? 1) : 1;
    this.update(job.id, { state: 'printing', startedAt: this.now(), attempts: job.attempts + 1, bytesSent: 0, reason: null, reasonCode: null });
    crashPoint('print.printing');
    let lastSaved = 0;
    let sent = 0;
    let rendered: RenderedForm | undefined;
    // bytesSent is kept as a position in the whole job, so a resumed job's progress and its
    // next resume point count the same way.
    let base = 0;
    let prefix = 0;
    const position = (n: number) => (n <= prefix ? n : base + (n - prefix));
    try {
      const printer = this.printerFor(job);
      rendered = await this.render(job, printer);
      const bytes = fromSheet(rendered, from);
      if (from > 1) {
        prefix = sheetOffsets(rendered)[0]!;
        base = sheetOffsets(rendered)[from - 1]!;
      }
      await sendToPrinter(printer.settings, bytes, {
        signal: abort.signal,
        title: from > 1 ? `${job.title} (da folha ${from})` : job.title,
        ...(this.deps.listPorts ? { listPorts: this.deps.listPorts } : {}),
        fileName: `job-${job.id}-${(job.documentKey ?? job.kind).slice(0, 44)}${from > 1 ? `-folha${from}` : ''}.prn`,
        onProgress: (n) => {
          sent = n;
          // Progress rows are for the UI; writing every chunk would hammer the store.
          if (n - lastSaved >= 4096 || n === bytes.length) {
            lastSaved = n;
            this.update(job.id, { bytesSent: position(n) });
          }
        },
        onStall: (stalled, message) => {
          this.update(job.id, { reason: stalled ? message : null });
          this.emit('stall', { jobId: job.id, stalled, message });
        },
        onPathChange: (path) => this.deps.printers?.updatePath(printer.name, path),
      });
      this.update(job.id, { state: 'done', reason: null, pages: rendered.pages, bytesTotal: rendered.bytes.length, finishedAt: this.now() });
      crashPoint('print.printed');
    } catch (err) {
      const app = err instanceof AppError ? err : undefined;
      // stop() aborts the job in flight: that is an interruption, not the operator's cancel.
      const interrupted = app?.code === PrintingErrors.JOB_CANCELLED && !this.running;
      const cancelled = app?.code === PrintingErrors.JOB_CANCELLED && !interrupted;
      const at = position(sent);
      const sheet = rendered && sent > prefix ? sheetAt(rendered, at) : undefined;
      const resume = rendered && sheet !== undefined && sheet > 1 && at < rendered.bytes.length ? { sheet, pages: rendered.pages } : undefined;
      this.update(job.id, {
        state: cancelled ? 'cancelled' : 'failed',
        reason: interrupted
          ? 'Interrompido: o programa foi fechado durante a impressão. Confira o formulário e use "Tentar de novo".'
          : withPaperAdvice(app?.message ?? `Erro inesperado: ${(err as Error)?.message ?? String(err)}`, sent, cancelled, resume),
        reasonCode: interrupted ? PrintingErrors.JOB_INTERRUPTED : (app?.code ?? 'INTERNAL'),
        // Where the job stopped, exactly: the resume point is read from it.
        bytesSent: at,
        finishedAt: this.now(),
      });
    } finally {
      this.current = undefined;
    }
  }
}
