import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizedNfeFixture } from '../../helpers/authorized-nfe-fixture';
import { decodeBarcodes, decodeEscp, pageLines } from '../../helpers/escp-decoder';
import { draftOrder, startOffice, waitUntil, type Client, type Office, type Station } from '../../helpers/office';
import { schemasDir } from '../../helpers/proc';
import { openFakePrinter, socatPair, type FakePrinter, type PtyPair } from '../../helpers/socat';
import { tempDir } from '../../helpers/tmp';

// Two workstations, the LAN server and the SEFAZ simulator, each its own process.
const tmp = tempDir('comboio-office-');
let office: Office;
let a: Station;
let b: Station;
let fatA: Client;
let fatB: Client;
let adminA: Client;
let pty: PtyPair;
let printer: FakePrinter;

interface SeriesOption { id: string; suggested: number }
interface Finalized { documentId: string; number: number; numberChanged: boolean; suggested: number | null; status: string; message: string; chave: string }
interface Doc { id: string; status: string; color: string; number: number; chave: string; statusLabel: string }

beforeAll(async () => {
  office = await startOffice(tmp.dir);
  a = await office.addStation('estacao-a');
  b = await office.addStation('estacao-b');
  fatA = await a.login('faturista', 'fatura123');
  adminA = await a.login('admin', 'admin123');
  // A second faturista, created on A, reaches B through the LAN server.
  await adminA.call('users.save', { login: 'maria', name: 'Maria Faturista', roles: ['faturista'], active: true, password: 'maria-senha-1' });
  fatB = await b.login('maria', 'maria-senha-1');
  pty = await socatPair(tmp.dir, 'lx300');
  printer = await openFakePrinter(pty.printer);
  await adminA.call('printers.save', {
    id: '', name: 'Epson LX-300 (teste)', kind: 'serial', path: pty.app, baudRate: 9600, parity: 'none', dataBits: 8,
    flow: 'xonxoff', layout: 'danfe-continuo', dx: 0, dy: 0, serialNumber: null, isDefault: true,
  });
}, 180_000);

afterAll(async () => {
  await printer?.close();
  await pty?.kill();
  await office?.close();
  tmp.cleanup();
});

const series = async (c: Client) => (await c.call<SeriesOption[]>('billing.series', { model: 55 }))[0]!;

describe('faturamento simultâneo (two stations, real LAN server and simulator)', () => {
  it('shows who holds an order: user, station, IP and since when', async () => {
    const order = await draftOrder(fatA);
    await fatA.call('billing.lock', { orderId: order.id });
    await waitUntil(async () => (await fatB.raw('orders.get', { id: order.id })).ok);
    const r = await fatB.raw('billing.lock', { orderId: order.id });
    expect(r.ok).toBe(false);
    expect(r.error!.code).toBe('LOCK_HELD');
    expect(r.error!.message).toMatch(/^Pedido em faturamento por Faturista de demonstração em estacao-a \(IP 127\.0\.0\.1\) desde \d\d:\d\d$/);
    // Online, orders are edited under their lock: B's edit is kept locally but refused by the server, visibly.
    const draft = await fatB.call<Record<string, unknown>>('orders.get', { id: order.id });
    await fatB.call('orders.save', { ...draft, observacoes: 'alteração de B durante o faturamento de A' });
    const refused = await waitUntil(async () =>
      (await fatB.call<{ mutationId: string; recordId: string; code: string; message: string }[]>('sync.rejections')).find((x) => x.recordId === order.id),
    );
    expect(refused.code).toBe('LOCK_HELD');
    expect(refused.message).toMatch(/^Pedido em faturamento por Faturista de demonstração em estacao-a/);
    await fatB.call('sync.dismiss', { mutationId: refused.mutationId });
    await fatA.call('billing.unlock', { orderId: order.id });
    expect((await fatB.raw('billing.lock', { orderId: order.id })).ok).toBe(true);
    await fatB.call('billing.unlock', { orderId: order.id });
  });

  it('gives two consecutive numbers to two orders finalized at the same moment, and says so', async () => {
    const [o1, o2] = await Promise.all([draftOrder(fatA), draftOrder(fatB)]);
    const [s1, s2] = await Promise.all([series(fatA), series(fatB)]);
    expect(s1.suggested).toBe(s2.suggested);
    const [r1, r2] = await Promise.all([
      fatA.call<Finalized>('billing.finalize', { orderId: o1.id, seriesId: s1.id, suggested: s1.suggested, requestId: randomUUID(), printTo: 'none' }),
      fatB.call<Finalized>('billing.finalize', { orderId: o2.id, seriesId: s2.id, suggested: s2.suggested, requestId: randomUUID(), printTo: 'none' }),
    ]);
    expect([r1.number, r2.number].sort((x, y) => x - y)).toEqual([s1.suggested, s1.suggested + 1]);
    const loser = r1.number === s1.suggested ? r2 : r1;
    expect(loser.numberChanged).toBe(true);
    // The renumbering is told by the screen's own notice (numberChanged + suggested); the message states the outcome.
    expect(loser.suggested).toBe(s1.suggested);
    expect(loser.message).toMatch(new RegExp(`^NF-e ${s1.suggested + 1} série \\d+: `));
    expect((r1.number === s1.suggested ? r1 : r2).numberChanged).toBe(false);
  });
});

describe('an order billed end to end', () => {
  it('turns green, prints the DANFE on the serial form printer and renders the PDF', async () => {
    const order = await draftOrder(fatA, '12000.0000');
    const s = await series(fatA);
    const r = await fatA.call<Finalized>('billing.finalize', { orderId: order.id, seriesId: s.id, suggested: s.suggested, requestId: randomUUID(), printTo: 'form' });
    const doc = await waitUntil(async () => {
      const d = await fatA.call<Doc>('documents.get', { id: r.documentId });
      return d.status === 'autorizada' ? d : null;
    });
    expect(doc.color).toBe('green');
    await printer.waitForBytes(2000, 30_000);
    await new Promise((ok) => setTimeout(ok, 1500));
    const pages = decodeEscp(printer.received()).pages;
    const text = pageLines(pages[0]!).join('\n');
    expect(text).toContain(String(r.number).padStart(9, '0').replace(/(\d{3})(\d{3})(\d{3})/, '$1.$2.$3'));
    expect(decodeBarcodes(pages[0]!).map((bc) => bc.digits)).toContain(r.chave);
    const pdf = await fatA.call<{ base64: string }>('documents.pdf', { id: r.documentId });
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('SEFAZ out of reach', () => {
  it('keeps the note yellow "aguardando SEFAZ" and turns it green by itself when SEFAZ returns', async () => {
    const setMode = (mode: string) =>
      fetch(`${office.simAdmin}/admin/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mode }) });
    await setMode('recusando');
    try {
      const order = await draftOrder(fatB);
      const s = await series(fatB);
      const r = await fatB.call<Finalized>('billing.finalize', { orderId: order.id, seriesId: s.id, suggested: s.suggested, requestId: randomUUID(), printTo: 'none' });
      const waiting = await fatB.call<Doc>('documents.get', { id: r.documentId });
      expect(waiting.color).toBe('yellow');
      expect(waiting.status).toBe('aguardando_sefaz');
      await setMode('normal');
      const done = await waitUntil(async () => {
        const d = await fatB.call<Doc>('documents.get', { id: r.documentId });
        return d.status === 'autorizada' ? d : null;
      }, 90_000, 1000);
      expect(done.color).toBe('green');
    } finally {
      await setMode('normal');
    }
  });
});

describe('administração de séries and import', () => {
  it('moves próximo número forward (gap listed), refuses backward, refuses importing a used number', async () => {
    // At least one number of the series is used, so going back below it must be refused.
    const o = await draftOrder(fatA);
    const cur = await series(fatA);
    await fatA.call('billing.finalize', { orderId: o.id, seriesId: cur.id, suggested: cur.suggested, requestId: randomUUID(), printTo: 'none' });
    const list = await adminA.call<{ id: string; nextNumber: number }[]>('series.list');
    const s = list[0]!;
    const forward = s.nextNumber + 3;
    await adminA.call('series.setNext', { id: s.id, nextNumber: forward, reason: 'Notas emitidas no sistema antigo' });
    const back = await adminA.raw('series.setNext', { id: s.id, nextNumber: s.nextNumber - 1, reason: 'voltar um número' });
    expect(back.ok).toBe(false);
    expect(back.error!.code).toBe('NEXT_NUMBER_BACKWARD');
    const gaps = await fatA.call<{ gaps: { numbers: number[] }[] }>('documents.gaps');
    expect(gaps.gaps.flatMap((g) => g.numbers)).toEqual(expect.arrayContaining([s.nextNumber, s.nextNumber + 1, s.nextNumber + 2]));
    const audit = await adminA.call<{ action: string; newValue: string | null }[]>('series.audit', { id: s.id });
    expect(audit.some((l) => l.newValue === String(forward))).toBe(true);

    const used = authorizedNfeFixture({ numero: 1, schemasDir });
    const [res] = await fatA.call<{ ok: boolean; message: string }[]>('documents.import', { files: [{ name: 'nota-1.xml', xml: used.nfeProcXml }] });
    expect(res!.ok).toBe(false);
    expect(res!.message).toMatch(/^Já existe nota com esse número nesta série \(1, NF-e série 1/);
  });
});

describe('expedição', () => {
  it('reprints by a scanned key on another station, and the audit shows who', async () => {
    const authorized = (await fatA.call<Doc[]>('documents.list', {})).find((d) => d.status === 'autorizada')!;
    const exp = await b.login('expedicao', 'expede123');
    const found = await waitUntil(async () => (await exp.call<Doc[]>('documents.list', { chave: authorized.chave }))[0]);
    expect(found.id).toBe(authorized.id);
    const job = await exp.call<{ id: string }>('print.reprint', { documentId: found.id, target: 'form' });
    const done = await waitUntil(async () => (await exp.call<{ id: string; state: string }[]>('print.jobs', {})).find((j) => j.id === job.id && j.state === 'done'));
    expect(done.state).toBe('done');
    const audit = await exp.call<{ user: string; action: string }[]>('print.audit', { documentId: found.id });
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ user: 'expedicao', action: 'print.reprint' })]));
  });
});
