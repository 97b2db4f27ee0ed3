import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXml } from '../../../src/core/fiscal/schema-validate';
import { verifyXmlSignature } from '../../../src/core/fiscal/sign';
import { billedNfe, startOffice, waitUntil, type Client, type Office, type Station } from '../../helpers/office';
import { schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

// Two workstations, the LAN server and the SEFAZ simulator, each its own process: the
// freight of billed NF-e becomes an authorized CT-e numbered by the server (model 57).
const tmp = tempDir('comboio-cte-office-');
let office: Office;
let a: Station;
let b: Station;
let fatA: Client;
let fatB: Client;
let expA: Client;

interface SeriesOption { id: string; model: number; serie: number; suggested: number }
interface Finalized { documentId: string; number: number; status: string; message: string; chave: string }
interface Detail {
  id: string; model: number; number: number; status: string; chave: string; canCancel: boolean; cancelBlockedReason: string | null;
  events: { tpEvento: string; nSeq: number; cStat: string; texto: string }[];
  cte: { nfeChaves: string[]; canEntrega: boolean; entregaProt: string | null; canDesacordo: boolean; desacordoBlockedReason: string | null };
}

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const freight = (nfeIds: string[], s: SeriesOption) => ({
  nfeIds,
  seriesId: s.id,
  suggested: s.suggested,
  requestId: randomUUID(),
  printTo: 'none' as const,
  tomador: 'remetente' as const,
  componentes: [{ nome: 'FRETE PESO', valorCentavos: 185000 }, { nome: 'PEDAGIO', valorCentavos: 9640 }],
  icms: { cst: '00' as const, aliquota: '12' },
  rntrc: '12345678',
  placa: 'ABC1D23',
  ufPlaca: 'SP',
  motorista: { nome: 'JOAO DA SILVA', cpf: '52998224725' },
});

beforeAll(async () => {
  office = await startOffice(tmp.dir);
  a = await office.addStation('estacao-a');
  b = await office.addStation('estacao-b');
  fatA = await a.login('faturista', 'fatura123');
  fatB = await b.login('faturista', 'fatura123');
  expA = await a.login('expedicao', 'expede123');
}, 180_000);

afterAll(async () => {
  await office?.close();
  tmp.cleanup();
});

describe('CT-e from billed NF-e (two stations, real LAN server and simulator)', () => {
  let cte: Finalized;
  let firstNumber = 0;
  let nfe: { id: string; chave: string; number: number };

  it('draft: parties, cargo, litres, vehicle and the model-57 series come from the NF-e', async () => {
    nfe = await billedNfe(fatA);
    const d = await fatA.call<{ remetente: { documento: string }; destinatario: { nome: string }; cargaCentavos: number; litros: string; placa: string; series: SeriesOption[]; impedimentos: string[]; nfes: { chave: string }[] }>('cte.draft', { nfeIds: [nfe.id] });
    expect(d.impedimentos).toEqual([]);
    expect(d.nfes.map((n) => n.chave)).toEqual([nfe.chave]);
    expect(d.remetente.documento).toBe('11222333000181');
    // Homologação: SEFAZ requires this name for the destinatário of every test NF-e.
    expect(d.destinatario.nome).toBe('NF-E EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL');
    expect(d.litros).toBe('5000.0000');
    expect(d.cargaCentavos).toBeGreaterThan(0);
    expect(d.series.map((s) => s.model)).toEqual([57]);
  });

  it('two stations emit CT-e at the same moment: consecutive model-57 numbers from the server, both authorized', async () => {
    const nfeB = await billedNfe(fatB);
    const [sA, sB] = await Promise.all([fatA.call<SeriesOption[]>('billing.series', { model: 57 }), fatB.call<SeriesOption[]>('billing.series', { model: 57 })]);
    const [rA, rB] = await Promise.all([fatA.call<Finalized>('cte.emit', freight([nfe.id], sA[0]!)), fatB.call<Finalized>('cte.emit', freight([nfeB.id], sB[0]!))]);
    expect([rA.number, rB.number].sort()).toEqual([sA[0]!.suggested, sA[0]!.suggested + 1]);
    for (const r of [rA, rB]) {
      expect(r.chave.slice(20, 22)).toBe('57');
      await waitUntil(async () => (await fatA.call<Detail>('documents.get', { id: r.documentId })).status === 'autorizada', 60_000);
    }
    cte = rA;
    firstNumber = Math.min(rA.number, rB.number);
    const proc = readFileSync(join(a.dataDir, 'documentos', `${cte.chave}-procCTe.xml`), 'utf8');
    expect(validateXml(proc, { schemasDir, layout: 'PL_CTe_400', schemaFile: 'procCTe_v4.00.xsd' }).issues).toEqual([]);
    expect(verifyXmlSignature(proc).valid).toBe(true);
    expect(proc).toContain(`<infNFe><chave>${nfe.chave}</chave></infNFe>`);
    expect(proc).toContain('<vTPrest>1946.40</vTPrest>');
    expect(proc).toContain('<RNTRC>12345678</RNTRC>');
    const numbers = await waitUntil(async () => {
      const list = await fatA.call<{ model: number; number: number }[]>('documents.list', { model: 57 });
      return list.length >= 2 ? list : null;
    });
    expect(numbers.every((d) => d.model === 57)).toBe(true);
  });

  it('refuses a second CT-e for an NF-e already carried, and bad input with a pt-BR message and a stable code', async () => {
    const s = (await fatA.call<SeriesOption[]>('billing.series', { model: 57 }))[0]!;
    const again = await fatA.raw('cte.emit', freight([nfe.id], s));
    expect(again.ok).toBe(false);
    expect(again.error!.code).toBe('CONFLICT');
    expect(again.error!.message).toMatch(/já é transportada pelo CT-e/);
    const bad = await fatA.raw('cte.emit', { ...freight([nfe.id], s), rntrc: '12' });
    expect(bad.error).toMatchObject({ code: 'INVALID_INPUT', field: 'rntrc' });
    expect(bad.error!.message).toMatch(/RNTRC deve ter 8 dígitos/);
    const noValue = await fatA.raw('cte.emit', { ...freight([nfe.id], s), componentes: [{ nome: 'FRETE', valorCentavos: 0 }] });
    expect(noValue.error).toMatchObject({ code: 'INVALID_INPUT', field: 'componentes[0].valorCentavos' });
    const notArray = await fatA.raw('cte.draft', { nfeIds: 'x' });
    expect(notArray.error).toMatchObject({ code: 'INVALID_INPUT', field: 'nfeIds' });
    // The number given to the refused attempt was never allocated: the series moved by the two emitted only.
    expect(s.suggested).toBe(firstNumber + 2);
  });

  it('events: CC-e, comprovante de entrega (cancel refused while it stands), its cancellation, then the cancel', async () => {
    await fatA.call('cte.cce', { id: cte.documentId, correcoes: [{ grupo: 'compl', campo: 'xObs', valor: 'ENTREGA NO TANQUE 2' }] });
    const withEntrega = await expA.call<Detail>('cte.entrega', { id: cte.documentId, dataHora: '2026-12-07T15:30:00-03:00', documento: '123456789', nome: 'MARIA RECEBEDORA', latitude: '-22.905560', longitude: '-47.060830', imagemBase64: PNG });
    expect(withEntrega.cte.entregaProt).toMatch(/^\d{15}$/);
    expect(withEntrega.canCancel).toBe(false);
    expect(withEntrega.cancelBlockedReason).toMatch(/comprovante de entrega/);
    expect(existsSync(join(a.dataDir, 'documentos', `${cte.chave}-canhoto-1.img`))).toBe(true);
    expect(existsSync(join(a.dataDir, 'documentos', `${cte.chave}-110180-01-procEventoCTe.xml`))).toBe(true);
    const refused = await fatA.raw('cte.cancel', { id: cte.documentId, justificativa: 'frete lancado em duplicidade' });
    expect(refused.error!.code).toBe('CANCEL_WINDOW');
    const again = await expA.raw('cte.entrega', { id: cte.documentId, dataHora: '2026-12-07T15:30:00-03:00', documento: '123456789', nome: 'MARIA', imagemBase64: PNG });
    expect(again.error!.code).toBe('CONFLICT');

    const cleared = await fatA.call<Detail>('cte.entregaCancel', { id: cte.documentId });
    expect(cleared.cte.entregaProt).toBeNull();
    expect(cleared.canCancel).toBe(true);
    const cancelled = await fatA.call<Detail>('cte.cancel', { id: cte.documentId, justificativa: 'frete lancado em duplicidade' });
    expect(cancelled.status).toBe('cancelada');
    expect(cancelled.events.map((e) => e.tpEvento)).toEqual(['110110', '110180', '110181', '110111']);
    expect(cancelled.cte.canDesacordo).toBe(false);
    // Cancelled, the NF-e is free for a new CT-e.
    const d = await fatA.call<{ impedimentos: string[] }>('cte.draft', { nfeIds: [nfe.id] });
    expect(d.impedimentos).toEqual([]);
  });

  it('desacordo by the tomador (this establishment, toma 0) on an authorized CT-e', async () => {
    const list = await fatA.call<{ id: string; status: string; model: number }[]>('documents.list', { model: 57 });
    const other = list.find((x) => x.status === 'autorizada')!;
    const before = await fatA.call<Detail>('cte.get', { id: other.id });
    expect(before.cte.canDesacordo).toBe(true);
    const after = await fatA.call<Detail>('cte.desacordo', { id: other.id, observacao: 'valor do frete diverge do contratado' });
    expect(after.events.at(-1)).toMatchObject({ tpEvento: '610110', cStat: '135' });
    expect(after.cte.canDesacordo).toBe(false);
  });

  it('DACTE: PDF from documents.pdf, and a form job on the dacte-continuo layout through print.reprint', async () => {
    const list = await expA.call<{ id: string; status: string; model: number; chave: string }[]>('documents.list', { chave: cte.chave });
    expect(list.map((d) => d.model)).toEqual([57]);
    const pdf = await expA.call<{ fileName: string; base64: string }>('documents.pdf', { id: cte.documentId });
    expect(pdf.fileName).toMatch(/^DACTE-1-\d+\.pdf$/);
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const job = await expA.call<{ id: string; description: string; state: string }>('print.reprint', { documentId: cte.documentId, target: 'form' });
    const done = await waitUntil(async () => {
      const jobs = await expA.call<{ id: string; state: string }[]>('print.jobs', {});
      return jobs.find((j) => j.id === job.id && j.state === 'done');
    }, 60_000);
    expect(done).toBeTruthy();
    const audit = await expA.call<{ user: string; action: string; detail: string }[]>('print.audit', { documentId: cte.documentId });
    expect(audit.some((l) => l.user === 'expedicao' && l.action === 'print.reprint' && /CT-e \d+ série 1/.test(l.detail))).toBe(true);
  });

  it('one CT-e for two NF-e of the same delivery: both keys in infDoc, cargo is their sum', async () => {
    const [n1, n2] = [await billedNfe(fatA), await billedNfe(fatA)];
    const d = await fatA.call<{ cargaCentavos: number; litros: string; impedimentos: string[] }>('cte.draft', { nfeIds: [n1.id, n2.id] });
    expect(d.impedimentos).toEqual([]);
    expect(d.litros).toBe('10000.0000');
    const totals = await Promise.all([n1, n2].map(async (n) => (await fatA.call<{ totalCentavos: number }>('documents.get', { id: n.id })).totalCentavos));
    expect(d.cargaCentavos).toBe(totals[0]! + totals[1]!);
    const s = (await fatA.call<SeriesOption[]>('billing.series', { model: 57 }))[0]!;
    const r = await fatA.call<Finalized>('cte.emit', freight([n1.id, n2.id], s));
    const det = await waitUntil(async () => {
      const x = await fatA.call<Detail>('cte.get', { id: r.documentId });
      return x.status === 'autorizada' ? x : null;
    }, 60_000);
    expect(det.cte.nfeChaves).toEqual([n1.chave, n2.chave]);
  });

  it('CT-e 4.00 has no inutilização: a model-57 series is refused with the reason', async () => {
    const admin = await a.login('admin', 'admin123');
    const s = (await fatA.call<SeriesOption[]>('billing.series', { model: 57 }))[0]!;
    const r = await admin.raw('series.inutilizar', { id: s.id, from: s.suggested + 10, to: s.suggested + 11, justificativa: 'numeros pulados por engano' });
    expect(r.error!.code).toBe('CONFLICT');
    expect(r.error!.message).toMatch(/não tem inutilização/);
  });

  // The CT-e runs on the finalize journal: every step up to the lock's release resumes by itself.
  for (const step of ['cte.locked', 'cte.allocated', 'cte.signed', 'cte.recorded', 'cte.released'] as const) {
    it(`kill -9 right after "${step}": at restart the journal finishes the CT-e with the same number, no second one`, async () => {
      const c = await office.addStation(`crash-${step.replace('.', '-')}`, [], { COMBOIO_CRASH_AT: step });
      const fat = await c.login('faturista', 'fatura123');
      const n = await billedNfe(fat);
      const s = (await fat.call<SeriesOption[]>('billing.series', { model: 57 }))[0]!;
      const lost = await fat.raw('cte.emit', freight([n.id], s)).catch((err: Error) => ({ ok: false, error: { code: 'DROPPED', message: err.message } }));
      expect(lost.ok).toBe(false);
      await c.restart();
      const fat2 = await c.login('faturista', 'fatura123');
      const det = await waitUntil(async () => {
        const list = await fat2.call<{ id: string; model: number; number: number }[]>('documents.list', { model: 57, number: s.suggested });
        const x = list[0] ? await fat2.call<Detail>('cte.get', { id: list[0].id }) : null;
        return x && x.status === 'autorizada' && x.cte.nfeChaves.includes(n.chave) ? x : null;
      }, 60_000);
      expect(det.number).toBe(s.suggested);
      const next = (await fat2.call<SeriesOption[]>('billing.series', { model: 57 }))[0]!;
      expect(next.suggested).toBe(s.suggested + 1);
      expect(readdirSync(join(c.dataDir, 'documentos')).filter((f) => f.endsWith('-cte.xml'))).toEqual([`${det.chave}-cte.xml`]);
      // The NF-e is now carried: no second CT-e for it.
      expect((await fat2.call<{ impedimentos: string[] }>('cte.draft', { nfeIds: [n.id] })).impedimentos.join(' ')).toMatch(/já é transportada/);
    }, 120_000);
  }
});
