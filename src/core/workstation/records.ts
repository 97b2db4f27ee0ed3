/**
 * The shared records a workstation reads and writes (customers, products, naturezas,
 * orders, documents, users). Implemented by the sync replica: writes land in the local
 * store and the outbox at once; the LAN server is the system of record.
 */
export interface RecordStore {
  get<T extends object>(collection: Collection, id: string): T | null;
  list<T extends object>(collection: Collection): T[];
  /** One bounded page (registries): rows whose data contains `text`, ordered by `orderBy`. */
  page<T extends object>(collection: Collection, opts: { text: string; orderBy: string; limit: number; offset: number }): T[];
  /** Sets the named top-level fields (creating the record if needed). Never waits for the network. */
  put<T extends object>(collection: Collection, id: string, fields: Partial<T>, user?: string | null): void;
  /** Deletes the record (locally at once, then at the server, which may refuse it). */
  remove(collection: Collection, id: string, user?: string | null): void;
}

export type Collection = 'customers' | 'products' | 'naturezas' | 'orders' | 'documents' | 'users' | 'establishment' | 'emitentes' | 'tax-history' | 'carriers' | 'vehicles' | 'drivers';
