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
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('finalize_journal_open').on(t.step),
    // One live finalize per order.
    uniqueIndex('finalize_journal_live_order').on(t.orderId).where(sql`step not in ('done', 'abandoned')`),
  ],
);
