import { Replica, type ReplicaOptions } from './replica';

/**
 * Workstation side of shared-records replication (issue 8). Build one replica per
 * workstation store; the domain handlers (orders, customers, products, documents…) read
 * and write through it:
 *
 *   const replica = createReplica({ store, connection, clientId });
 *   replica.write('orders', id, { cliente: '…', itens: [...] });   // returns at once
 *   replica.get('orders', id);  replica.list('orders', { where: { status: 'rascunho' } });
 *   replica.events.on('status', s => statusBar(s));                // online, pending, rejected, lastSyncAt
 *   replica.events.on('online', () => resumeWaitingFinalizations());
 *   replica.rejections();  replica.dismiss(mutationId);  await replica.rebuild();
 */
export function createReplica(opts: ReplicaOptions): Replica {
  const replica = new Replica(opts);
  replica.start();
  return replica;
}

export { Replica };
export type { FieldFilter, ListQuery, LocalWrite, RecordView, Rejection, ReplicaEvents, ReplicaOptions, ReplicaStatus, WriteResult } from './replica';
export type { SyncConnection } from './connection';
export {
  SYNC_POKE_EVENT,
  SyncErrors,
  SyncMessageTypes,
  type HistoryEntry,
  type JsonObject,
  type JsonValue,
  type RecordKey,
} from './protocol';
export { lanSyncConnection } from './lan-connection';
