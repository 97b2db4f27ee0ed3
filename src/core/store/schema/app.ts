import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Workstation settings as JSON values (LAN server address, SEFAZ environment, printers…). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  valueJson: text('value_json').notNull(),
  updatedAt: text('updated_at').notNull(),
});
