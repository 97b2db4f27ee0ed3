import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Printers configured on this workstation (serial, network, spooler, device or file), with their calibration. */
export const printers = sqliteTable('printers', {
  name: text('name').primaryKey(),
  // Only checked in TypeScript (no SQL CHECK): new transports need no migration.
  kind: text('kind', { enum: ['serial', 'file', 'tcp', 'spool', 'device'] }).notNull(),
  /** Transport settings as JSON (path, baud, parity, flow, serialNumber/pnpId for replugs). */
  configJson: text('config_json').notNull(),
  /** Calibration offsets in tenths of a millimetre (integers: no float drift when saved). */
  dxTenthsMm: integer('dx_tenths_mm').notNull().default(0),
  dyTenthsMm: integer('dy_tenths_mm').notNull().default(0),
  isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * The persistent print queue. Rows are never deleted: a failed job stays with its reason,
 * a reprint is a new row pointing at the original (reprint_of) with who asked and when.
 */
export const printJobs = sqliteTable(
  'print_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    printerName: text('printer_name').notNull(),
    /** The printer settings when queued (used when the printer is not configured by name). */
    printerJson: text('printer_json').notNull(),
    kind: text('kind', { enum: ['danfe', 'dacte', 'calibracao'] }).notNull(),
    layout: text('layout').notNull(),
    documentKey: text('document_key'),
    title: text('title').notNull(),
    /** The authorized nfeProc as stored (rendered again on retry, with current calibration). */
    sourceXml: text('source_xml'),
    state: text('state', { enum: ['queued', 'printing', 'done', 'failed', 'cancelled'] }).notNull(),
    reason: text('reason'),
    reasonCode: text('reason_code'),
    attempts: integer('attempts').notNull().default(0),
    pages: integer('pages'),
    bytesTotal: integer('bytes_total'),
    bytesSent: integer('bytes_sent').notNull().default(0),
    requestedBy: text('requested_by').notNull(),
    requestedAt: text('requested_at').notNull(),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
    reprintOf: integer('reprint_of'),
    /** The intent that queued it (a reprint): queuing again after a crash finds this job. */
    requestId: text('request_id'),
  },
  (t) => [index('print_jobs_state_idx').on(t.state, t.id), index('print_jobs_document_idx').on(t.documentKey), uniqueIndex('print_jobs_request_idx').on(t.requestId)],
);
