import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Replica of the LAN server's shared records (src/core/sync). `data` is the record's JSON
 * as the server last sent it; `seq` the server sequence number of that version.
 */
export const syncRecords = sqliteTable(
  'sync_records',
  {
    collection: text('collection').notNull(),
    id: text('id').notNull(),
    data: text('data').notNull(),
    seq: integer('seq').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.collection, t.id] })],
);

/** Snapshot pages land here during a rebuild; swapped into sync_records in one transaction. */
export const syncStaging = sqliteTable(
  'sync_staging',
  {
    collection: text('collection').notNull(),
    id: text('id').notNull(),
    data: text('data').notNull(),
    seq: integer('seq').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.collection, t.id] })],
);

/**
 * Local writes waiting for (or answered by) the server, in the order they were typed.
 * pending → acked (server seq known; removed once the replica has pulled past it) or
 * rejected (kept, with the server's reason, until the user dismisses it).
 */
export const syncOutbox = sqliteTable(
  'sync_outbox',
  {
    localSeq: integer('local_seq').primaryKey({ autoIncrement: true }),
    mutationId: text('mutation_id').notNull().unique(),
    collection: text('collection').notNull(),
    recordId: text('record_id').notNull(),
    /** JSON object of the fields set; null for a deletion. */
    fields: text('fields'),
    isDelete: integer('is_delete', { mode: 'boolean' }).notNull(),
    baseSeq: integer('base_seq').notNull(),
    user: text('user'),
    state: text('state', { enum: ['pending', 'acked', 'rejected'] }).notNull(),
    seq: integer('seq'),
    code: text('code'),
    message: text('message'),
    createdAt: text('created_at').notNull(),
    resolvedAt: text('resolved_at'),
  },
  (t) => [index('sync_outbox_record').on(t.collection, t.recordId, t.localSeq), index('sync_outbox_state').on(t.state, t.localSeq)],
);

/** Cursor, server identity, last sync time, snapshot progress (key → JSON value). */
export const syncState = sqliteTable('sync_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
