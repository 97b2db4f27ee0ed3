import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftOrder, startOffice, waitUntil, type Client, type Office, type Station } from '../../helpers/office';
import { tempDir } from '../../helpers/tmp';

// The LAN server goes down (SIGKILL) while a faturista finalizes; it comes back on its own.
const tmp = tempDir('comboio-offline-');
let office: Office;
let st: Station;
let fat: Client;

beforeAll(async () => {
  office = await startOffice(tmp.dir);
  st = await office.addStation('estacao-a');
  fat = await st.login('faturista', 'fatura123');
}, 180_000);

afterAll(async () => {
  await office?.close();
  tmp.cleanup();
});

interface Order { id: string; status: string; documentId: string | null }
interface Doc { status: string; number: number; serie: number }

describe('finalizing while the LAN server is down', () => {
  it('waits as "aguardando servidor", then is numbered, authorized and printed when the server returns', async () => {
    const [series] = await fat.call<{ id: string; suggested: number }[]>('billing.series', { model: 55 });
    const before = await fat.call<{ id: string }[]>('print.jobs', {});
    const order = await draftOrder(fat);
    await office.stopServer();

    // Drafting still works offline: the edit lands in the local store and the outbox.
    const draft = await fat.call<Order>('orders.get', { id: order.id });
    const edited = await fat.call<{ order: Order }>('orders.save', { ...draft, observacoes: 'Entrega na portaria 2' });
    expect(edited.order.status).toBe('rascunho');

    const r = await fat.call<{ status: string; message: string }>('billing.finalize', {
      orderId: order.id,
      seriesId: series!.id,
      suggested: series!.suggested,
      requestId: randomUUID(),
      printTo: 'form',
    });
    expect(r.status).toBe('aguardando_servidor');
    expect(r.message).toMatch(/aguarda o servidor/);
    expect((await fat.call<Order>('orders.get', { id: order.id })).status).toBe('aguardando_servidor');
    const status = await fat.call<{ sync: { online: boolean; pending: number } }>('app.status');
    expect(status.sync.online).toBe(false);
    expect(status.sync.pending).toBeGreaterThan(0);

    await office.startServerAgain();
    const billed = await waitUntil(async () => {
      const o = await fat.call<Order>('orders.get', { id: order.id });
      return o.status === 'faturado' && o.documentId ? o : null;
    }, 90_000, 500);
    const doc = await waitUntil(async () => {
      const d = await fat.call<Doc>('documents.get', { id: billed.documentId });
      return d.status === 'autorizada' ? d : null;
    }, 60_000, 500);
    // Same numbering rules: the next number of the série, nothing skipped.
    expect(doc.number).toBe(series!.suggested);
    await waitUntil(async () => (await fat.call<{ id: string }[]>('print.jobs', {})).length > before.length, 30_000);
    const synced = await waitUntil(async () => {
      const s = await fat.call<{ sync: { online: boolean; pending: number } }>('app.status');
      return s.sync.online && s.sync.pending === 0 ? s : null;
    }, 30_000);
    expect(synced.sync.pending).toBe(0);
    expect((await fat.call<Order & { observacoes: string }>('orders.get', { id: order.id })).observacoes).toBe('Entrega na portaria 2');
  });
});
