import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NumberingClient } from '../../../src/core/numbering/index';
import { startOffice, waitUntil, type Client, type Office } from '../../helpers/office';
import { chaveOf, isoDaysAgo, seedDocuments } from '../../helpers/records-seed';
import { tempDir } from '../../helpers/tmp';

// Issue #15: the station's Documentos and Pedidos lists are paged queries — the LAN server's
// indexed search online, the station's recent window offline (with a clear message).
// Every part is its own process: LAN server, SEFAZ simulator, workstation.

const tmp = tempDir('comboio-lists-');
let office: Office;
let fat: Client;
let feeder: NumberingClient;

interface Row { id: string; number: number; chave: string; cliente: string; status: string; issuedAt: string }
interface Page { rows: Row[]; next: string | null; source: 'servidor' | 'estacao'; notice: string | null }

beforeAll(async () => {
  office = await startOffice(tmp.dir);
  feeder = await seedDocuments(office);
  const station = await office.addStation('estacao-a');
  fat = await station.login('faturista', 'fatura123');
}, 180_000);

afterAll(async () => {
  await feeder?.close();
  await office?.close();
  tmp.cleanup();
});

const page = (params: Record<string, unknown>) => fat.call<Page>('documents.page', params);
const ours = (p: Page) => p.rows.filter((r) => r.number > 900000);

describe('Documentos through paged queries (real LAN server, station and simulator processes)', () => {
  it('online: the server finds every document — accents, partial chave, CNPJ with or without punctuation — one page at a time', async () => {
    const sj = await page({ q: 'sao joao' });
    expect(sj.source).toBe('servidor');
    expect(sj.notice).toBeNull();
    expect(sj.rows.map((r) => r.number).sort()).toEqual([900040, 900080, 900120]);
    expect((await page({ q: 'JOÃO comb' })).rows).toHaveLength(3);
    expect((await page({ q: '61.585.865/0001-51' })).rows).toHaveLength(3);
    expect((await page({ q: '61585865000151' })).rows).toHaveLength(3);
    expect((await page({ q: chaveOf(77) })).rows.map((r) => r.number)).toEqual([900077]);
    expect((await page({ q: chaveOf(77).slice(0, 34) })).rows.map((r) => r.number)).toEqual([900077]);
    expect((await page({ q: '900077' })).rows.map((r) => r.id)).toEqual([chaveOf(77)]);
    // Keyset pages: all 120 once each, newest first.
    const seen: Row[] = [];
    let cursor: string | null = null;
    do {
      const p: Page = await page({ q: 'posto boa viagem', limit: 25, ...(cursor ? { cursor } : {}) });
      seen.push(...p.rows);
      cursor = p.next;
    } while (cursor);
    expect(new Set(seen.map((r) => r.id)).size).toBe(117);
    const at = seen.map((r) => Date.parse(r.issuedAt));
    expect([...at].sort((a, b) => b - a)).toEqual(at);
    // Date range and status filters.
    const from = isoDaysAgo(5, 0).slice(0, 10);
    const recent = ours(await page({ from, limit: 200 }));
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((r) => r.issuedAt.slice(0, 10) >= from)).toBe(true);
    expect(ours(await page({ status: 'cancelada' }))).toEqual([]);
    // documents.list (other screens) is the first page of the same query.
    expect((await fat.call<Row[]>('documents.list', { chave: chaveOf(3) })).map((r) => r.number)).toEqual([900003]);
  });

  it('offline: the station answers from its recent window and says older documents need the server', async () => {
    // The replica has pulled the documents (the station replicates everything still).
    await waitUntil(async () => (await fat.call<Row[]>('documents.list', { chave: chaveOf(120) })).length === 1);
    await office.stopServer();
    try {
      const p = await waitUntil(async () => {
        const r = await page({ q: 'sao joao' });
        return r.source === 'estacao' ? r : null;
      });
      expect(p.notice).toMatch(/últimos 30 dias.*precisam do servidor/);
      // 40 is recent; 80 and 120 are two months old: only the server has them for the list.
      expect(p.rows.map((r) => r.number)).toEqual([900040]);
      expect((await page({ q: '61.585.865/0001-51' })).rows.map((r) => r.number)).toEqual([900040]);
      expect((await page({ q: chaveOf(7).slice(0, 34) })).rows.map((r) => r.number)).toEqual([900007]);
      expect((await page({ q: chaveOf(77) })).rows).toEqual([]);
      const old = await page({ to: isoDaysAgo(50, 0).slice(0, 10) });
      expect(old.rows).toEqual([]);
      expect(old.notice).toMatch(/guarda só os últimos 30 dias.*Documentos mais antigos precisam do servidor/);
      // Pages of the window, newest first, every recent one once.
      const seen: Row[] = [];
      let cursor: string | null = null;
      do {
        const r: Page = await page({ limit: 16, ...(cursor ? { cursor } : {}) });
        seen.push(...ours(r));
        cursor = r.next;
      } while (cursor);
      expect(new Set(seen.map((r) => r.number))).toEqual(new Set(Array.from({ length: 60 }, (_, i) => 900001 + i)));
      // Orders offline: the window too, with its own message.
      const orders = await fat.call<Page>('orders.page', { filter: 'todos' });
      expect(orders.source).toBe('estacao');
      expect(orders.notice).toMatch(/precisam do servidor/);
    } finally {
      await office.startServerAgain();
    }
    const back = await waitUntil(async () => {
      const r = await page({ q: 'sao joao' });
      return r.source === 'servidor' ? r : null;
    }, 60_000);
    expect(back.rows).toHaveLength(3);
  });
});
