import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * SEFAZ transmission outbox: one row per NF-e handed to SEFAZ. `signedXml` is the record,
 * byte for byte. States: queued (safe to send) → inflight (may have reached SEFAZ) →
 * unknown (consult by chave before anything else) / receipt (async lote, poll nRec) →
 * authorized | denied | cancelled | rejected. Rejected rows keep their number: the user
 * edits and enqueues again (same or new chave).
 */
export const sefazDocuments = sqliteTable(
  'sefaz_documents',
  {
    chave: text('chave').primaryKey(),
    cnpj: text('cnpj').notNull(),
    mod: text('mod').notNull(),
    serie: integer('serie').notNull(),
    nNF: integer('n_nf').notNull(),
    state: text('state').notNull(),
    signedXml: text('signed_xml').notNull(),
    nRec: text('n_rec'),
    cStat: text('c_stat'),
    xMotivo: text('x_motivo'),
    nProt: text('n_prot'),
    dhRecbto: text('dh_recbto'),
    procPath: text('proc_path'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    /** Until this time (epoch ms) a request whose reply was lost may still be processed by SEFAZ. */
    ambiguousUntil: integer('ambiguous_until'),
    lastError: text('last_error'),
    /** Process epoch holding the current lease (see SefazOutbox.claim); null when unclaimed. */
    leaseOwner: text('lease_owner'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('sefaz_documents_due').on(t.state, t.nextAttemptAt),
    // A number travels under one chave at a time; only a rejected document frees it for a new key.
    uniqueIndex('sefaz_documents_live_number').on(t.cnpj, t.mod, t.serie, t.nNF).where(sql`state not in ('rejected', 'superseded')`),
  ],
);

/** Every SEFAZ exchange (cStat, xMotivo, time, protocol), per document, for the status screen. */
export const sefazMessages = sqliteTable(
  'sefaz_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    chave: text('chave'),
    service: text('service').notNull(),
    at: text('at').notNull(),
    elapsedMs: integer('elapsed_ms').notNull(),
    outcome: text('outcome').notNull(),
    cStat: text('c_stat'),
    xMotivo: text('x_motivo'),
    nProt: text('n_prot'),
    error: text('error'),
  },
  (t) => [index('sefaz_messages_chave').on(t.chave, t.id)],
);

/** Registered events (cancelamento, CC-e): signed evento and procEventoNFe location. */
export const sefazEvents = sqliteTable(
  'sefaz_events',
  {
    chave: text('chave').notNull(),
    tpEvento: text('tp_evento').notNull(),
    nSeqEvento: integer('n_seq_evento').notNull(),
    state: text('state').notNull(),
    signedXml: text('signed_xml').notNull(),
    xCorrecao: text('x_correcao'),
    cStat: text('c_stat'),
    xMotivo: text('x_motivo'),
    nProt: text('n_prot'),
    procPath: text('proc_path'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chave, t.tpEvento, t.nSeqEvento] })],
);

/** Inutilized ranges with their protocol (procInutNFe), for the gap report. */
export const sefazInutilizacoes = sqliteTable('sefaz_inutilizacoes', {
  id: text('id').primaryKey(),
  cnpj: text('cnpj').notNull(),
  mod: text('mod').notNull(),
  serie: integer('serie').notNull(),
  nNFIni: integer('n_nf_ini').notNull(),
  nNFFin: integer('n_nf_fin').notNull(),
  state: text('state').notNull(),
  signedXml: text('signed_xml').notNull(),
  cStat: text('c_stat'),
  xMotivo: text('x_motivo'),
  nProt: text('n_prot'),
  procPath: text('proc_path'),
  createdAt: text('created_at').notNull(),
});
