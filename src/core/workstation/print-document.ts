import { join } from 'node:path';
import { AppError } from '../errors';
import { renderDactePdf } from '../printing/dacte-pdf';
import { dacteFromXml } from '../printing/dacte-model';
import { renderDanfePdf } from '../printing/danfe-pdf';
import { danfeFromXml } from '../printing/document';
import type { WorkstationContext } from './context';
import type { DocumentRecord } from './documents';
import { writeDurable } from './durable-file';
import type { PrintJob } from '../printing/queue';
import type { WorkstationRuntime } from './runtime';

const NAMES = { 55: { doc: 'NF-e', da: 'DANFE', kind: 'danfe' }, 57: { doc: 'CT-e', da: 'DACTE', kind: 'dacte' } } as const;

/** DANFE (NF-e) or DACTE (CT-e) as PDF, from the authorized proc XML. */
export async function documentPdf(w: WorkstationContext, d: DocumentRecord): Promise<Buffer> {
  const n = NAMES[d.model];
  if (!d.procXml) throw new AppError('NOT_AUTHORIZED', `Só é possível gerar o ${n.da} de ${d.model === 57 ? 'um CT-e autorizado' : 'uma NF-e autorizada'}.`);
  return d.model === 57
    ? renderDactePdf(dacteFromXml(d.procXml), { resourcesDir: w.paths.resourcesDir })
    : renderDanfePdf(await danfeFromXml(d.procXml), { resourcesDir: w.paths.resourcesDir });
}

/**
 * A print of an authorized document: a job on the default printer's form layout (danfe- or
 * dacte-continuo) or a PDF beside the XMLs, recorded in the audit with who asked.
 */
export async function printFiscalDocument(
  w: WorkstationContext,
  rt: WorkstationRuntime,
  d: DocumentRecord,
  target: 'form' | 'pdf',
  user: string,
  reprint: boolean,
  /** requestId: the intent that asks (the job carries it); audit false: the intent writes it. */
  opts: { requestId?: string; audit?: boolean; onQueued?: (job: PrintJob) => void } = {},
) {
  const n = NAMES[d.model];
  if (!d.procXml) throw new AppError('NOT_AUTHORIZED', `Só é possível imprimir o ${n.da} de ${d.model === 57 ? 'um CT-e autorizado' : 'uma NF-e autorizada'}.`);
  if (target === 'pdf') {
    const pdf = await documentPdf(w, d);
    const file = join(rt.documentsDir(), `${d.chave}-${n.kind}.pdf`);
    writeDurable(file, pdf);
    if (opts.audit !== false) w.audit(user, reprint ? 'print.reprint.pdf' : 'print.pdf', `${n.doc} ${d.number} série ${d.serie} → ${file}`, d.id);
    return null;
  }
  const printer = rt.printers.getDefault(w.paths.dataDir);
  const job = await rt.printQueue.enqueue({ printer, kind: n.kind, xml: d.procXml, requestedBy: user, ...(opts.requestId ? { requestId: opts.requestId } : {}), ...(opts.onQueued ? { onQueued: opts.onQueued } : {}) });
  if (opts.audit !== false) w.audit(user, reprint ? 'print.reprint' : 'print', `${n.doc} ${d.number} série ${d.serie} em ${printer.name} (trabalho ${job.id})`, d.id);
  return job;
}
