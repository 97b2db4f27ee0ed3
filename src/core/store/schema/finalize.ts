import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The finalize journal: one row per finalize (pedido → NF-e), advanced step by step, each
 * step durable before the next external effect (lock, allocation, SEFAZ). A process that
 * dies anywhere resumes from the row's step at the next start.
 *   started → locked → allocated → signed → committed → released → done | abandoned
 */
export const finalizeJournal = sqliteTable(
  'finalize_journal',
  {
    id: text('id').primaryKey(),
    /** 'nfe' (pedido → NF-e) or 'cte' (the freight of billed NF-e → CT-e). */
    kind: text('kind').notNull().default('nfe'),
    /** The order (NF-e) or the freight key `cte:<first NF-e chave>` (CT-e). */
    orderId: text('order_id').notNull(),
    step: text('step').notNull(),
    /** The user who asked for it ({ login, name, roles }, JSON). */
    user: text('user').notNull(),
    seriesId: text('series_id').notNull(),
    suggested: integer('suggested'),
    printTo: text('print_to').notNull(),
    /**
     * Secret proving this station's restarted process is the lock's holder: the lock request
     * carries its SHA-256; only its owner can later show the key itself (locks.reclaim).
     */
    ownerKey: text('owner_key').notNull(),
    lockToken: text('lock_token'),
    /** Idempotency key of the allocation: a retry (or a resume) gets the same number. */
    allocRequestId: text('alloc_request_id').notNull(),
    number: integer('number'),
    numberChanged: integer('number_changed', { mode: 'boolean' }),
    chave: text('chave'),
    /** File (in the documents folder) holding the signed XML, fsync'd. */
    xmlFile: text('xml_file'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** What else the flow needs to resume (CT-e: the NF-e it carries), JSON. */
    payload: text('payload'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('finalize_journal_open').on(t.step),
    // One live finalize per order.
    uniqueIndex('finalize_journal_live_order').on(t.orderId).where(sql`step not in ('done', 'abandoned')`),
  ],
);

/**
 * The other fiscal flows as durable intents (issue #17): cancelamento, carta de correção,
 * inutilização, reprint and XML import. One row per request, its step written before each
 * external effect (SEFAZ, the LAN server, the printer), resumed at start, when the LAN
 * server returns and periodically. `payload` holds what the flow needs (JSON), including
 * the signed request once it exists, so a resume sends the same bytes again.
 */
export const intentJournal = sqliteTable(
  'intent_journal',
  {
    id: text('id').primaryKey(),
    /** 'cancel' | 'cce' | 'inutilizacao' | 'reprint' | 'import' */
    kind: text('kind').notNull(),
    /** What it acts on: the chave (cancel, CC-e, import), the range id (inutilização), the request (reprint). */
    target: text('target').notNull(),
    step: text('step').notNull(),
    user: text('user').notNull(),
    payload: text('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('intent_journal_open').on(t.step),
    // One live intent per kind and target: a repeated request continues it.
    uniqueIndex('intent_journal_live').on(t.kind, t.target).where(sql`step not in ('done', 'failed')`),
  ],
);
