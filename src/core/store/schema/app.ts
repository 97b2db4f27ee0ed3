import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Workstation settings as JSON values (LAN server address, SEFAZ environment, printers…). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  valueJson: text('value_json').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** Who did what on this workstation (reprints, user changes, cancelamentos…). */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    user: text('user').notNull(),
    action: text('action').notNull(),
    detail: text('detail').notNull(),
    documentId: text('document_id'),
  },
  (t) => [index('audit_log_document').on(t.documentId)],
);
