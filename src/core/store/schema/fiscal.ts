import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Fiscal master data and orders of the workstation store. Records mirror the order JSON
 * (src/core/fiscal/order.ts): the typed columns are what screens search and join on; the
 * `*_json` column is the full record the fiscal core reads. Money never lives here as a
 * float: decimals stay strings inside JSON, totals as integer centavos.
 */
export const fiscalEmitentes = sqliteTable(
  'fiscal_emitentes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** CNPJ (numeric or alphanumeric) or CPF, without punctuation. */
    documento: text('documento').notNull(),
    ie: text('ie').notNull(),
    uf: text('uf').notNull(),
    crt: integer('crt').notNull(),
    razaoSocial: text('razao_social').notNull(),
    /** OrderEmitente. */
    dataJson: text('data_json').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('fiscal_emitentes_doc').on(t.documento, t.ie)],
);

export const fiscalDestinatarios = sqliteTable(
  'fiscal_destinatarios',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documento: text('documento').notNull(),
    razaoSocial: text('razao_social').notNull(),
    uf: text('uf').notNull(),
    /** IE digits, "ISENTO", or null (não contribuinte). */
    ie: text('ie'),
    email: text('email'),
    /** OrderDestinatario. */
    dataJson: text('data_json').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('fiscal_destinatarios_doc').on(t.documento), index('fiscal_destinatarios_nome').on(t.razaoSocial)],
);

export const fiscalProdutos = sqliteTable('fiscal_produtos', {
  codigo: text('codigo').primaryKey(),
  descricao: text('descricao').notNull(),
  ncm: text('ncm').notNull(),
  unidade: text('unidade').notNull(),
  /** ANP code for fuels; null for lubricants and other goods. */
  codigoAnp: text('codigo_anp'),
  /** OrderProduto (ad rem rates, CEST, per-product ICMS/CFOP overrides). */
  dataJson: text('data_json').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const fiscalNaturezas = sqliteTable('fiscal_naturezas', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  descricao: text('descricao').notNull(),
  /** OrderNatureza: CFOP by UF relation, ICMS/PIS/COFINS/IBS-CBS rules, infAdFisco/infCpl templates. */
  dataJson: text('data_json').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** Orders (pedidos) waiting for or turned into an NF-e. */
export const fiscalPedidos = sqliteTable(
  'fiscal_pedidos',
  {
    id: text('id').primaryKey(),
    emitenteId: integer('emitente_id').notNull(),
    destinatarioId: integer('destinatario_id'),
    /** aberto | faturado | cancelado. */
    status: text('status').notNull(),
    totalCents: integer('total_cents').notNull(),
    /** Order JSON (without serie/numero until numbered). */
    orderJson: text('order_json').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('fiscal_pedidos_status').on(t.status, t.createdAt)],
);

/**
 * Every NF-e the core built and signed. `signedXml` is the record, byte for byte (never
 * re-serialised); `modelJson` is parseNfe's model for screens and DANFE.
 */
export const nfeDocuments = sqliteTable(
  'nfe_documents',
  {
    chave: text('chave').primaryKey(),
    pedidoId: text('pedido_id'),
    cnpj: text('cnpj').notNull(),
    serie: integer('serie').notNull(),
    nNF: integer('n_nf').notNull(),
    layout: text('layout').notNull(),
    tpEmis: integer('tp_emis').notNull(),
    vNFCents: integer('v_nf_cents').notNull(),
    signedXml: text('signed_xml').notNull(),
    modelJson: text('model_json').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('nfe_documents_number').on(t.cnpj, t.serie, t.nNF), index('nfe_documents_pedido').on(t.pedidoId)],
);
