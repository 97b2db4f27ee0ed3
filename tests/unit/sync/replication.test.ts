import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncErrors } from '../../../src/core/sync/index';
import { tempDir } from '../../helpers/tmp';
import { HarnessServer, openWorkstation, type Workstation } from './harness';

let tmp: ReturnType<typeof tempDir>;
let server: HarnessServer;
const open: Workstation[] = [];

function ws(name: string, opts: { online?: boolean; snapshotPage?: number } = {}): Workstation {
  const w = openWorkstation(server, tmp.dir, name, opts);
  open.push(w);
  return w;
}

async function syncAll(...list: Workstation[]): Promise<void> {
  // Two rounds: pushes of one workstation reach the others on the next pull.
  for (let round = 0; round < 2; round++) for (const w of list) await w.replica.syncNow();
}

beforeEach(() => {
  tmp = tempDir('comboio-sync-');
  server = new HarnessServer(tmp.dir);
});

afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
  server.close();
  tmp.cleanup();
});

describe('replication through the sync engine (in-process transport, real SQLite files)', () => {
  it('a local write returns at once offline, is visible locally, and reaches the other workstation on reconnect', async () => {
    const a = ws('a', { online: false });
    const b = ws('b');
    await b.replica.syncNow();

    const { record } = a.replica.write('orders', 'p1', { cliente: 'Posto Boa Viagem', status: 'rascunho' });
    expect(record?.data).toEqual({ cliente: 'Posto Boa Viagem', status: 'rascunho' });
    expect(record?.pending).toBe(true);
    expect(a.replica.status()).toMatchObject({ online: false, pending: 1, rejected: 0 });
    await expect(a.replica.syncNow()).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    a.conn.setOnline(true);
    await syncAll(a, b);
    expect(b.replica.get('orders', 'p1')?.data).toEqual({ cliente: 'Posto Boa Viagem', status: 'rascunho' });
    expect(a.replica.get('orders', 'p1')).toMatchObject({ pending: false, seq: 1 });
    expect(a.replica.status()).toMatchObject({ online: true, pending: 0 });
    expect(a.replica.status().lastSyncAt).not.toBeNull();
  });

  it('two workstations edit different orders offline: both changes everywhere', async () => {
    const a = ws('a');
    const b = ws('b');
    const c = ws('c');
    a.replica.write('orders', 'p1', { cliente: 'A', total: 100 });
    a.replica.write('orders', 'p2', { cliente: 'B', total: 200 });
    await syncAll(a, b, c);

    a.conn.setOnline(false);
    b.conn.setOnline(false);
    a.replica.write('orders', 'p1', { total: 150 });
    b.replica.write('orders', 'p2', { total: 250 });
    a.conn.setOnline(true);
    b.conn.setOnline(true);
    await syncAll(a, b, c);

    for (const w of [a, b, c]) {
      expect(w.replica.get('orders', 'p1')?.data).toEqual({ cliente: 'A', total: 150 });
      expect(w.replica.get('orders', 'p2')?.data).toEqual({ cliente: 'B', total: 250 });
    }
    expect(server.engine.history({ collection: 'orders', id: 'p1' })).toEqual([]);
  });

  it('the same order edited offline resolves per field in server order; the losing value goes to history', async () => {
    const a = ws('a');
    const b = ws('b');
    a.replica.write('orders', 'p1', { cliente: 'Posto X', placa: 'AAA1111', obs: '' });
    await syncAll(a, b);

    a.conn.setOnline(false);
    b.conn.setOnline(false);
    a.replica.write('orders', 'p1', { placa: 'BBB2222', obs: 'entregar cedo' });
    b.replica.write('orders', 'p1', { placa: 'CCC3333', cliente: 'Posto Y' });
    // a reaches the server first, then b: b wins "placa"; every other field keeps its only edit.
    a.conn.setOnline(true);
    await a.replica.syncNow();
    b.conn.setOnline(true);
    await syncAll(b, a);

    const expected = { cliente: 'Posto Y', placa: 'CCC3333', obs: 'entregar cedo' };
    expect(a.replica.get('orders', 'p1')?.data).toEqual(expected);
    expect(b.replica.get('orders', 'p1')?.data).toEqual(expected);
    const history = await b.replica.history('orders', 'p1');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      field: 'placa',
      value: 'BBB2222',
      reason: 'conflict',
      writtenBy: { user: 'user-a', workstation: 'a' },
      replacedBy: { user: 'user-b', workstation: 'b' },
    });
  });

  it('a workstation overwriting its own earlier edits is not a conflict', async () => {
    const a = ws('a', { online: false });
    a.replica.write('products', 'diesel', { preco: 100 });
    a.replica.write('products', 'diesel', { preco: 110 });
    a.conn.setOnline(true);
    await a.replica.syncNow();
    a.conn.setOnline(false);
    a.replica.write('products', 'diesel', { preco: 120 });
    a.conn.setOnline(true);
    await a.replica.syncNow();
    expect(a.replica.get('products', 'diesel')?.data).toEqual({ preco: 120 });
    expect(server.engine.history({ collection: 'products', id: 'diesel' })).toEqual([]);
  });

  it('a validator rejection is kept with its reason, holds later edits of that record, and is released on dismiss', async () => {
    server.engine.registerCollection('orders', {
      validate: (_c, current, m) =>
        current?.status === 'faturado' && !m.delete ? { code: 'ORDER_BILLED', message: 'Pedido já faturado em outra estação.' } : null,
    });
    const a = ws('a');
    a.replica.write('orders', 'p1', { cliente: 'X', status: 'rascunho' });
    await a.replica.syncNow();
    await server.engine.writeAsServer({ collection: 'orders', id: 'p1' }, { fields: { status: 'faturado', numero: 15 } }, { user: 'srv', workstation: 'servidor', ip: '127.0.0.1' }, 'alloc-1');

    a.conn.setOnline(false);
    a.replica.write('orders', 'p1', { cliente: 'Y' });
    a.replica.write('orders', 'p1', { obs: 'urgente' });
    a.replica.write('orders', 'p2', { cliente: 'Z' });
    const rejectedEvents: unknown[] = [];
    a.replica.events.on('rejected', (r) => rejectedEvents.push(...r));
    a.conn.setOnline(true);
    await a.replica.syncNow();

    const rejections = a.replica.rejections();
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({ collection: 'orders', recordId: 'p1', code: 'ORDER_BILLED', message: 'Pedido já faturado em outra estação.', fields: { cliente: 'Y' }, held: 1 });
    expect(rejectedEvents).toHaveLength(1);
    expect(a.replica.status()).toMatchObject({ pending: 1, rejected: 1 });
    // The other record was not blocked; the server's version is what the user sees for p1.
    expect(server.engine.get('orders', 'p2')?.data).toEqual({ cliente: 'Z' });
    expect(a.replica.get('orders', 'p1')?.data).toMatchObject({ cliente: 'X', status: 'faturado', obs: 'urgente' });

    a.replica.dismiss(rejections[0]!.mutationId);
    await a.replica.syncNow();
    // The held edit was sent after the dismissal and met the same rule.
    expect(a.replica.rejections().map((r) => r.fields)).toEqual([{ obs: 'urgente' }]);
    a.replica.dismiss(a.replica.rejections()[0]!.mutationId);
    expect(a.replica.status()).toMatchObject({ pending: 0, rejected: 0 });
    expect(a.replica.get('orders', 'p1')?.data).toEqual({ cliente: 'X', status: 'faturado', numero: 15 });
  });

  it('read-only collections refuse workstation writes and replicate server writes', async () => {
    server.engine.registerCollection('series-config', { readOnlyForWorkstations: true });
    const a = ws('a');
    await a.replica.syncNow();
    expect(() => a.replica.write('series-config', '55-1', { proximo: 10 })).toThrow(expect.objectContaining({ code: SyncErrors.READ_ONLY }));
    await server.engine.writeAsServer({ collection: 'series-config', id: '55-1' }, { fields: { proximo: 10 } }, { user: 'admin', workstation: 'srv', ip: '::1' }, 'cfg-1');
    await a.replica.syncNow();
    expect(a.replica.get('series-config', '55-1')?.data).toEqual({ proximo: 10 });
  });

  it('pushing the same mutation twice applies it once (idempotent by mutation id)', async () => {
    const actor = { user: 'u', workstation: 'w', ip: '1.2.3.4', source: 'workstation' as const };
    const m = { mutationId: 'm-1', collection: 'customers', id: 'c1', fields: { nome: 'Ana' }, baseSeq: 0 };
    const first = await server.engine.push('k', [m], actor);
    const again = await server.engine.push('k', [m, { ...m, mutationId: 'm-1', id: 'other' }], actor);
    expect(first.results[0]).toMatchObject({ status: 'applied', seq: 1, replayed: false });
    expect(again.results[0]).toMatchObject({ status: 'applied', seq: 1, replayed: true });
    expect(again.results[1]).toMatchObject({ status: 'rejected', code: SyncErrors.MUTATION_ID_REUSED });
    expect(server.engine.head()).toBe(1);
  });

  it('deleting keeps the last values in history and refuses later edits of the tombstone', async () => {
    const a = ws('a');
    const b = ws('b');
    a.replica.write('customers', 'c1', { nome: 'Ana', cidade: 'Recife' });
    await syncAll(a, b);
    b.conn.setOnline(false);
    b.replica.write('customers', 'c1', { cidade: 'Olinda' });
    a.replica.remove('customers', 'c1');
    expect(a.replica.get('customers', 'c1')).toBeNull();
    await a.replica.syncNow();
    b.conn.setOnline(true);
    await syncAll(b, a);
    expect(b.replica.get('customers', 'c1')).toBeNull();
    expect(b.replica.rejections()[0]).toMatchObject({ code: SyncErrors.RECORD_DELETED, fields: { cidade: 'Olinda' } });
    expect(b.replica.rejections()[0]!.message).toContain('user-a');
    expect(server.engine.history({ collection: 'customers', id: 'c1' })).toMatchObject([{ field: '*', value: { nome: 'Ana', cidade: 'Recife' }, reason: 'delete' }]);
  });

  it('list filters by field and overlays unsent edits', async () => {
    const a = ws('a');
    a.replica.write('orders', 'p1', { status: 'rascunho', total: 30, ativo: true });
    a.replica.write('orders', 'p2', { status: 'faturado', total: 10, ativo: true });
    a.replica.write('orders', 'p3', { status: 'rascunho', total: 20, ativo: false });
    await a.replica.syncNow();
    a.conn.setOnline(false);
    a.replica.write('orders', 'p2', { status: 'rascunho' });
    a.replica.write('orders', 'p4', { status: 'rascunho', total: 5, ativo: true });

    const ids = (q: Parameters<typeof a.replica.list>[1]) => a.replica.list('orders', q).map((r) => r.id);
    expect(ids({ where: { status: 'rascunho' }, orderBy: { field: 'total' } })).toEqual(['p4', 'p2', 'p3', 'p1']);
    expect(ids({ where: { ativo: true, status: { in: ['rascunho', 'cancelado'] } }, orderBy: { field: 'total', desc: true }, limit: 2 })).toEqual(['p1', 'p2']);
    expect(ids({ filter: (d) => (d.total as number) > 15 })).toEqual(['p1', 'p3']);
    expect(a.replica.list('orders', { where: { status: 'rascunho' } }).find((r) => r.id === 'p2')?.pending).toBe(true);
  });

  it('bootstraps a new workstation from a paged snapshot taken while writes go on', async () => {
    const a = ws('a');
    for (let i = 0; i < 300; i++) a.replica.write('products', `p${String(i).padStart(3, '0')}`, { nome: `Produto ${i}`, preco: i });
    await a.replica.syncNow();
    const b = ws('b', { snapshotPage: 40, online: false });
    let writes = 0;
    // Edits land between snapshot pages: the replay from startSeq must converge.
    const request = b.conn.request.bind(b.conn);
    b.conn.request = async <T,>(type: string, data: unknown): Promise<T> => {
      const res = await request<T>(type, data);
      if (type === 'sync.snapshot') {
        a.replica.write('products', `p${String(writes * 7).padStart(3, '0')}`, { preco: 1000 + writes });
        a.replica.write('products', `novo${writes}`, { nome: 'novo' });
        a.replica.remove('products', `p${String(299 - writes).padStart(3, '0')}`);
        writes++;
        await a.replica.syncNow();
      }
      return res;
    };
    b.conn.setOnline(true);
    await b.replica.syncNow();
    await syncAll(a, b);
    const all = (w: Workstation) => w.replica.list('products').map((r) => [r.id, r.data]);
    expect(all(b)).toEqual(all(a));
    expect(writes).toBe(8);
    expect(b.replica.list('products')).toHaveLength(300);
    expect(b.replica.status()).toMatchObject({ bootstrapping: false, cursor: server.engine.head() });
  });

  it('rebuilds from another server (new identity) keeping pending edits, and resends them', async () => {
    const a = ws('a');
    a.replica.write('customers', 'c1', { nome: 'Ana' });
    await a.replica.syncNow();
    a.conn.setOnline(false);
    a.replica.write('customers', 'c2', { nome: 'Bia' });

    // The server box is replaced: a fresh data folder, another identity.
    server.close();
    const other = tempDir('comboio-sync2-');
    server = new HarnessServer(other.dir);
    const rebuilt: unknown[] = [];
    a.replica.events.on('rebuilt', (e) => rebuilt.push(e));
    (a.conn as unknown as { server: HarnessServer }).server = server;
    a.conn.setOnline(true);
    await a.replica.syncNow();
    expect(rebuilt).toHaveLength(1);
    expect(a.replica.get('customers', 'c1')).toBeNull();
    expect(a.replica.get('customers', 'c2')?.data).toEqual({ nome: 'Bia' });
    expect(server.engine.get('customers', 'c2')?.data).toEqual({ nome: 'Bia' });
    server.close();
    other.cleanup();
    server = new HarnessServer(tmp.dir);
  });

  it('rebuild() at any time gives the same replica', async () => {
    const a = ws('a');
    for (let i = 0; i < 50; i++) a.replica.write('customers', `c${i}`, { n: i });
    await a.replica.syncNow();
    const before = a.replica.list('customers');
    await a.replica.rebuild();
    expect(a.replica.list('customers')).toEqual(before);
    expect(a.replica.status().cursor).toBe(server.engine.head());
  });
});

describe('local writes', () => {
  it('writeMany queues all items in one transaction or none', () => {
    const a = ws('a', { online: false });
    expect(() =>
      a.replica.writeMany([
        { collection: 'customers', id: 'c1', fields: { nome: 'Ana' } },
        { collection: 'Clientes!', id: 'c2', fields: { nome: 'Bia' } },
      ]),
    ).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(a.replica.status().pending).toBe(0);
    const ids = a.replica.writeMany([
      { collection: 'customers', id: 'c1', fields: { nome: 'Ana' } },
      { collection: 'customers', id: 'c1', delete: true },
      { collection: 'customers', id: 'c2', fields: { nome: 'Bia', apelido: undefined as never } },
    ]);
    expect(new Set(ids).size).toBe(3);
    expect(a.replica.get('customers', 'c1')).toBeNull();
    expect(a.replica.get('customers', 'c2')?.data).toEqual({ nome: 'Bia' });
    expect(a.replica.status().pending).toBe(3);
  });

  it('refuses bad field names and empty writes with a pt-BR message', () => {
    const a = ws('a', { online: false });
    expect(() => a.replica.write('customers', 'c1', JSON.parse('{"__proto__": 1}') as never)).toThrow(/Nome de campo inválido/);
    expect(() => a.replica.write('customers', '', { nome: 'x' })).toThrow(/Identificador/);
    expect(() => a.replica.write('customers', 'c1', {})).toThrow(/Nenhum campo/);
  });
});
