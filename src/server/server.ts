import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { isoWithOffset, systemClock, type Clock } from '../core/clock';
import { DEFAULT_SERVER_PORT, MAX_MESSAGE_BYTES, PROTOCOL_VERSION, type HealthInfo, type PushEventName, type PushEvents } from '../core/numbering/protocol';
import { AuditLog } from './audit';
import { preallocateWal, startCheckpointer, walHighWaterBytes, WRITER_AUTOCHECKPOINT_PAGES } from './checkpointer';
import { Connection, MAX_OUTBOUND_BYTES } from './connection';
import type { HandlerMap, ServerContext } from './context';
import { DEMO_ESTABLISHMENT, DEMO_USERS } from '../core/demo/catalog';
import type { Actor } from '../core/numbering/protocol';
import { unlistedCommands } from './auth/permissions';
import { defaultProjectPaths } from '../core/paths';
import { loadTrustedRoots } from '../core/sefaz/transport';
import { ensureAuthSchema } from './auth/store';
import { StationRegistry } from './auth/stations';
import { loadOrCreateServerTls } from './auth/tls';
import { UserDirectory } from './auth/users';
import { openServerDb } from './db';
import { OrderNumbers } from './order-numbers';
import { GroupCommitter } from './group-commit';
import { serverHandlers } from './handlers/index';
import { withEventLog } from './log-events';
import { createUpdateFeed } from './update-feed';
import { UPDATES_DIR_NAME } from '../core/update/feed';
import { logger } from '../core/log/index';
import { registerDomainRules } from './domain-rules';
import { ContingencyBoard, contingencyHandlers } from './contingency';
import { registerSync, type RetentionOptions, type SyncService } from './sync/index';
import { registerRecords, type RecordsService } from './records/index';
import { LockManager } from './locks/lock-manager';
import { NumberService } from './numbering/numbers';
import { SeriesAdmin } from './numbering/series-admin';
import { localDay, NumberingStore } from './numbering/store';

const serverLog = logger('servidor');

export const SERVER_DB_FILE = 'servidor.sqlite';
export const INITIAL_PASSWORD_FILE = 'senha-inicial-admin.txt';

export interface LanServerOptions {
  dataDir: string;
  port?: number;
  host?: string;
  /** Certificate files to use instead of the one the server makes for itself. */
  tls?: { certFile: string; keyFile: string };
  /** Plain ws (no TLS): only when asked for explicitly; stations show a warning. */
  insecure?: boolean;
  clock?: Clock;
  /** How long a disconnected holder keeps its order locks (a Wi-Fi blip). */
  lockGraceMs?: number;
  heartbeatMs?: number;
  /** scrypt cost (log2 N) for new password hashes; only throwaway test servers lower it. */
  passwordHashLog2N?: number;
  /** Demonstration: seed the demo users (admin/admin123…) instead of an admin with a random password, and NF-e série 1. */
  demoUsers?: boolean;
  /**
   * Certificates (PEM) that SEFAZ's signatures must chain to before the server accepts an
   * inutilização protocol as evidence; read at each check (default: resources/icp-brasil).
   */
  fiscalTrust?: () => readonly string[];
  /** Extra message families (change feed…) merged over the built-in ones. */
  extraHandlers?: HandlerMap;
  version?: string;
  log?: (line: string) => void;
  /** Per-connection limit of unread replies (default MAX_OUTBOUND_BYTES, 16 MiB). */
  maxOutboundBytes?: number;
  /** Size to grow the WAL file to at start (default: its steady-state size, ~80 MB); 0 = off. */
  walPreallocateBytes?: number;
  /** Folder of the stations' update feed (latest.yml + installer), default `<data>/atualizacoes`. */
  updatesDir?: string;
  /** Retention of the change feed, mutation log and history (default DEFAULT_RETENTION). */
  syncRetention?: Partial<RetentionOptions>;
}

export interface LanServer {
  port: number;
  host: string;
  url: string;
  /** SHA-256 fingerprint of the TLS certificate (null with insecure). */
  fingerprint: string | null;
  /** Where the first administrator's random password was written (first start only). */
  initialPasswordFile: string | null;
  dbFile: string;
  /** A one-time enrollment code (the console's, audited as the server's). */
  newEnrollmentCode(): { code: string; expiresAt: string };
  serverId: string;
  ctx: ServerContext;
  /** Shared records and change feed (register domain validators on `sync.engine`). */
  sync: SyncService;
  /** Documents, orders and the catalog as indexed tables, and the searches over them. */
  records: RecordsService;
  /** Every message type this server answers (each must have a line in auth/permissions.ts). */
  commands: readonly string[];
  stats(): { connections: number; batches: number; ops: number };
  close(): Promise<void>;
}

export async function startLanServer(opts: LanServerOptions): Promise<LanServer> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? ((line: string) => serverLog.info(line));
  const heartbeatMs = opts.heartbeatMs ?? 10_000;
  const lockGraceMs = opts.lockGraceMs ?? 30_000;
  const version = opts.version ?? '0.0.0';
  const dbFile = join(opts.dataDir, SERVER_DB_FILE);
  const db = openServerDb(dbFile);
  db.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`);
  // Each request of a group commit runs in a savepoint, whose undo pages go to a statement
  // journal that SQLite spills to a temporary file past 64 KiB — a file created, written
  // and deleted inside a busy batch. Kept in memory instead (bounded by one batch's pages).
  db.pragma('temp_store = MEMORY');
  const walTarget = opts.walPreallocateBytes ?? walHighWaterBytes(db.pragma('page_size', { simple: true }) as number);
  if (walTarget > 0) {
    const wal = preallocateWal(db, dbFile, walTarget);
    if (wal.after > wal.before) log(`WAL pré-alocado: ${Math.round(wal.after / 1048576)} MB em ${wal.ms} ms`);
  }
  const checkpointer = startCheckpointer(dbFile, log);
  ensureAuthSchema(db);
  const tls = opts.insecure ? null : loadOrCreateServerTls(opts.dataDir, opts.tls);
  if (tls?.created) log(`certificado TLS criado: ${tls.certFile}`);

  let serverId = (db.prepare("SELECT value FROM meta WHERE key = 'server_id'").get() as { value: string } | undefined)?.value;
  if (!serverId) {
    serverId = randomUUID();
    db.prepare("INSERT INTO meta (key, value) VALUES ('server_id', ?)").run(serverId);
  }

  // Stamps have second precision: formatting once per second instead of once per row
  // takes date formatting off the allocation path (several per millisecond under load).
  let stampSecond = Number.NaN;
  let stamped = { iso: '', day: '' };
  const stamp = () => {
    const d = clock.now();
    const second = Math.floor(d.getTime() / 1000);
    if (second !== stampSecond) {
      stampSecond = second;
      stamped = { iso: isoWithOffset(d), day: localDay(d) };
    }
    return stamped;
  };
  const nowIso = () => stamp().iso;
  const committer = new GroupCommitter(db);
  const audit = new AuditLog(db, nowIso);
  const store = new NumberingStore(db);
  const connections = new Map<number, Connection>();

  const broadcast = <E extends PushEventName>(event: E, data: PushEvents[E]) => {
    for (const c of connections.values()) c.push({ event, data });
  };
  const locks = new LockManager(db, committer, audit, clock, nowIso, lockGraceMs, (ev) => broadcast('lock.released', ev));
  const serverActor: Actor = { user: 'servidor', workstation: 'servidor', ip: '127.0.0.1' };
  const nowMs = () => clock.now().getTime();
  // The public part of each user is mirrored to the shared `users` records (stations list
  // them); `passwordHash: null` scrubs hashes that older versions replicated.
  let syncRef: SyncService | null = null;
  const users = new UserDirectory(db, audit, nowIso, nowMs, (u) =>
    syncRef!.engine.writeAsServer(
      { collection: 'users', id: u.login },
      { fields: { login: u.login, name: u.name, roles: u.roles, active: u.active, updatedAt: u.updatedAt, passwordHash: null } },
      serverActor,
      `users:${u.login}:${randomUUID()}`,
    ),
    opts.passwordHashLog2N,
  );
  const stations = new StationRegistry(db, audit, nowIso, nowMs);
  const ctx: ServerContext = {
    clock,
    committer,
    audit,
    numbers: new NumberService(store, audit, stamp),
    series: new SeriesAdmin(store, audit, stamp),
    locks,
    orderNumbers: new OrderNumbers(db),
    stations,
    users,
    fingerprint: tls?.fingerprint ?? null,
    fiscalTrust: opts.fiscalTrust ?? (() => loadTrustedRoots([join(defaultProjectPaths().resourcesDir, 'icp-brasil')])),
    disconnect(match, reason) {
      for (const c of connections.values()) {
        const s = c.session;
        if (s && ((match.stationId && s.stationId === match.stationId) || (match.login && s.login === match.login))) c.drop(reason);
      }
    },
    broadcast,
  };
  const sync = registerSync(ctx, { dataDir: opts.dataDir, log, ...(opts.syncRetention ? { retention: opts.syncRetention } : {}) });
  syncRef = sync;
  const records = registerRecords(sync.engine, sync.db, log);
  registerDomainRules(sync, ctx);
  let initialPasswordFile: string | null = null;
  if (users.count() === 0) {
    if (opts.demoUsers) {
      await users.bootstrap(DEMO_USERS);
    } else {
      // A new office: one administrator with a random password, written for the person installing.
      const password = randomBytes(9).toString('base64url');
      await users.bootstrap([{ login: 'admin', name: 'Administrador', password, roles: ['administrador'] }]);
      initialPasswordFile = join(opts.dataDir, INITIAL_PASSWORD_FILE);
      writeFileSync(initialPasswordFile, `usuário: admin\nsenha: ${password}\nTroque a senha em Administração > Usuários e apague este arquivo.\n`, { mode: 0o600 });
      try {
        chmodSync(initialPasswordFile, 0o600);
      } catch {
        // Windows: the folder's ACL protects it.
      }
    }
  } else if (opts.demoUsers) {
    await users.bootstrap(DEMO_USERS);
  }
  if (opts.demoUsers && !ctx.series.list(DEMO_ESTABLISHMENT.cnpj).some((s) => s.model === 55 && s.serie === 1)) {
    // NF-e série 1 of the demo establishment, so a demonstration can finalize at once.
    await committer.submit(() =>
      ctx.series.create({ cnpj: DEMO_ESTABLISHMENT.cnpj, model: 55, serie: 1, emissaoPropria: true, active: true, description: 'NF-e série 1 (demonstração)' }, serverActor),
    );
  }
  if (opts.demoUsers && !ctx.series.list(DEMO_ESTABLISHMENT.cnpj).some((s) => s.model === 57 && s.serie === 1)) {
    // CT-e série 1: the freight of the demo's fuel deliveries (Emitir CT-e).
    await committer.submit(() =>
      ctx.series.create({ cnpj: DEMO_ESTABLISHMENT.cnpj, model: 57, serie: 1, emissaoPropria: true, active: true, description: 'CT-e série 1 (demonstração)' }, serverActor),
    );
  }
  const contingency = new ContingencyBoard(db, audit, nowIso);
  const handlers: HandlerMap = withEventLog({ ...serverHandlers, ...sync.handlers, ...records.handlers, ...contingencyHandlers(contingency), ...opts.extraHandlers });
  const unlisted = unlistedCommands(Object.keys(handlers));
  if (unlisted.length > 0) log(`mensagens sem permissão declarada (serão recusadas): ${unlisted.join(', ')}`);
  const startedMs = clock.monotonicMs();

  const updateFeed = createUpdateFeed(opts.updatesDir ?? join(opts.dataDir, UPDATES_DIR_NAME), log);
  const onHttp = (req: IncomingMessage, res: ServerResponse) => {
    if (updateFeed(req, res)) return;
    if (req.method === 'GET' && (req.url === '/health' || req.url?.startsWith('/health?'))) {
      const body: HealthInfo = {
        ok: true,
        serverId: serverId!,
        version,
        protocol: PROTOCOL_VERSION,
        uptimeSeconds: Math.round((clock.monotonicMs() - startedMs) / 1000),
        connections: connections.size,
      };
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Servidor LAN do Comboio: use WebSocket, GET /health ou /atualizacoes/.\n');
  };
  const http = tls ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, onHttp) : createHttpServer(onHttp);

  // maxPayload is the hard stop (socket closed); frames between MAX_MESSAGE_BYTES and this
  // get a polite error reply instead. Stations never send Origin; a browser always does, so
  // a page on the office network (or a DNS-rebinding one) cannot open a socket here.
  const wss = new WebSocketServer({
    server: http,
    maxPayload: 2 * MAX_MESSAGE_BYTES,
    verifyClient: (info: { req: IncomingMessage }) => {
      if (info.req.headers.origin === undefined) return true;
      log(`conexão WebSocket recusada de ${normalizeIp(info.req.socket.remoteAddress)}: cabeçalho Origin ${String(info.req.headers.origin).slice(0, 100)}`);
      return false;
    },
  });
  let nextConnId = 1;
  wss.on('connection', (ws, req) => {
    const ip = normalizeIp(req.socket.remoteAddress);
    const conn = new Connection(nextConnId++, ws, ip, {
      ctx,
      handlers,
      serverId: serverId!,
      version,
      heartbeatMs,
      lockGraceMs,
      maxOutboundBytes: opts.maxOutboundBytes ?? MAX_OUTBOUND_BYTES,
      log,
    });
    connections.set(conn.id, conn);
    ws.on('error', () => undefined);
    ws.on('close', () => {
      connections.delete(conn.id);
      conn.closed();
      locks.connectionClosed(conn.id);
    });
  });
  wss.on('error', (err) => log(`erro no WebSocket: ${err.message}`));

  // A peer that vanished without FIN (cable pulled, laptop asleep) is found by the missing
  // pong; terminating it starts the grace period of its locks.
  const heartbeat = setInterval(() => {
    for (const conn of connections.values()) conn.heartbeat();
  }, heartbeatMs);
  heartbeat.unref();

  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(opts.port ?? DEFAULT_SERVER_PORT, opts.host ?? '0.0.0.0', () => {
      http.off('error', fail);
      ok();
    });
  });
  const addr = http.address() as AddressInfo;
  const host = opts.host ?? '0.0.0.0';
  const url = `${tls ? 'wss' : 'ws'}://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;

  let closing: Promise<void> | null = null;
  return {
    port: addr.port,
    host,
    url,
    fingerprint: tls?.fingerprint ?? null,
    initialPasswordFile,
    dbFile,
    newEnrollmentCode: () => stations.newCode(serverActor),
    serverId,
    ctx,
    sync,
    records,
    commands: Object.keys(handlers),
    stats: () => ({ connections: connections.size, batches: committer.batches, ops: committer.ops }),
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        for (const client of wss.clients) client.close(1001, 'server shutting down');
        await new Promise((ok) => setTimeout(ok, wss.clients.size > 0 ? 300 : 0));
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((ok) => wss.close(() => ok()));
        http.closeAllConnections?.();
        await new Promise<void>((ok) => http.close(() => ok()));
        committer.close();
        sync.close();
        locks.close();
        await checkpointer.stop();
        db.close();
      })();
      return closing;
    },
  };
}

function normalizeIp(ip: string | undefined): string {
  if (!ip) return 'desconhecido';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
