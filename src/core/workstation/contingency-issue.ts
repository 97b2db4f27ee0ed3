import { join } from 'node:path';
import { isoWithOffset, type Clock } from '../clock';
import { AppError } from '../errors';
import { buildEpecOfNfe, NFE_TP_EMIS, resignInContingency } from '../fiscal/contingency';
import { signXml, type SigningMaterial } from '../fiscal/sign';
import { isoInUf } from '../fiscal/timezone';
import { renderDanfePdf } from '../printing/danfe-pdf';
import { danfeFromXml } from '../printing/document';
import { requiredCopies } from '../printing/contingency';
import type { ContingencyOption } from '../sefaz/contingency/engine';
import { TRANSMISSION_DEADLINE_MS } from '../sefaz/contingency/engine';
import { OPTION_LABELS } from '../sefaz/contingency/lan';
import type { ContingencyDoc, UfContingency } from '../sefaz/contingency/state';
import type { Uf } from '../sefaz/endpoints';
import { SefazErrors } from '../sefaz/errors';
import { writeFiscalFile } from '../sefaz/files';
import { svcTpEmis } from '../sefaz/svc-table';
import { printJobs } from '../store/schema/printing';
import { and, count, eq, isNull } from 'drizzle-orm';
import type { WorkstationContext } from './context';
import { writeDurable } from './durable-file';
import type { SefazRuntime, WorkstationRuntime } from './runtime';

/** A finalize that no contingency option could take: it waits (journal kept), like the seed's 105. */
export const CONTINGENCY_PENDING = 'CONTINGENCY_PENDING';

/** tpEmis 4 (EPEC) and 5 (FS-DA): issued without an authorization, transmitted when the UF returns. */
export function isOfflineContingencyKey(chave: string | null | undefined): boolean {
  const t = chave?.[34];
  return t === '4' || t === '5';
}

export interface ContingencyIssue {
  signedXml: string;
  chave: string;
  kind: 'svc' | 'epec' | 'fsda';
  /** What the faturista is told (pt-BR). */
  message: string;
}

interface Ctx {
  rt: WorkstationRuntime;
  sefaz: SefazRuntime;
  clock: Clock;
  uf: Uf;
  key: SigningMaterial;
  entry: UfContingency;
  actor: string;
}

function contingencyEntry(c: Ctx): { dhCont: string; xJust: string } {
  const raw = `Contingência: ${c.entry.reason}`.replace(/\s+/g, ' ').slice(0, 256);
  const xJust = raw.length >= 15 ? raw : `${raw} (SEFAZ fora do ar)`;
  // dhCont in the emitente's UF time, whole seconds (TDateTimeUTC), from the UF's entry.
  return { dhCont: isoInUf(new Date(Math.floor(new Date(c.entry.since).getTime() / 1000) * 1000), c.uf), xJust };
}

const now = (c: Ctx) => isoWithOffset(c.clock.now());

function deadline(c: Ctx): string {
  return isoWithOffset(new Date(new Date(c.entry.since).getTime() + TRANSMISSION_DEADLINE_MS));
}

function audit(c: Ctx, chave: string | null, action: string, detail: string): void {
  c.rt.contingency.local.audit({ at: now(c), uf: c.uf, chave, action, detail, actor: c.actor });
}

function record(c: Ctx, d: { chave: string; signed: string; kind: ContingencyDoc['kind']; origin: string; nNF: number; serie: number; cnpj: string; deadline: string | null; note: string }): void {
  c.rt.contingency.local.upsertDoc({
    chave: d.chave,
    model: 'nfe',
    uf: c.uf,
    cnpj: d.cnpj,
    serie: d.serie,
    nnf: d.nNF,
    kind: d.kind,
    state: 'pending',
    origin_chave: d.origin,
    replaced_by: null,
    signed_xml: d.signed,
    deadline: d.deadline,
    note: d.note,
    at: now(c),
  });
}

/**
 * An NF-e the faturista finalizes while its UF is in contingency: the document (signed under
 * the normal key, never sent) is rebuilt and re-signed under the key of the first option of
 * the establishment's priority order that is available — SVC when SEFAZ activated it for the
 * UF (status 107 there), EPEC when the Ambiente Nacional registers the event (136), FS-DA —
 * under the same number. "Nenhuma" (or every option out) leaves it pending: nothing was sent
 * under any key, the finalize waits and is tried again. An EPEC whose reply was lost keeps its
 * key (the event may be registered) and is asked again, never issued under another key.
 */
export async function issueNfeInContingency(
  w: WorkstationContext,
  rt: WorkstationRuntime,
  p: { signedXml: string; cnpj: string; serie: number; nNF: number; priority: ContingencyOption[]; entry: UfContingency; actor: string },
): Promise<ContingencyIssue> {
  const sefaz = rt.sefaz!;
  const c: Ctx = { rt, sefaz, clock: w.clock, uf: sefaz.config.uf as Uf, key: { certPem: sefaz.certificate.certPem, keyPem: sefaz.certificate.keyPem }, entry: p.entry, actor: p.actor };
  const base = { cnpj: p.cnpj, serie: p.serie, nNF: p.nNF };

  // A finalize resumed after a crash (or a lost EPEC reply): the key already chosen for this number stays.
  const earlier = rt.contingency.docByNumber(p.cnpj, 'nfe', p.serie, p.nNF);
  if (earlier?.signed_xml && (earlier.kind === 'epec' || earlier.kind === 'fsda' || earlier.kind === 'svc')) {
    if (earlier.kind === 'epec' && earlier.note?.startsWith('EPEC a registrar')) return registerEpec(c, earlier.signed_xml, earlier.chave, base, earlier.origin_chave ?? '');
    return { signedXml: earlier.signed_xml, chave: earlier.chave, kind: earlier.kind, message: earlier.note ?? '' };
  }

  const tried: string[] = [];
  for (const option of p.priority) {
    if (option === 'nenhuma') break;
    if (option === 'svc') {
      let st: { cStat: string; xMotivo: string };
      try {
        st = await sefaz.svc.nfe.status();
      } catch (err) {
        tried.push(`SVC sem resposta: ${(err as Error).message}`);
        continue;
      }
      if (st.cStat !== '107') {
        tried.push(`SVC: ${st.cStat} ${st.xMotivo}`);
        continue;
      }
      const tw = resignInContingency(p.signedXml, { tpEmis: svcTpEmis('nfe', c.uf), contingencia: contingencyEntry(c) }, c.key);
      record(c, { ...base, chave: tw.chave, signed: tw.signedXml, kind: 'svc', origin: tw.previousChave, deadline: null, note: 'Enviado à SVC' });
      audit(c, tw.chave, 'svc', `Chave nova ${tw.chave} (tpEmis ${tw.chave[34]}) no lugar de ${tw.previousChave}; enviada à SVC.`);
      return { signedXml: tw.signedXml, chave: tw.chave, kind: 'svc', message: 'Em contingência SVC' };
    }
    if (option === 'epec') {
      const tw = resignInContingency(p.signedXml, { tpEmis: NFE_TP_EMIS.epec, contingencia: contingencyEntry(c) }, c.key);
      // Written down before the event leaves: a crash or a lost reply resumes with this very key.
      record(c, { ...base, chave: tw.chave, signed: tw.signedXml, kind: 'epec', origin: tw.previousChave, deadline: deadline(c), note: 'EPEC a registrar' });
      try {
        return await registerEpec(c, tw.signedXml, tw.chave, base, tw.previousChave);
      } catch (err) {
        if (err instanceof AppError && err.code === CONTINGENCY_PENDING) throw err;
        c.rt.contingency.local.setDocState(tw.chave, 'failed', (err as Error).message, now(c));
        tried.push((err as Error).message);
        audit(c, tw.chave, 'indisponivel', `EPEC indisponível: ${(err as Error).message}`);
        continue;
      }
    }
    if (option === 'fsda') {
      const tw = resignInContingency(p.signedXml, { tpEmis: NFE_TP_EMIS.fsda, contingencia: contingencyEntry(c) }, c.key);
      const note = 'FS-DA: imprimir o DANFE em formulário de segurança (2 vias) e transmitir na volta';
      record(c, { ...base, chave: tw.chave, signed: tw.signedXml, kind: 'fsda', origin: tw.previousChave, deadline: deadline(c), note });
      audit(c, tw.chave, 'fsda', `FS-DA (tpEmis 5), chave nova no lugar de ${tw.previousChave}; transmitir até ${deadline(c)}.`);
      return { signedXml: tw.signedXml, chave: tw.chave, kind: 'fsda', message: `Emitida em contingência FS-DA: DANFE em formulário de segurança, 2 vias; transmissão automática na volta (até ${deadline(c)})` };
    }
  }
  audit(c, null, 'pendente', `NF-e ${p.nNF} série ${p.serie}: nenhuma contingência disponível (${tried.join('; ') || 'ordem de prioridade: Nenhuma'}).`);
  const order = p.priority.map((o) => OPTION_LABELS[o]).join(' → ');
  throw new AppError(
    CONTINGENCY_PENDING,
    `105 – Documento pendente: SEFAZ ${c.uf} em contingência e nenhuma opção disponível (ordem ${order}${tried.length ? `; ${tried.join('; ')}` : ''}). O faturamento continua sozinho quando uma opção ou a SEFAZ voltar.`,
  );
}

async function registerEpec(c: Ctx, twin: string, chave: string, base: { cnpj: string; serie: number; nNF: number }, origin: string): Promise<ContingencyIssue> {
  const evento = signXml(buildEpecOfNfe(twin, { verAplic: 'COMBOIO-1.0', dhEvento: now(c) }), 'infEvento', c.key);
  let r;
  try {
    r = await c.sefaz.epec.sendEpec(evento, chave);
  } catch (err) {
    if ((err as AppError).code === SefazErrors.SEFAZ_NO_REPLY) {
      audit(c, chave, 'epec-sem-resposta', `EPEC sem resposta do Ambiente Nacional: a mesma chave é consultada de novo (nunca outra chave para o número ${base.nNF}).`);
      throw new AppError(CONTINGENCY_PENDING, `105 – Documento pendente: o EPEC da NF-e ${base.nNF} ficou sem resposta; será enviado de novo com a mesma chave.`);
    }
    throw new AppError('EPEC_UNAVAILABLE', `EPEC sem resposta: ${(err as Error).message}`);
  }
  const cStat = r.ret.cStat;
  if (cStat !== '136' && cStat !== '135' && cStat !== '573') throw new AppError('EPEC_UNAVAILABLE', `EPEC: ${cStat} ${r.ret.xMotivo}`);
  if (r.procXml) writeFiscalFile(join(c.rt.documentsDir(), `${chave}-epec.xml`), r.procXml);
  const note = `EPEC registrado (${r.ret.nProt ?? cStat}) — enviar à SEFAZ`;
  record(c, { ...base, chave, signed: twin, kind: 'epec', origin, deadline: deadline(c), note });
  audit(c, chave, 'epec', `EPEC registrado ${cStat} protocolo ${r.ret.nProt ?? ''}; chave nova no lugar de ${origin}; transmitir até ${deadline(c)}.`);
  return { signedXml: twin, chave, kind: 'epec', message: `136 – EPEC registrado — enviar à SEFAZ quando ela voltar (até ${deadline(c)})` };
}

/**
 * The DANFE of an EPEC / FS-DA NF-e, printed from the signed document (no authorization
 * yet) with its contingency marks: through the print queue on the form printer — FS-DA in at
 * least two vias, each its own job (resumable), never more than the vias owed after a crash
 * — or as a PDF beside the XMLs.
 */
export async function printContingencyDanfe(w: WorkstationContext, rt: WorkstationRuntime, d: { chave: string; number: number; serie: number; signedXml: string; id: string }, target: 'form' | 'pdf', user: string): Promise<void> {
  const data = await danfeFromXml(d.signedXml);
  const vias = requiredCopies(data);
  if (target === 'pdf') {
    const file = join(rt.documentsDir(), `${d.chave}-danfe.pdf`);
    writeDurable(file, await renderDanfePdf(data, { resourcesDir: w.paths.resourcesDir }));
    w.audit(user, 'print.pdf', `NF-e ${d.number} série ${d.serie} em contingência → ${file}${vias > 1 ? ` (imprima ${vias} vias em formulário de segurança)` : ''}`, d.id);
    return;
  }
  const done = w.store.db.select({ n: count() }).from(printJobs).where(and(eq(printJobs.documentKey, d.chave), isNull(printJobs.reprintOf))).get()?.n ?? 0;
  const printer = rt.printers.getDefault(w.paths.dataDir);
  for (let via = done + 1; via <= vias; via++) {
    const job = await rt.printQueue.enqueue({ printer, kind: 'danfe', xml: d.signedXml, requestedBy: user });
    w.audit(user, 'print', `NF-e ${d.number} série ${d.serie} em contingência, via ${via} de ${vias}, em ${printer.name} (trabalho ${job.id})`, d.id);
  }
}

/**
 * A CT-e emitted while its UF is in contingency: the establishment's CT-e order is walked
 * before a number is taken. SVC (when SEFAZ activated it for the UF) is where the station
 * sends it — re-keyed with tpEmis 7/8 by `rekeyCteForSvc`; the station does not issue CT-e
 * EPEC yet (the CLI and the engine do), so an order without an available SVC stops with the
 * 105 message and nothing allocated, signed or sent.
 */
export async function cteContingencyPlan(rt: WorkstationRuntime, cnpj: string): Promise<{ tpEmis: number; entry: UfContingency } | null> {
  const sefaz = rt.sefaz!;
  const uf = sefaz.config.uf as Uf;
  const entry = rt.contingency.current(uf, 'cte');
  if (!entry) return null;
  const priority = await rt.contingency.priorityOf(cnpj, 'cte');
  const tried: string[] = [];
  for (const option of priority) {
    if (option === 'nenhuma') break;
    if (option === 'svc') {
      try {
        const st = await sefaz.svc.cte.status();
        if (st.cStat === '107') return { tpEmis: svcTpEmis('cte', uf), entry };
        tried.push(`SVC: ${st.cStat} ${st.xMotivo}`);
      } catch (err) {
        tried.push(`SVC sem resposta: ${(err as Error).message}`);
      }
    } else if (option === 'epec') {
      tried.push('EPEC de CT-e: emitido pela linha de comando (comboio cte send --contingencia epec), ainda não pela estação');
    }
  }
  const order = priority.map((o) => OPTION_LABELS[o]).join(' → ');
  throw new AppError(CONTINGENCY_PENDING, `105 – Documento pendente: SEFAZ ${uf} (CT-e) em contingência e nenhuma opção disponível (ordem ${order}${tried.length ? `; ${tried.join('; ')}` : ''}). Nenhum número foi usado; emita de novo quando a SVC ou a SEFAZ voltar.`);
}

/** The signed CT-e re-keyed and re-signed for the UF's SVC (same number; the normal key never left). */
export function rekeyCteForSvc(
  rt: WorkstationRuntime,
  clock: Clock,
  signedXml: string,
  plan: { tpEmis: number; entry: UfContingency },
  actor: string,
  /** The A1 of the CT-e's emitente (the group's transport company signs its own); default the establishment's. */
  signer?: { certPem: string; keyPem: string },
): { chave: string; signedXml: string } {
  const sefaz = rt.sefaz!;
  const c: Ctx = { rt, sefaz, clock, uf: sefaz.config.uf as Uf, key: signer ?? { certPem: sefaz.certificate.certPem, keyPem: sefaz.certificate.keyPem }, entry: plan.entry, actor };
  const tw = resignInContingency(signedXml, { tpEmis: plan.tpEmis, contingencia: contingencyEntry(c) }, c.key);
  rt.contingency.local.upsertDoc({ chave: tw.chave, model: 'cte', uf: c.uf, cnpj: tw.chave.slice(6, 20), serie: Number(tw.chave.slice(22, 25)), nnf: Number(tw.chave.slice(25, 34)), kind: 'svc', state: 'pending', origin_chave: tw.previousChave, replaced_by: null, signed_xml: tw.signedXml, deadline: null, note: 'Enviado à SVC', at: now(c) });
  audit(c, tw.chave, 'svc', `CT-e: chave nova ${tw.chave} (tpEmis ${tw.chave[34]}) no lugar de ${tw.previousChave}; enviado à SVC.`);
  return { chave: tw.chave, signedXml: tw.signedXml };
}
