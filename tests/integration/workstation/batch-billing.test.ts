import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftOrder, startOffice, waitUntil, type Client, type Office, type Station } from '../../helpers/office';
import { tempDir } from '../../helpers/tmp';

// "Faturar selecionados" (issue #21): the LAN server, the SEFAZ simulator and two stations, each its own process.
const tmp = tempDir('comboio-batch-');
let office: Office;
let a: Station;
let b: Station;
let fatA: Client;
let fatB: Client;

interface SeriesOption { id: string; suggested: number }
interface Item { position: number; orderId: string; state: string; color: string; documentId: string | null; number: number | null; message: string | null; code: string | null; holder: { workstation: string } | null; cliente: string | null }
interface Batch { id: string; state: string; total: number; done: number; authorized: number; waiting: number; skipped: number; remainingMs: number | null; items: Item[] }
interface Doc { id: string; number: number; serie: number; orderId: string | null; status: string; color: string }

beforeAll(async () => {
  office = await startOffice(tmp.dir);
  a = await office.addStation('estacao-a');
  b = await office.addStation('estacao-b');
  fatA = await a.login('faturista', 'fatura123');
  const adminA = await a.login('admin', 'admin123');
  await adminA.call('users.save', { login: 'maria', name: 'Maria Faturista', roles: ['faturista'], active: true, password: 'maria-senha-1' });
  fatB = await b.login('maria', 'maria-senha-1');
}, 180_000);

afterAll(async () => {
  await office?.close();
  tmp.cleanup();
});

const series = async (c: Client) => (await c.call<SeriesOption[]>('billing.series', { model: 55 }))[0]!;
const finished = (c: Client, id: string, timeoutMs = 120_000) =>
  waitUntil(async () => {
    const bt = await c.call<Batch>('batch.get', { id });
    return bt.state === 'concluido' ? bt : null;
  }, timeoutMs, 500);

describe('Faturar selecionados, two stations at once', () => {
  it('bills every order of overlapping batches exactly once, with consecutive numbers and no holes', async () => {
    const orders = [];
    for (let i = 0; i < 6; i++) orders.push(await draftOrder(i % 2 ? fatB : fatA));
    const ids = orders.map((o) => o.id);
    // Both stations see every order before pressing.
    for (const c of [fatA, fatB]) for (const id of ids) await waitUntil(async () => (await c.raw('orders.get', { id })).ok);
    const [sA, sB] = await Promise.all([series(fatA), series(fatB)]);
    const first = sA.suggested;
    // A goes through them in order, B backwards: they meet in the middle on the same orders.
    const [bA, bB] = await Promise.all([
      fatA.call<Batch>('batch.start', { orderIds: ids, seriesId: sA.id, printTo: 'none' }),
      fatB.call<Batch>('batch.start', { orderIds: [...ids].reverse(), seriesId: sB.id, printTo: 'none' }),
    ]);
    expect(bA.total).toBe(6);
    const [dA, dB] = await Promise.all([finished(fatA, bA.id), finished(fatB, bB.id)]);
    const emitted = [...dA.items, ...dB.items].filter((i) => i.state === 'emitida');
    const skipped = [...dA.items, ...dB.items].filter((i) => i.state !== 'emitida');
    // Each order billed by exactly one of the two batches; the other skipped it and said why.
    expect(emitted.map((i) => i.orderId).sort()).toEqual([...ids].sort());
    for (const s of skipped) {
      expect(s.state).toBe('ocupado');
      expect(s.message).toMatch(/^(Pedido em faturamento por .+ em estacao-[ab] \(IP 127\.0\.0\.1\) desde \d\d:\d\d|O pedido \d+ já foi faturado)/);
      expect(s.color).toBe('red');
    }
    expect(skipped.length).toBe(6);
    // The shared documents: one per order, numbers first..first+5 with no hole.
    const docs = await waitUntil(async () => {
      const all = (await fatA.call<Doc[]>('documents.list', {})).filter((d) => d.orderId && ids.includes(d.orderId));
      return all.length >= 6 ? all : null;
    });
    expect(docs.length).toBe(6);
    expect(new Set(docs.map((d) => d.orderId)).size).toBe(6);
    expect(docs.map((d) => d.number).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5].map((k) => first + k));
    const gaps = await fatA.call<{ gaps: { numbers: number[] }[] }>('documents.gaps');
    expect(gaps.gaps.flatMap((g) => g.numbers).filter((n) => n >= first && n < first + 6)).toEqual([]);
    const green = await waitUntil(async () => {
      const all = (await fatA.call<Doc[]>('documents.list', {})).filter((d) => d.orderId && ids.includes(d.orderId));
      return all.every((d) => d.status === 'autorizada') ? all : null;
    }, 60_000, 500);
    expect(green.length).toBe(6);
    // The batch's own view agrees: green on the station that billed each one.
    const after = [...(await fatA.call<Batch>('batch.get', { id: bA.id })).items, ...(await fatB.call<Batch>('batch.get', { id: bB.id })).items];
    expect(after.filter((i) => i.state === 'emitida').every((i) => i.color === 'green')).toBe(true);
  }, 240_000);
});

describe('Faturar selecionados with SEFAZ out of reach', () => {
  it('keeps the items yellow and turns them green by itself when SEFAZ returns', async () => {
    const setMode = (mode: string) =>
      fetch(`${office.simAdmin}/admin/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mode }) });
    await setMode('recusando');
    try {
      const o1 = await draftOrder(fatB);
      const o2 = await draftOrder(fatB);
      const s = await series(fatB);
      const started = await fatB.call<Batch>('batch.start', { orderIds: [o1.id, o2.id], seriesId: s.id, printTo: 'none' });
      const waiting = await finished(fatB, started.id);
      expect(waiting.items.map((i) => [i.state, i.color])).toEqual([
        ['emitida', 'yellow'],
        ['emitida', 'yellow'],
      ]);
      expect(waiting.items[0]!.message).toMatch(/aguardando SEFAZ|processando/);
      await setMode('normal');
      const green = await waitUntil(async () => {
        const bt = await fatB.call<Batch>('batch.get', { id: started.id });
        return bt.items.every((i) => i.color === 'green') ? bt : null;
      }, 120_000, 1000);
      expect(green.authorized).toBe(2);
      expect(green.items[0]!.message).toMatch(/autorizada$/);
    } finally {
      await setMode('normal');
    }
  }, 240_000);
});

describe('batch.start input', () => {
  it('refuses a malformed request with a Portuguese message (the schema at the boundary)', async () => {
    const r = await fatA.raw('batch.start', { orderIds: [], seriesId: 'x', printTo: 'none' });
    expect(r.ok).toBe(false);
    expect(r.error!.code).toBe('INVALID_INPUT');
    expect(r.error!.message).toBe('Selecione ao menos um pedido.');
    const bad = await fatA.raw('batch.start', { orderIds: ['a'], seriesId: '11222333000181:55:1', printTo: 'impressora' });
    expect(bad.ok).toBe(false);
    expect(bad.error!.message).toMatch(/printTo/);
  });
});
