import { join } from 'node:path';
import { systemClock, type Clock } from '../../../src/core/clock';
import { AppError } from '../../../src/core/errors';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore, type Store } from '../../../src/core/store/open';
import { createReplica, type Replica, type SyncConnection } from '../../../src/core/sync/index';
import type { Actor } from '../../../src/core/numbering/protocol';
import type { ServerContext, Session } from '../../../src/server/context';
import { registerSync, type RetentionOptions, type SyncService } from '../../../src/server/sync/index';
import { repoRoot } from '../../helpers/proc';

/**
 * In-process transport between replicas and the real sync engine (real SQLite files on
 * both sides). Frames are JSON round-tripped like on the socket; `setOnline(false)` is a
 * cable pulled out.
 */
export class LoopbackConnection implements SyncConnection {
  private online = true;
  private readonly stateListeners = new Set<(online: boolean) => void>();
  private readonly eventListeners = new Map<string, Set<(data: unknown) => void>>();
  requests = 0;

  constructor(
    private readonly server: HarnessServer,
    private readonly session: Session,
  ) {}

  isOnline(): boolean {
    return this.online && !this.server.down;
  }

  async request<T>(type: string, data: unknown): Promise<T> {
    if (!this.isOnline()) throw new AppError('UNAVAILABLE', 'offline (harness)');
    this.requests++;
    const handler = this.server.service.handlers[type];
    if (!handler) throw new AppError('UNKNOWN_METHOD', type);
    const result = await handler(JSON.parse(JSON.stringify(data ?? null)), this.session, undefined as unknown as ServerContext);
    if (!this.isOnline()) throw new AppError('UNAVAILABLE', 'offline before the reply (harness)');
    return JSON.parse(JSON.stringify(result ?? null)) as T;
  }

  onEvent(event: string, listener: (data: unknown) => void): () => void {
    let set = this.eventListeners.get(event);
    if (!set) this.eventListeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onStateChange(listener: (online: boolean) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    for (const l of this.stateListeners) l(this.isOnline());
  }

  deliver(event: string, data: unknown): void {
    if (!this.isOnline()) return;
    for (const l of this.eventListeners.get(event) ?? []) l(JSON.parse(JSON.stringify(data)));
  }
}

export class HarnessServer {
  service: SyncService;
  down = false;
  private readonly conns = new Set<LoopbackConnection>();
  private nextId = 1;

  constructor(
    readonly dataDir: string,
    private readonly opts: { retention?: Partial<RetentionOptions>; clock?: Clock } = {},
  ) {
    this.service = this.open();
  }

  private open(): SyncService {
    const broadcast = (event: string, data: unknown) => {
      for (const c of this.conns) c.deliver(event, data);
    };
    return registerSync(
      { clock: this.opts.clock ?? systemClock, broadcast: broadcast as ServerContext['broadcast'] },
      { dataDir: this.dataDir, ...(this.opts.retention ? { retention: this.opts.retention } : {}) },
    );
  }

  connect(actor: Partial<Actor> = {}): LoopbackConnection {
    const session: Session = {
      id: this.nextId++,
      actor: { user: actor.user ?? 'faturista', workstation: actor.workstation ?? 'estacao', ip: actor.ip ?? '10.0.0.1' },
      stationId: `station-${actor.workstation ?? 'estacao'}`,
      login: null,
      roles: () => [],
      capabilities: new Set(),
    };
    const c = new LoopbackConnection(this, session);
    this.conns.add(c);
    return c;
  }

  get engine() {
    return this.service.engine;
  }

  close(): void {
    this.service.close();
  }
}

export interface Workstation {
  replica: Replica;
  conn: LoopbackConnection;
  store: Store;
  close(): Promise<void>;
}

export function openWorkstation(server: HarnessServer, dir: string, name: string, opts: { online?: boolean; snapshotPage?: number } = {}): Workstation {
  const store = openStore(join(dir, `${name}.db`));
  migrateStore(store, join(repoRoot, 'drizzle'));
  const conn = server.connect({ user: `user-${name}`, workstation: name });
  if (opts.online === false) conn.setOnline(false);
  const replica = createReplica({ store, connection: conn, clientId: `client-${name}`, backoffMs: { min: 10, max: 50 }, snapshotPage: opts.snapshotPage });
  return {
    replica,
    conn,
    store,
    async close() {
      await replica.close();
      store.close();
    },
  };
}
