import type Database from 'better-sqlite3';

/**
 * The relational projection of the shared records (issue #15): documents, their files,
 * orders with their items, customers and products as columns and indexes, next to the
 * change feed in `sync.sqlite` so each applied mutation updates it in the same transaction.
 *
 * It is derived data: `records` stays the source, and the projection can always be rebuilt
 * from it. So it versions on its own (`sync_meta.records_projection`, not `user_version`,
 * which the sync store's own migrations use): a new version drops these tables and rebuilds
 * them from `records` at start — which is also how a data folder made before the projection
 * existed moves to it (the first start backfills).
 *
 * Plain SQL that PostgreSQL also speaks, except the name index (FTS5 trigram), which a
 * PostgreSQL store would make with pg_trgm; both stay inside src/server/records.
 */
export const PROJECTION_VERSION = 1;

export const PROJECTION_TABLES = [
  'rec_names_fts',
  'rec_names',
  'rec_documents',
  'rec_document_nfes',
  'rec_blobs',
  'rec_files',
  'rec_customers',
  'rec_products',
  'rec_orders',
  'rec_order_items',
] as const;

const DDL = `
  -- Every distinct customer name, normalized (no accents, lower case): the name index is
  -- over names, not over documents (far fewer rows); docs/orders count what refers to each,
  -- so a search knows how many rows a name fragment matches before choosing its plan.
  CREATE TABLE rec_names (
    name_id INTEGER PRIMARY KEY,
    norm TEXT NOT NULL UNIQUE,
    docs INTEGER NOT NULL DEFAULT 0,
    orders INTEGER NOT NULL DEFAULT 0
  );
  CREATE VIRTUAL TABLE rec_names_fts USING fts5(norm, tokenize = 'trigram', content = 'rec_names', content_rowid = 'name_id');

  CREATE TABLE rec_documents (
    doc_key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    model INTEGER NOT NULL,
    cnpj TEXT NOT NULL,
    serie INTEGER NOT NULL,
    numero INTEGER NOT NULL,
    chave TEXT NOT NULL,
    tp_emis INTEGER NOT NULL,
    status TEXT NOT NULL,
    c_stat TEXT,
    issued_at TEXT NOT NULL,
    -- Local day of emission (as the ISO text with offset says it) and the instant: the
    -- order of every list is (issued_day, issued_ms, doc_key) descending.
    issued_day TEXT NOT NULL,
    issued_ms INTEGER NOT NULL,
    cliente TEXT NOT NULL,
    cliente_doc TEXT NOT NULL,
    name_id INTEGER NOT NULL,
    total_centavos INTEGER NOT NULL,
    n_prot TEXT,
    authorized_at TEXT,
    order_id TEXT,
    issued_by TEXT NOT NULL,
    workstation TEXT NOT NULL,
    imported INTEGER NOT NULL,
    cte_id TEXT,
    tomador_nome TEXT,
    tomador_doc TEXT
  );
  CREATE INDEX rec_documents_chave ON rec_documents (chave);
  CREATE INDEX rec_documents_date ON rec_documents (issued_day, issued_ms, doc_key);
  CREATE INDEX rec_documents_numero ON rec_documents (numero, issued_day, issued_ms, doc_key);
  CREATE INDEX rec_documents_serie_numero ON rec_documents (cnpj, model, serie, numero);
  CREATE INDEX rec_documents_cliente_doc ON rec_documents (cliente_doc, issued_day, issued_ms, doc_key);
  CREATE INDEX rec_documents_name ON rec_documents (name_id, issued_day, issued_ms, doc_key);
  CREATE INDEX rec_documents_status ON rec_documents (status, issued_day, issued_ms, doc_key);
  CREATE INDEX rec_documents_model ON rec_documents (model, issued_day, issued_ms, doc_key);
  CREATE INDEX rec_documents_order ON rec_documents (order_id) WHERE order_id IS NOT NULL;
  CREATE INDEX rec_documents_cte ON rec_documents (cte_id) WHERE cte_id IS NOT NULL;

  -- CT-e → the NF-e it transports.
  CREATE TABLE rec_document_nfes (
    doc_key INTEGER NOT NULL,
    nfe_chave TEXT NOT NULL,
    PRIMARY KEY (doc_key, nfe_chave)
  ) WITHOUT ROWID;
  CREATE INDEX rec_document_nfes_chave ON rec_document_nfes (nfe_chave);

  -- Files by content (SHA-256): each stored once however many documents or versions name it.
  CREATE TABLE rec_blobs (
    blob_id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    bytes INTEGER NOT NULL,
    content TEXT NOT NULL
  );
  CREATE TABLE rec_files (
    doc_key INTEGER NOT NULL,
    kind TEXT NOT NULL,
    blob_id INTEGER NOT NULL,
    PRIMARY KEY (doc_key, kind)
  ) WITHOUT ROWID;
  CREATE INDEX rec_files_blob ON rec_files (blob_id);

  CREATE TABLE rec_customers (
    cust_key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    documento TEXT NOT NULL,
    nome TEXT NOT NULL,
    name_id INTEGER NOT NULL,
    uf TEXT
  );
  CREATE INDEX rec_customers_documento ON rec_customers (documento);
  CREATE INDEX rec_customers_name ON rec_customers (name_id);

  CREATE TABLE rec_products (
    prod_key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    codigo TEXT NOT NULL,
    descricao TEXT NOT NULL
  );
  CREATE INDEX rec_products_codigo ON rec_products (codigo);

  CREATE TABLE rec_orders (
    order_key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    numero_pedido TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    name_id INTEGER NOT NULL,
    cliente_doc TEXT NOT NULL,
    status TEXT NOT NULL,
    -- 1 while the order is not billed nor cancelled ("pendentes").
    open INTEGER NOT NULL,
    total_centavos INTEGER NOT NULL,
    document_id TEXT,
    numero_nota INTEGER,
    items INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    upd_day TEXT NOT NULL,
    upd_ms INTEGER NOT NULL
  );
  CREATE INDEX rec_orders_date ON rec_orders (upd_day, upd_ms, order_key);
  CREATE INDEX rec_orders_pedido ON rec_orders (numero_pedido);
  CREATE INDEX rec_orders_customer ON rec_orders (customer_id);
  CREATE INDEX rec_orders_name ON rec_orders (name_id, upd_day, upd_ms, order_key);
  CREATE INDEX rec_orders_cliente_doc ON rec_orders (cliente_doc, upd_day, upd_ms, order_key);
  CREATE INDEX rec_orders_status ON rec_orders (status, upd_day, upd_ms, order_key);
  CREATE INDEX rec_orders_open ON rec_orders (open, upd_day, upd_ms, order_key);
  CREATE INDEX rec_orders_nota ON rec_orders (numero_nota, upd_day, upd_ms, order_key) WHERE numero_nota IS NOT NULL;
  CREATE INDEX rec_orders_document ON rec_orders (document_id) WHERE document_id IS NOT NULL;

  CREATE TABLE rec_order_items (
    order_key INTEGER NOT NULL,
    line INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    quantidade TEXT NOT NULL,
    preco_unitario TEXT NOT NULL,
    PRIMARY KEY (order_key, line)
  ) WITHOUT ROWID;
  CREATE INDEX rec_order_items_product ON rec_order_items (product_id);
`;

export function projectionVersion(db: Database.Database): number | null {
  const row = db.prepare("SELECT value FROM sync_meta WHERE key = 'records_projection'").get() as { value: string } | undefined;
  return row ? Number(row.value) : null;
}

/** Drops whatever projection tables exist and creates the current ones, empty (inside a transaction). */
export function recreateProjection(db: Database.Database): void {
  for (const t of PROJECTION_TABLES) db.exec(`DROP TABLE IF EXISTS ${t}`);
  db.exec(DDL);
}

export function markProjection(db: Database.Database): void {
  db.prepare("INSERT INTO sync_meta (key, value) VALUES ('records_projection', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
    String(PROJECTION_VERSION),
  );
}
