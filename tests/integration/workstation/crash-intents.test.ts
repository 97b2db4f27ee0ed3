import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRASH_POINTS, type CrashPoint } from '../../../src/core/crash-points';
import { authorizedNfeFixture } from '../../helpers/authorized-nfe-fixture';
import { serverQuery, simQuery, stationQuery } from '../../helpers/crash-audit';
import { draftOrder, startOffice, waitUntil, type Client, type Office, type Station } from '../../helpers/office';
import { schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

// Cancelamento, CC-e, inutilização, reprint and XML import as durable intents (issue #17):
// a real LAN server, SEFAZ simulator and station, each its own process. For every named
// step of each flow the station dies (SIGKILL, via COMBOIO_CRASH_AT) right after it and is
// started again; the outcome is checked in the simulator's, the server's and the station's
// own files: registered once at SEFAZ, stored once, write-once files, numbering right.
const tmp = tempDir('comboio-crash-intents-');
const prints = join(tmp.dir, 'impressos');
let office: Office;
let st: Station;

interface Doc { id: string; chave: string; number: number; status: string; events: { tpEvento: string; nSeq: number }[] }
interface SeriesOption { id: string; suggested: number }

const stepsOf = (prefix: string) => CRASH_POINTS.filter((s) => s.startsWith(`${prefix}.`));
const docsDir = () => join(st.dataDir, 'documentos');
const simDir = () => join(tmp.dir, 'sim');

beforeAll(async () => {
  mkdirSync(prints, { recursive: true });
  office = await startOffice(tmp.dir, { lockGraceSeconds: 600 });
  st = await office.addStation('estacao-a');
  const admin = await st.login('admin', 'admin123');
  // A real transport of the product: each job is written whole to a file in this folder.
  await admin.call('printers.save', {
    id: '', name: 'Arquivo (teste)', kind: 'file', path: prints, baudRate: 9600, parity: 'none', dataBits: 8,
    flow: 'none', layout: 'danfe-continuo', dx: 0, dy: 0, serialNumber: null, isDefault: true,
  });
}, 180_000);

afterAll(async () => {
  await office?.close();
  tmp.cleanup();
});

async function billed(c: Client): Promise<Doc> {
  const order = await draftOrder(c);
  const [s] = await c.call<SeriesOption[]>('billing.series', { model: 55 });
  const r = await c.call<{ documentId: string }>('billing.finalize', { orderId: order.id, seriesId: s!.id, suggested: s!.suggested, requestId: randomUUID(), printTo: 'none' });
  return waitUntil(async () => {
    const d = await c.call<Doc>('documents.get', { id: r.documentId });
    return d.status === 'autorizada' ? d : null;
  }, 60_000);
}

/**
 * Starts the station armed to die right after `step`, runs `act` (which never gets its
 * answer), checks it died by SIGKILL, and starts it again unarmed.
 */
async function dieAfter(step: CrashPoint, login: [string, string], act: (c: Client) => Promise<unknown>): Promise<void> {
  await st.restart({ COMBOIO_CRASH_AT: step });
  const c = await st.login(...login);
  void act(c).catch(() => null);
  const died = await Promise.race([st.proc.exited.then(() => true), new Promise<false>((ok) => setTimeout(() => ok(false), 40_000))]);
  if (!died) throw new Error(`the station did not reach ${step}`);
  expect(st.proc.child.signalCode).toBe('SIGKILL');
  await st.restart();
}

const intents = (kind: string, target?: string) =>
  stationQuery<{ id: string; step: string; target: string; last_error: string | null }>(st.dataDir, `SELECT id, step, target, last_error FROM intent_journal WHERE kind = ?${target ? ' AND target = ?' : ''}`, ...(target ? [kind, target] : [kind]));
const audits = (action: string, documentId: string) => stationQuery<{ id: number }>(st.dataDir, 'SELECT id FROM audit_log WHERE action = ? AND document_id = ?', action, documentId).length;
const closed = (kind: string, target?: string) => intents(kind, target).every((r) => r.step === 'done' || r.step === 'failed');
const serverNumber = (n: number) => serverQuery<{ state: string }>(office.lan.dataDir, 'SELECT state FROM numbers WHERE number = ?', n);

describe('cancelamento: killed right after each step', () => {
  it.each(stepsOf('cancel'))('after %s: registered once at SEFAZ, stored once, the number cancelled', async (step) => {
    const fat = await st.login('faturista', 'fatura123');
    const d = await billed(fat);
    await dieAfter(step, ['faturista', 'fatura123'], (c) => c.raw('documents.cancel', { id: d.id, justificativa: 'Pedido cancelado pelo cliente antes da saida' }));
    const fat2 = await st.login('faturista', 'fatura123');
    const after = await waitUntil(async () => {
      const x = await fat2.call<Doc>('documents.get', { id: d.id });
      return x.status === 'cancelada' && closed('cancel', d.chave) ? x : null;
    }, 30_000, 200);
    // SEFAZ: one cancelamento. The station: one row, one write-once file, one event on the record.
    const atSefaz = simQuery<{ n_prot: string }>(simDir(), "SELECT n_prot FROM events WHERE chave = ? AND tp_evento = '110111'", d.chave);
    expect(atSefaz).toHaveLength(1);
    const rows = stationQuery<{ state: string; n_prot: string }>(st.dataDir, "SELECT state, n_prot FROM sefaz_events WHERE chave = ? AND tp_evento = '110111'", d.chave);
    expect(rows).toEqual([{ state: 'registered', n_prot: atSefaz[0]!.n_prot }]);
    const files = readdirSync(docsDir()).filter((f) => f.startsWith(`${d.chave}-110111-`));
    expect(files).toEqual([`${d.chave}-110111-01-procEventoNFe.xml`]);
    expect(readFileSync(join(docsDir(), files[0]!), 'utf8')).toContain(`<nProt>${atSefaz[0]!.n_prot}</nProt>`);
    expect(after.events.filter((e) => e.tpEvento === '110111')).toHaveLength(1);
    await waitUntil(async () => (serverNumber(d.number)[0]?.state === 'cancelled' ? true : null), 15_000);
    expect(audits('documents.cancel', d.id)).toBe(1);
  }, 180_000);
});

describe('carta de correção: killed right after each step', () => {
  it.each(stepsOf('cce'))('after %s: one CC-e at SEFAZ (sequence 1), stored once, listed once', async (step) => {
    const fat = await st.login('faturista', 'fatura123');
    const d = await billed(fat);
    await dieAfter(step, ['faturista', 'fatura123'], (c) => c.raw('documents.cce', { id: d.id, correcao: 'Corrige o endereco de entrega: Rua das Flores 100' }));
    const fat2 = await st.login('faturista', 'fatura123');
    const after = await waitUntil(async () => {
      const x = await fat2.call<Doc>('documents.get', { id: d.id });
      return x.events.some((e) => e.tpEvento === '110110') && closed('cce', d.chave) ? x : null;
    }, 30_000, 200);
    const atSefaz = simQuery<{ n_seq: number }>(simDir(), "SELECT n_seq FROM events WHERE chave = ? AND tp_evento = '110110'", d.chave);
    expect(atSefaz).toEqual([{ n_seq: 1 }]);
    expect(stationQuery(st.dataDir, "SELECT n_seq_evento FROM sefaz_events WHERE chave = ? AND tp_evento = '110110'", d.chave)).toEqual([{ n_seq_evento: 1 }]);
    expect(readdirSync(docsDir()).filter((f) => f.startsWith(`${d.chave}-110110-`))).toEqual([`${d.chave}-110110-01-procEventoNFe.xml`]);
    expect(after.events.filter((e) => e.tpEvento === '110110').map((e) => e.nSeq)).toEqual([1]);
    expect(after.status).toBe('autorizada');
    expect(audits('documents.cce', d.id)).toBe(1);
  }, 180_000);
});

describe('inutilização: killed right after each step', () => {
  it.each(stepsOf('inut'))('after %s: one inutilização at SEFAZ; the numbers inutilizados at the server only with the protocol', async (step) => {
    const admin = await st.login('admin', 'admin123');
    const s = (await admin.call<{ id: string; nextNumber: number; model: number }[]>('series.list')).find((x) => x.model === 55)!;
    const first = s.nextNumber;
    await admin.call('series.setNext', { id: s.id, nextNumber: first + 2, reason: 'Numeros pulados para o teste de interrupcao' });
    await dieAfter(step, ['admin', 'admin123'], (c) => c.raw('series.inutilizar', { id: s.id, from: first, to: first + 1, justificativa: 'Numeros pulados por falha no sistema' }));
    await st.login('admin', 'admin123'); // the server takes the protocol from the administrator
    const target = `${s.id}:${first}-${first + 1}`;
    await waitUntil(async () => (intents('inutilizacao', target).length > 0 && closed('inutilizacao', target) ? true : null), 30_000, 200);
    const atSefaz = simQuery(simDir(), 'SELECT n_prot FROM inut WHERE ini = ? AND fin = ?', first, first + 1);
    expect(atSefaz).toHaveLength(1);
    const row = stationQuery<{ state: string; proc_path: string | null; n_prot: string | null }>(st.dataDir, 'SELECT state, proc_path, n_prot FROM sefaz_inutilizacoes WHERE n_nf_ini = ? AND n_nf_fin = ?', first, first + 1);
    expect(row).toHaveLength(1);
    // The skipped range at the server: 'pending' until SEFAZ's protocol is given, then 'inutilizada'.
    const atServer = () => serverQuery<{ state: string }>(office.lan.dataDir, 'SELECT state FROM skipped_ranges WHERE first <= ? AND last >= ?', first + 1, first);
    if (step === 'inut.replied') {
      // SEFAZ registered it but its answer died with the process; a resend answers 256 and there
      // is no consulta of inutilizações: no protocol, so the server does not mark the numbers.
      expect(row[0]!.state).toBe('sem_protocolo');
      expect(row[0]!.proc_path).toBeNull();
      expect(atServer()).toEqual([{ state: 'pending' }]);
      expect(intents('inutilizacao', target)[0]!.step).toBe('done');
    } else {
      expect(row[0]!.state).toBe('inutilizada');
      expect(readdirSync(docsDir()).filter((f) => f.endsWith('-procInutNFe.xml') && readFileSync(join(docsDir(), f), 'utf8').includes(`<nProt>${row[0]!.n_prot}</nProt>`))).toHaveLength(1);
      await waitUntil(async () => (atServer().length > 0 && atServer().every((n) => n.state === 'inutilizada') ? true : null), 15_000);
      expect(atServer()).toEqual([{ state: 'inutilizada' }]);
    }
  }, 180_000);
});

describe('reprint: killed right after each step', () => {
  let d: Doc;
  const jobsOf = (id: string) => stationQuery<{ id: number; state: string; reason: string | null; bytes_total: number; request_id: string | null }>(st.dataDir, 'SELECT id, state, reason, bytes_total, request_id FROM print_jobs WHERE document_key = ? ORDER BY id', id);
  const filesOf = (jobId: number) => readdirSync(prints).filter((f) => f.startsWith(`job-${jobId}-`));

  it.each(stepsOf('print'))('after %s: one job for the request, printed once (or "Interrompido" and retried by the operator)', async (step) => {
    const fat = await st.login('faturista', 'fatura123');
    d ??= await billed(fat);
    const jobsBefore = jobsOf(d.chave).length;
    const auditsBefore = audits('print.reprint', d.id);
    await dieAfter(step, ['expedicao', 'expede123'], (c) => c.raw('print.reprint', { documentId: d.id, target: 'form' }));
    const exp = await st.login('expedicao', 'expede123');
    const job = await waitUntil(async () => {
      const mine = jobsOf(d.chave).slice(jobsBefore);
      return mine.length > 0 && ['done', 'failed'].includes(mine[0]!.state) ? mine : null;
    }, 30_000, 200);
    expect(job).toHaveLength(1);
    expect(job[0]!.request_id).not.toBeNull();
    if (step === 'print.printing') {
      // Its bytes may have left: never re-sent blindly. Visible as interrupted; the operator retries.
      expect(job[0]!.state).toBe('failed');
      expect(job[0]!.reason).toMatch(/^Interrompido/);
      expect((await exp.raw('print.retry', { jobId: job[0]!.id })).ok).toBe(true);
      await waitUntil(async () => (jobsOf(d.chave).find((j) => j.id === job[0]!.id)?.state === 'done' ? true : null), 30_000);
    } else {
      expect(job[0]!.state).toBe('done');
    }
    const files = filesOf(job[0]!.id);
    expect(files).toHaveLength(1);
    expect(statSync(join(prints, files[0]!)).size).toBe(job[0]!.bytes_total);
    expect(jobsOf(d.chave).length - jobsBefore).toBe(1);
    expect(audits('print.reprint', d.id) - auditsBefore).toBe(1);
    await waitUntil(async () => (closed('reprint') ? true : null), 15_000);
  }, 180_000);
});

describe('XML import: killed right after each step', () => {
  it.each(stepsOf('import').map((s, i) => [s, 900 + i] as const))('after %s: the note lands once (record, file, number at the server)', async (step, numero) => {
    const nfe = authorizedNfeFixture({ numero, schemasDir });
    await dieAfter(step, ['faturista', 'fatura123'], (c) => c.raw('documents.import', { files: [{ name: `nota-${numero}.xml`, xml: nfe.nfeProcXml }] }));
    const fat = await st.login('faturista', 'fatura123'); // the server takes the import from the faturista
    await waitUntil(async () => (intents('import', nfe.chave).length > 0 && closed('import', nfe.chave) ? true : null), 30_000, 200);
    const list = await fat.call<Doc[]>('documents.list', { chave: nfe.chave });
    expect(list.map((x) => x.chave)).toEqual([nfe.chave]);
    expect(intents('import', nfe.chave).map((r) => r.step)).toEqual(['done']);
    expect(serverNumber(numero)).toEqual([{ state: 'imported' }]);
    const file = join(docsDir(), `${nfe.chave}-procNFe.xml`);
    expect(existsSync(file) && readFileSync(file, 'utf8')).toBe(nfe.nfeProcXml);
    expect(audits('documents.import', nfe.chave)).toBe(1);
    // Importing the same file again is refused: it is there.
    const [again] = await fat.call<{ ok: boolean; message: string }[]>('documents.import', { files: [{ name: 'de-novo.xml', xml: nfe.nfeProcXml }] });
    expect(again!.ok).toBe(false);
  }, 180_000);
});
