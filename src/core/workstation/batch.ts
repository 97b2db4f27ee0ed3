import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { BatchDto, BatchItemDto, BatchItemState, BatchMethods, BatchSummaryDto } from '../../shared/api/batch';
import type { CustomerDto, LockHolderDto, OrderDto } from '../../shared/api/billing';
import type { SessionUser } from '../../shared/api/session';
import { ErrorCodes } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { isoWithOffset } from '../clock';
import { AppError, invalidInput } from '../errors';
import { int, obj, oneOf, str } from '../input';
import { NumberingErrors } from '../numbering/protocol';
import { billingBatch, billingBatchItem } from '../store/schema/batch';
import type { DomainHandlers, WorkstationContext } from './context';
import { colorOf, type DocumentRecord } from './documents';
import { BillingErrors, parseSeriesId, type BillingService } from './handlers/billing';
import type { WorkstationRuntime } from './runtime';

/** Two finalizes at a time: signing and the LAN round trips overlap, the 2-core station is not swamped. */
export const BATCH_PARALLELISM = 2;
const MAX_ORDERS = 500;
const OPEN_STATES: BatchItemState[] = ['pendente', 'executando', 'aguardando'];

type BatchRow = typeof billingBatch.$inferSelect;
type ItemRow = typeof billingBatchItem.$inferSelect;

/** Input schema of batch.start. */
export function parseBatchStart(params: unknown): BatchMethods['batch.start']['params'] {
  const o = obj(params, 'params');
  const ids = o.orderIds;
  if (!Array.isArray(ids) || ids.length === 0) throw invalidInput('Selecione ao menos um pedido.', 'orderIds');
  if (ids.length > MAX_ORDERS) throw invalidInput(`No máximo ${MAX_ORDERS} pedidos por vez (foram ${ids.length}).`, 'orderIds');
  const orderIds = [...new Set(ids.map((id) => str({ id }, 'id', { max: 100 })))];
  const seriesId = str(o, 'seriesId', { max: 40 });
  parseSeriesId(seriesId);
  const printTo = oneOf(o, 'printTo', ['form', 'pdf', 'none'] as const);
  return { orderIds, seriesId, printTo };
}

/** Input schema of batch.get. */
export function parseBatchGet(params: unknown): { id: string } {
  return { id: str(obj(params, 'params'), 'id', { max: 100 }) };
}

/** Input schema of batch.list. */
export function parseBatchList(params: unknown): { limit: number } {
  return { limit: int(obj(params, 'params'), 'limit', { min: 1, max: 50, optional: true }) ?? 10 };
}

export interface BatchService {
  handlers: DomainHandlers<BatchMethods>;
  /** Waiting items back in line and the pool filled: at start, on the resume tick, on sign-in. */
  tick(): void;
  /** Resolves when no item is being billed right now (tests, close). */
  idle(): Promise<void>;
}

/**
 * "Faturar selecionados": each order goes through billing.finalize (journal, lock, LAN
 * number, signing, outbox, printing) — the batch only keeps the list and each item's outcome.
 * An order locked elsewhere is skipped with its holder; one billed meanwhile is skipped too.
 */
export function batchService(w: WorkstationContext, rt: WorkstationRuntime, billing: BillingService): BatchService {
  const db = w.store.db;
  const now = () => isoWithOffset(w.clock.now());
  let active = 0;
  const waiters: (() => void)[] = [];

  // A process that died mid-item: the order's finalize journal carries on; the item asks it again.
  db.update(billingBatchItem).set({ state: 'pendente' }).where(eq(billingBatchItem.state, 'executando')).run();

  const batchRow = (id: string): BatchRow => {
    const b = db.select().from(billingBatch).where(eq(billingBatch.id, id)).get();
    if (!b) throw new AppError(ErrorCodes.NOT_FOUND, 'Faturamento em lote não encontrado.');
    return b;
  };
  const userOf = (b: BatchRow) => JSON.parse(b.user) as SessionUser;

  const setItem = (it: ItemRow, fields: Partial<ItemRow>) =>
    db
      .update(billingBatchItem)
      .set(fields)
      .where(and(eq(billingBatchItem.batchId, it.batchId), eq(billingBatchItem.position, it.position)))
      .run();

  /** The next item to bill: oldest running batch whose user has a LAN session here. */
  const nextItem = (): { batch: BatchRow; item: ItemRow } | null => {
    const open = db.select().from(billingBatch).where(eq(billingBatch.state, 'executando')).orderBy(asc(billingBatch.createdAt)).limit(20).all();
    for (const b of open) {
      // After a restart the finalize is asked as its user: it waits until they sign in again.
      if (rt.clientFor(userOf(b).login) === null && rt.lan?.state === 'online') continue;
      const item = db
        .select()
        .from(billingBatchItem)
        .where(and(eq(billingBatchItem.batchId, b.id), eq(billingBatchItem.state, 'pendente')))
        .orderBy(asc(billingBatchItem.position))
        .limit(1)
        .get();
      if (item) return { batch: b, item };
    }
    return null;
  };

  const closeIfDone = (batchId: string) => {
    const left = db
      .select({ n: sql<number>`count(*)` })
      .from(billingBatchItem)
      .where(and(eq(billingBatchItem.batchId, batchId), inArray(billingBatchItem.state, OPEN_STATES)))
      .get()!.n;
    db.update(billingBatch).set({ state: left === 0 ? 'concluido' : 'executando', updatedAt: now() }).where(eq(billingBatch.id, batchId)).run();
  };

  const pump = () => {
    while (active < BATCH_PARALLELISM) {
      const next = nextItem();
      if (!next) break;
      active++;
      // Taken synchronously: the next pass of this loop sees it as executando.
      setItem(next.item, { state: 'executando', startedAt: now(), message: null, code: null });
      void runItem(next.batch, next.item).finally(() => {
        active--;
        closeIfDone(next.batch.id);
        if (active === 0) waiters.splice(0).forEach((f) => f());
        pump();
      });
    }
  };

  async function runItem(b: BatchRow, it: ItemRow): Promise<void> {
    const user = userOf(b);
    const order = w.records.get<OrderDto>('orders', it.orderId);
    const finish = (state: BatchItemState, fields: Partial<ItemRow>): void => void setItem(it, { state, finishedAt: now(), ...fields });
    if (!order) return finish('erro', { code: ErrorCodes.NOT_FOUND, message: 'Pedido não encontrado.' });
    if (order.status === 'faturado') return finish(...alreadyBilled(order, user));
    try {
      const r = await billing.finalize({ orderId: order.id, seriesId: b.seriesId, suggested: null, requestId: newId(), printTo: b.printTo as 'form' | 'pdf' | 'none' }, user);
      if (!r.documentId) {
        // LAN server away / no contingency yet: the finalize is journaled and goes on by itself.
        return finish('aguardando', { number: r.number || null, message: r.message, code: r.status });
      }
      return finish('emitida', { documentId: r.documentId, number: r.number, message: r.message, code: null });
    } catch (err) {
      const e = err instanceof AppError ? err : new AppError('INTERNAL', (err as Error).message);
      if (e.code === NumberingErrors.LOCK_HELD) return finish('ocupado', { code: e.code, message: e.message, documentId: null });
      if (e.code === BillingErrors.ORDER_BILLED || (e.code === ErrorCodes.CONFLICT && w.records.get<OrderDto>('orders', order.id)?.status === 'faturado')) {
        return finish(...alreadyBilled(w.records.get<OrderDto>('orders', order.id) ?? order, user, e.message));
      }
      if (billing.isTransient(e)) return finish('aguardando', { code: e.code, message: e.message });
      return finish('erro', { code: e.code, message: e.message });
    }
  }

  /** Billed before this item ran: by this faturista here (a resumed batch) it is theirs; else skipped. */
  function alreadyBilled(order: OrderDto, user: SessionUser, message?: string): [BatchItemState, Partial<ItemRow>] {
    const d = order.documentId ? w.records.get<DocumentRecord>('documents', order.documentId) : null;
    if (d && d.workstation === w.workstation && d.user === user.login) {
      return ['emitida', { documentId: d.id, number: d.number, message: `NF-e ${d.number} série ${d.serie}.`, code: null }];
    }
    const where = d && d.workstation !== w.workstation ? ` em ${d.workstation}` : '';
    return ['ocupado', { code: BillingErrors.ORDER_BILLED, documentId: null, message: message ?? `O pedido ${order.numeroPedido} já foi faturado${d ? ` (NF-e ${d.number} série ${d.serie})` : ''}${where}.` }];
  }

  const holderOf = (it: ItemRow): LockHolderDto | null => {
    if (it.code !== NumberingErrors.LOCK_HELD) return null;
    const m = /^Pedido em faturamento por (.+) em (.+) \(IP (.+)\) desde (\d\d:\d\d)$/.exec(it.message ?? '');
    return m ? { name: m[1]!, user: m[1]!, workstation: m[2]!, ip: m[3]!, since: m[4]! } : null;
  };

  const itemDto = (it: ItemRow): BatchItemDto => {
    const order = w.records.get<OrderDto>('orders', it.orderId);
    // A rejected note sent again ("Reenviar") may be a new document of the same order: follow the order.
    const docId = it.state === 'emitida' ? (order?.documentId ?? it.documentId) : null;
    const d = docId ? w.records.get<DocumentRecord>('documents', docId) : null;
    const color = d ? colorOf(d.status) : it.state === 'ocupado' || it.state === 'erro' ? 'red' : it.state === 'pendente' ? 'grey' : 'yellow';
    return {
      position: it.position,
      orderId: it.orderId,
      numeroPedido: order?.numeroPedido ?? null,
      cliente: order ? (w.records.get<CustomerDto>('customers', order.customerId)?.nome ?? null) : null,
      state: it.state as BatchItemState,
      color,
      documentId: d?.id ?? null,
      documentStatus: d?.status ?? null,
      number: d?.number ?? it.number,
      message: d ? `NF-e ${d.number} série ${d.serie}: ${d.status === 'rejeitada' ? `rejeitada — ${d.cStat ?? ''} ${d.xMotivo ?? ''}`.trim() : statusText(d.status)}` : it.message,
      code: it.code,
      holder: holderOf(it),
      sefaz: (d?.messages ?? []).map((m) => ({ at: m.at, cStat: m.cStat, xMotivo: m.xMotivo })),
      canResend: d?.status === 'rejeitada' && d.orderId !== null,
    };
  };

  const summaryOf = (b: BatchRow, items: BatchItemDto[]): BatchSummaryDto => {
    const rows = db.select().from(billingBatchItem).where(eq(billingBatchItem.batchId, b.id)).all();
    const finished = rows.filter((r) => r.startedAt && r.finishedAt);
    const open = rows.filter((r) => OPEN_STATES.includes(r.state as BatchItemState) && r.state !== 'aguardando').length;
    const avg = finished.length ? finished.reduce((s, r) => s + (Date.parse(r.finishedAt!) - Date.parse(r.startedAt!)), 0) / finished.length : null;
    const current = items.filter((i) => i.state === 'executando').sort((x, y) => x.position - y.position)[0];
    return {
      id: b.id,
      state: b.state as BatchSummaryDto['state'],
      user: userOf(b).name || userOf(b).login,
      total: b.total,
      done: items.filter((i) => !OPEN_STATES.includes(i.state)).length,
      authorized: items.filter((i) => i.color === 'green').length,
      waiting: items.filter((i) => i.color === 'yellow').length,
      rejected: items.filter((i) => i.state === 'emitida' && i.color === 'red').length,
      skipped: items.filter((i) => i.state === 'ocupado').length,
      failed: items.filter((i) => i.state === 'erro').length,
      currentCliente: current?.cliente ?? null,
      remainingMs: avg === null ? null : open === 0 ? 0 : Math.round((avg * open) / BATCH_PARALLELISM),
      createdAt: b.createdAt,
      updatedAt: b.updatedAt,
    };
  };

  const batchDto = (b: BatchRow): BatchDto => {
    const items = db.select().from(billingBatchItem).where(eq(billingBatchItem.batchId, b.id)).orderBy(asc(billingBatchItem.position)).all().map(itemDto);
    return { ...summaryOf(b, items), items };
  };

  const handlers: DomainHandlers<BatchMethods> = {
    'batch.start': (params, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      const p = parseBatchStart(params);
      // An order already in a running batch of this station is not queued twice.
      const queued = new Set(
        db
          .select({ orderId: billingBatchItem.orderId })
          .from(billingBatchItem)
          .where(and(inArray(billingBatchItem.orderId, p.orderIds), inArray(billingBatchItem.state, OPEN_STATES)))
          .all()
          .map((r) => r.orderId),
      );
      const orderIds = p.orderIds.filter((id) => !queued.has(id));
      if (orderIds.length === 0) throw new AppError(ErrorCodes.CONFLICT, 'Os pedidos selecionados já estão sendo faturados nesta estação.');
      const id = newId();
      const at = now();
      w.store.sqlite.transaction(() => {
        db.insert(billingBatch).values({ id, user: JSON.stringify(me.user), seriesId: p.seriesId, printTo: p.printTo, state: 'executando', total: orderIds.length, createdAt: at, updatedAt: at }).run();
        orderIds.forEach((orderId, position) => db.insert(billingBatchItem).values({ batchId: id, position, orderId, state: 'pendente' }).run());
      })();
      w.audit(me.user.login, 'batch.start', `Faturamento em lote de ${orderIds.length} pedido(s) iniciado`);
      pump();
      return batchDto(batchRow(id));
    },
    'batch.get': (params, ctx) => {
      w.sessions.require(ctx, 'faturista');
      return batchDto(batchRow(parseBatchGet(params).id));
    },
    'batch.list': (params, ctx) => {
      w.sessions.require(ctx, 'faturista');
      const { limit } = parseBatchList(params);
      return db
        .select()
        .from(billingBatch)
        .orderBy(desc(billingBatch.createdAt))
        .limit(limit)
        .all()
        .map((b) => {
          const items = db.select().from(billingBatchItem).where(eq(billingBatchItem.batchId, b.id)).all().map(itemDto);
          return summaryOf(b, items);
        });
    },
  };

  return {
    handlers,
    tick() {
      db.update(billingBatchItem).set({ state: 'pendente' }).where(eq(billingBatchItem.state, 'aguardando')).run();
      pump();
    },
    idle: () => (active === 0 ? Promise.resolve() : new Promise<void>((ok) => waiters.push(ok))),
  };
}

function statusText(s: DocumentRecord['status']): string {
  switch (s) {
    case 'autorizada':
      return 'autorizada';
    case 'processando':
      return 'processando na SEFAZ';
    case 'aguardando_sefaz':
      return 'aguardando SEFAZ (reenvio automático)';
    case 'denegada':
      return 'denegada';
    case 'cancelada':
      return 'cancelada';
    default:
      return s.replace(/_/g, ' ');
  }
}
