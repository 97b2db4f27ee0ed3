import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * "Faturar selecionados" (issue #21): a batch of orders billed one by one through the
 * normal finalize (billing.finalize's journal). The batch and each item's state are rows of
 * the station's store, so the progress survives closing the screen and a restart resumes
 * what was pending.
 */
export const billingBatch = sqliteTable(
  'billing_batch',
  {
    id: text('id').primaryKey(),
    /** The faturista who started it ({ login, name, roles }, JSON): every finalize is theirs. */
    user: text('user').notNull(),
    seriesId: text('series_id').notNull(),
    printTo: text('print_to').notNull(),
    /** 'executando' until every item has left pendente/executando, then 'concluido'. */
    state: text('state').notNull(),
    total: integer('total').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('billing_batch_created').on(t.createdAt), index('billing_batch_state').on(t.state)],
);

/**
 * One order of a batch. pendente → executando → emitida (a document exists; its colour is the
 * document's) | ocupado (locked by someone else: skipped, holder in `message`) | erro.
 */
export const billingBatchItem = sqliteTable(
  'billing_batch_item',
  {
    batchId: text('batch_id').notNull(),
    position: integer('position').notNull(),
    orderId: text('order_id').notNull(),
    state: text('state').notNull(),
    documentId: text('document_id'),
    number: integer('number'),
    message: text('message'),
    code: text('code'),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [
    uniqueIndex('billing_batch_item_pk').on(t.batchId, t.position),
    index('billing_batch_item_state').on(t.state),
    index('billing_batch_item_order').on(t.orderId),
  ],
);
