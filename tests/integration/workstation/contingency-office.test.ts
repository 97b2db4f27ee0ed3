import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChave } from '../../../src/core/fiscal/chave';
import { draftOrder, startOffice, waitUntil, type Client, type Office, type Station } from '../../helpers/office';
import { tempDir } from '../../helpers/tmp';

// Issue #20, the workstation layer: the LAN server, the SEFAZ simulator and two stations
// (`comboio web`), each its own process. A's failed exchange puts the UF in contingency for
// B through the server; B's next NF-e goes to SVC, or to EPEC when SVC is not active; the
// return to normal is seen by both, and the EPEC document is transmitted by itself.
const tmp = tempDir('comboio-contingency-office-');
let office: Office;
let a: Station;
let b: Station;
let fatA: Client;
let fatB: Client;

interface SeriesOption { id: string; suggested: number }
interface Finalized { documentId: string; number: number; status: string; message: string; chave: string }
interface Doc { id: string; status: string; statusLabel: string; chave: string; number: number }
interface State { uf: string; shared: boolean; cte: unknown; nfe: { since: string; reason: string; source: string; actor: string } | null; board: { uf: string; model: string; active: boolean; workstation: string }[] }
interface Status { sefaz: { label: string }; contingencia?: { state: string; label: string } }
const freight = (nfeIds: string[], s: SeriesOption) => ({
  nfeIds,
  seriesId: s.id,
  suggested: s.suggested,
  requestId: randomUUID(),
  printTo: 'none' as const,
  tomador: 'remetente' as const,
  componentes: [{ nome: 'FRETE PESO', valorCentavos: 185000 }],
  icms: { cst: '00' as const, aliquota: '12' },
  rntrc: '12345678',
  placa: 'ABC1D23',
  ufPlaca: 'SP',
  motorista: { nome: 'JOAO DA SILVA', cpf: '52998224725' },
});
interface Pending { items: { chave: string; modo: string; prazo: string | null; horasRestantes: number | null; situacao: string; numero: number }[]; total: number }

const sim = (path: string, body: unknown) => fetch(`${office.simAdmin}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());

async function finalize(c: Client): Promise<Finalized> {
  const s = (await c.call<SeriesOption[]>('billing.series', { model: 55 }))[0]!;
  const order = await draftOrder(c);
  return c.call<Finalized>('billing.finalize', { orderId: order.id, seriesId: s.id, suggested: s.suggested, requestId: randomUUID(), printTo: 'none' });
}

beforeAll(async () => {
  office = await startOffice(tmp.dir);
  a = await office.addStation('estacao-a', ['--contingencia-poll', '1']);
  b = await office.addStation('estacao-b', ['--contingencia-poll', '1']);
  fatA = await a.login('faturista', 'fatura123');
  const adminA = await a.login('admin', 'admin123');
  await adminA.call('users.save', { login: 'maria', name: 'Maria Faturista', roles: ['faturista'], active: true, password: 'maria-senha-1' });
  fatB = await b.login('maria', 'maria-senha-1');
}, 180_000);

afterAll(async () => {
  await office?.close();
  tmp.cleanup();
});

describe('contingency shared by the office (LAN server + two stations + simulator, all processes)', () => {
  let first: Finalized;
  let epec: Finalized;

  it("A's exchange without an answer puts SP in contingency for B too; B's next NF-e is authorized by SVC-AN under a tpEmis 6 key", async () => {
    await sim('/admin/faults', { mode: 'sem-resposta', target: 'autorizador' });
    await sim('/admin/svc', { ufs: ['SP'] });
    first = await finalize(fatA);
    // The document that found the outage is never resent blindly: it waits, consulted first.
    expect(first.status).toMatch(/aguardando_sefaz|processando/);
    const onB = await waitUntil(async () => (await fatB.call<State>('contingency.state')).nfe, 30_000);
    expect(onB.source).toBe('auto');
    expect(onB.actor).toMatch(/estacao-a \(servidor LAN\)/);
    expect(onB.reason).toMatch(/sem resposta/);
    const statusB = await fatB.call<Status>('app.status');
    expect(statusB.contingencia).toMatchObject({ state: 'error' });
    expect(statusB.contingencia!.label).toMatch(/^Contingência NF-e SP desde \d\d:\d\d — sem resposta/);
    expect((await fatB.call<State>('contingency.state')).board.find((s) => s.uf === 'SP' && s.model === 'nfe')).toMatchObject({ active: true, workstation: 'estacao-a' });

    const svc = await finalize(fatB);
    expect(parseChave(svc.chave).tpEmis).toBe(6);
    expect(svc.status).toBe('autorizada');
    const doc = await fatB.call<Doc>('documents.get', { id: svc.documentId });
    expect(doc.status).toBe('autorizada');
    const xml = await fatB.call<{ fileName: string; xml: string }>('documents.xml', { id: svc.documentId });
    expect(xml.fileName).toBe(`${svc.chave}-procNFe.xml`);
    expect(xml.xml).toMatch(/<tpEmis>6<\/tpEmis>[\s\S]*<dhCont>[\s\S]*<xJust>Contingência: sem resposta/);
    // The SVC synchronizes its documents back to the UF: a consulta at the UF finds it.
    const atUf = (await (await fetch(`${office.simAdmin}/admin/nfe/${svc.chave}`)).json()) as { chave?: string; c_stat?: string };
    expect(JSON.stringify(atUf)).toContain(svc.chave);
  }, 120_000);

  it('CT-e too: the first CT-e finds the UF silent (CT-e enters contingency), the next one is authorized by SVC-RS under a tpEmis 7 key', async () => {
    const nfe1 = await finalize(fatB);
    const nfe2 = await finalize(fatB);
    expect([nfe1.status, nfe2.status]).toEqual(['autorizada', 'autorizada']);
    const cteSeries = async () => (await fatB.call<SeriesOption[]>('billing.series', { model: 57 }))[0]!;
    const c1 = await fatB.call<Finalized>('cte.emit', freight([nfe1.documentId], await cteSeries()));
    expect(parseChave(c1.chave).tpEmis).toBe(1);
    expect(c1.status).not.toBe('autorizada');
    await waitUntil(async () => (await fatA.call<State>('contingency.state')).cte, 30_000);
    const c2 = await fatB.call<Finalized>('cte.emit', freight([nfe2.documentId], await cteSeries()));
    expect(parseChave(c2.chave).tpEmis).toBe(7);
    expect(c2.status).toBe('autorizada');
  }, 120_000);

  it('with SVC not active for SP, B falls to EPEC: 136, the event file, yellow "EPEC registrado — enviar à SEFAZ", in the pending report with its deadline', async () => {
    await sim('/admin/svc', { ufs: [] });
    epec = await finalize(fatB);
    expect(parseChave(epec.chave).tpEmis).toBe(4);
    expect(epec.status).toBe('epec_registrado');
    const doc = await fatB.call<Doc>('documents.get', { id: epec.documentId });
    expect(doc.statusLabel).toBe('EPEC registrado — enviar à SEFAZ');
    const event = join(b.dataDir, 'documentos', `${epec.chave}-epec.xml`);
    expect(existsSync(event)).toBe(true);
    expect(readFileSync(event, 'utf8')).toMatch(/<tpEvento>110140<\/tpEvento>[\s\S]*<cStat>136<\/cStat>/);
    const pending = await fatB.call<Pending>('contingency.pending', {});
    const row = pending.items.find((i) => i.chave === epec.chave)!;
    expect(row).toMatchObject({ modo: 'EPEC', numero: epec.number });
    expect(row.horasRestantes).toBeGreaterThan(167);
    expect(row.horasRestantes).toBeLessThanOrEqual(168);
  }, 120_000);

  it('the UF returns: both stations see it by their status polls, the EPEC NF-e is transmitted and authorized by itself, the first NF-e is found authorized', async () => {
    await sim('/admin/faults', { mode: 'normal', target: 'autorizador' });
    for (const c of [fatA, fatB]) {
      await waitUntil(async () => {
        const st = await c.call<State & { cte: unknown }>('contingency.state');
        return st.nfe === null && st.cte === null;
      }, 30_000);
      const st = await c.call<Status>('app.status');
      expect(st.contingencia).toMatchObject({ state: 'ok' });
      expect(st.contingencia!.label).toMatch(/^SEFAZ SP: normal desde \d\d:\d\d \(fim da contingência\)$/);
    }
    const authorized = await waitUntil(async () => {
      await fatB.call('documents.refresh', { id: epec.documentId });
      const d = await fatB.call<Doc>('documents.get', { id: epec.documentId });
      return d.status === 'autorizada' ? d : null;
    }, 60_000);
    expect(authorized.chave).toBe(epec.chave);
    expect((await fatB.call<Pending>('contingency.pending', {})).items.find((i) => i.chave === epec.chave)).toBeUndefined();
    const audit = await fatB.call<{ action: string; chave: string | null; detail: string }[]>('contingency.audit', { limit: 50 });
    expect(audit.filter((e) => e.chave === epec.chave).map((e) => e.action)).toEqual(expect.arrayContaining(['epec', 'transmissao', 'conciliado']));
    // The first document (its reply lost) was consulted, never resent under another key.
    const firstDoc = await waitUntil(async () => {
      await fatA.call('documents.refresh', { id: first.documentId });
      const d = await fatA.call<Doc>('documents.get', { id: first.documentId });
      return d.status === 'autorizada' ? d : null;
    }, 90_000);
    expect(parseChave(firstDoc.chave).tpEmis).toBe(1);
  }, 200_000);
});
