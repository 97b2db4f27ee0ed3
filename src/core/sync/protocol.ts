/**
 * Replication protocol of shared records (customers, products, orders, documents…)
 * between workstations and the LAN server. Shared by the server (src/server/sync) and the
 * workstation replica (src/core/sync). Messages travel in the LAN server's framing
 * (src/core/numbering/protocol.ts): request `{id, type, data}`, reply, push `{event, data}`.
 *
 * Records are opaque JSON objects in named collections; the engine never looks inside
 * them. Every accepted change gets a server sequence number (`seq`), strictly increasing.
 */

export const SYNC_PROTOCOL_VERSION = 1;

export const SyncMessageTypes = {
  info: 'sync.info',
  snapshot: 'sync.snapshot',
  pull: 'sync.pull',
  push: 'sync.push',
  history: 'sync.history',
} as const;

/** Server → client push sent after new changes commit: pull from your cursor. */
export const SYNC_POKE_EVENT = 'sync.poke';

export const SyncErrors = {
  /** Collection marked read-only for workstations (series configuration). */
  READ_ONLY: 'SYNC_READ_ONLY',
  /** Edit of a record someone else deleted. */
  RECORD_DELETED: 'SYNC_RECORD_DELETED',
  /** A mutation id arrived again for a different record. */
  MUTATION_ID_REUSED: 'SYNC_MUTATION_ID_REUSED',
  /** The collection is not served by this server. */
  UNKNOWN_COLLECTION: 'SYNC_UNKNOWN_COLLECTION',
  /** A domain validator threw instead of answering. */
  VALIDATOR_FAILED: 'SYNC_VALIDATOR_FAILED',
  /** Mutation larger than the server accepts in one message. */
  TOO_LARGE: 'SYNC_TOO_LARGE',
  /** The replica is not bootstrapped yet or was built from another server. */
  NOT_READY: 'SYNC_NOT_READY',
  /** The cursor is older than the oldest retained change (compaction): rebuild from a snapshot. */
  SNAPSHOT_REQUIRED: 'SYNC_SNAPSHOT_REQUIRED',
} as const;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface RecordKey {
  collection: string;
  id: string;
}

/** A record as the server holds it. `data` is null only for tombstones in the feed. */
export interface WireRecord extends RecordKey {
  data: JsonObject;
  seq: number;
  version: number;
}

export interface WireChange extends RecordKey {
  seq: number;
  version: number;
  /** The full record after the change; null when the change deleted it. */
  data: JsonObject | null;
  /** Top-level fields whose value changed (empty for deletions). */
  fields: string[];
  user: string;
  workstation: string;
  /** Server time of the change, ISO with offset. */
  at: string;
}

/** A client's intent: set these top-level fields (or delete the record). */
export interface WireMutation extends RecordKey {
  /** Idempotency key chosen by the client: the same id always gets the same result. */
  mutationId: string;
  fields?: JsonObject;
  delete?: boolean;
  /** Replica cursor when the edit was made: changes above it were not seen by the author. */
  baseSeq: number;
  /** Who typed it (the connection's user when absent). */
  user?: string;
  /** Client time when it was typed, ISO with offset. */
  at?: string;
}

export type MutationResult =
  | { mutationId: string; status: 'applied'; seq: number; replayed: boolean }
  | { mutationId: string; status: 'rejected'; code: string; message: string; replayed: boolean }
  /** Not processed: an earlier mutation of the same record in this push was rejected. */
  | { mutationId: string; status: 'held'; blockedBy: string };

export interface InfoResult {
  protocol: number;
  /** Identity of the server's record store; a replica built from another one is rebuilt. */
  syncId: string;
  head: number;
  /**
   * Changes up to this seq were compacted out of the feed (0: none). A replica whose cursor
   * is below it cannot pull and rebuilds from a snapshot. Absent from older servers.
   */
  horizon?: number;
  readOnlyCollections: string[];
  /** Largest push message the server accepts, in bytes (client batches below it). */
  maxPushBytes: number;
}

export interface SnapshotParams {
  /** Head when the snapshot began (from the first page); absent on the first page. */
  startSeq?: number;
  /** Key of the last record of the previous page. */
  after?: RecordKey | null;
  limit?: number;
}
export interface SnapshotResult {
  syncId: string;
  /** Replay the feed from here after the last page: the snapshot is consistent at the head reached then. */
  startSeq: number;
  records: WireRecord[];
  /** Key to ask for the next page; null on the last page. */
  next: RecordKey | null;
}

export interface PullParams {
  since: number;
  limit?: number;
}
export interface PullResult {
  syncId: string;
  head: number;
  changes: WireChange[];
  /** Highest seq covered by this answer (the new cursor). */
  until: number;
  more: boolean;
}

export interface PushParams {
  /** Stable id of the replica (one per workstation store). */
  clientId: string;
  mutations: WireMutation[];
}
export interface PushResult {
  syncId: string;
  head: number;
  results: MutationResult[];
}

export interface HistoryEntry {
  field: string;
  /** The value that lost (or the whole record for a deletion, field "*"). */
  value: JsonValue;
  /** Who wrote the losing value, and when. */
  writtenSeq: number;
  writtenBy: { user: string; workstation: string; ip: string } | null;
  writtenAt: string | null;
  /** The change that replaced it. */
  replacedSeq: number;
  replacedBy: { user: string; workstation: string; ip: string };
  replacedAt: string;
  reason: 'conflict' | 'delete';
}

export interface PokeEvent {
  seq: number;
}

/** Collection names: lower-case words separated by hyphens ("series-config"). */
export const COLLECTION_RE = /^[a-z][a-z0-9-]{0,62}$/;
export const MAX_ID_LENGTH = 200;
