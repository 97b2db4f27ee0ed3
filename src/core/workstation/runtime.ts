import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LanConfigDto, SefazConfigDto } from '../../shared/api/admin';
import type { SessionUser } from '../../shared/api/session';
import type { ServiceStatus, StatusSnapshot } from '../../shared/api/app';
import { isoWithOffset, type Clock } from '../clock';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { connect, enrollStation, type NumberingClient, type StationCredential } from '../numbering/index';
import type { CorePaths } from '../paths';
import { danfeFromXml } from '../printing/document';
import { PrintersRepo } from '../printing/printers-repo';
import { PrintQueue } from '../printing/queue';
import { SefazFiscalEvents } from '../sefaz/fiscal-events';
import { SefazOutbox, type OutboxHooks } from '../sefaz/outbox';
import { clientOptions, openIdentity } from '../sefaz/setup';
import { fiscalFilesDirs } from '../setup/fiscal-files';
import { SefazClient } from '../sefaz/client';
import { CteSefazClient } from '../sefaz/cte-client';
import { CteFiscalEvents } from '../sefaz/cte-events';
import { cnpjOfChave, cteEventsRouter, cteRouter, routeByModel } from './sefaz-router';
import type { A1Certificate } from '../fiscal/certificate';
import type { Uf } from '../sefaz/endpoints';
import type { Store } from '../store/open';
import type { SettingsRepo } from '../store/settings-repo';
import { createReplica, type Replica } from '../sync/index';
import { lanSyncConnection } from '../sync/lan-connection';
import type { JsonObject } from '../sync/protocol';
import type { RecordStore } from './records';
import type { SecretBox } from './secrets';
import { SwitchableConnection } from './switchable-connection';
import { StationContingency } from './contingency';
import { OrderNumberer } from './order-numbers';
import { logger } from '../log/index';
import { OfflineVerifiers } from '../session/offline-verifiers';

const syncLog = logger('sincronizacao');

export interface RuntimeOptions {
  store: Store;
  clock: Clock;
  events: EventBus;
  paths: CorePaths;
  settings: SettingsRepo;
  secrets: SecretBox;
  workstation: string;
  outbox?: { backoff?: { baseMs?: number; maxMs?: number; consultDelayMs?: number; settleMs?: number }; pollMs?: number };
  /** How often a station in contingency polls the authorizer's status (default 30 s). */
  contingencyPollMs?: number;
}

export interface SefazRuntime {
  client: SefazClient;
  certificate: A1Certificate;
  outbox: SefazOutbox;
  fiscalEvents: SefazFiscalEvents;
  /**
   * CT-e 4.00 (model 57): same TLS roots, outbox and message log as the NF-e. `client` signs
   * with the establishment's A1; `identities` hold one client per installed certificate (the
   * establishment's and each other emitente's, e.g. the group's transport company), keyed by
   * CNPJ, each with its own SVC client. Events and transmissions go out with the certificate
   * of the CNPJ they belong to.
   */
  cte: {
    client: CteSefazClient;
    events: CteFiscalEvents;
    identities: Map<string, CteIdentity>;
    /** The identity of a CNPJ (same CNPJ, else same CNPJ base: a matriz A1 serves its filiais), or null. */
    forCnpj(cnpj: string): CteIdentity | null;
  };
  /** Other emitentes whose certificate is stored here but could not be opened: CNPJ → pt-BR reason. */
  emitenteErrors: Map<string, string>;
  /** The UF's SEFAZ Virtual de Contingência (svc-table.ts), for NF-e and CT-e (the establishment's A1). */
  svc: { nfe: SefazClient; cte: CteSefazClient };
  /** NF-e EPEC to the Ambiente Nacional: a client of its own, so its failures never count as the UF's. */
  epec: SefazClient;
  config: SefazConfigDto;
}

/** One A1 and the CT-e clients that sign and talk to SEFAZ with it (UF authorizer and SVC). */
export interface CteIdentity {
  cnpj: string;
  certificate: A1Certificate;
  client: CteSefazClient;
  svc: CteSefazClient;
}

interface SealedCertificate {
  pfx: string;
  password: string;
}
const EMITENTE_CERTS = 'secret.certificates';

export const DEFAULT_LAN: LanConfigDto = { host: '', port: 7400, tls: true, workstation: '' };

/** What enrollment left in the settings: the credential (sealed) and the pinned certificate. */
interface StoredStation {
  id: string;
  secret: string;
  pin: string | null;
  serverId: string;
  workstation: string;
  /** host:port it was enrolled with (a new address needs a new enrollment). */
  server: string;
}
export const DEFAULT_SEFAZ: SefazConfigDto = { environment: 'simulador', uf: 'SP', simulatorUrl: null, schemasDir: null };

/**
 * The status bar's LAN line. A server reached without TLS (`--insecure`) over the network is
 * shown as an error with the warning; loopback (the embedded server) is not the network.
 */
export function lanStatusLabel(state: string, cfg: { host: string; tls: boolean }, error?: { message: string }): { level: 'online' | 'error' | 'connecting' | 'offline'; label: string } {
  const loopback = /^127\./.test(cfg.host) || cfg.host === 'localhost' || cfg.host === '::1' || cfg.host === '[::1]';
  const warning = !cfg.tls && !loopback ? ' — SEM TLS (--insecure): dados em texto claro na rede' : '';
  const label =
    state === 'online'
      ? `Servidor LAN: conectado (${cfg.host})${warning}`
      : state === 'refused'
        ? `Servidor LAN: recusado — ${error?.message ?? 'credencial inválida'}`
        : state === 'connecting'
          ? 'Servidor LAN: conectando…'
          : 'Servidor LAN: sem conexão (trabalhando offline)';
  const level = state === 'online' ? (warning ? 'error' : 'online') : state === 'connecting' ? 'connecting' : 'offline';
  return { level, label };
}

/** A station's id for the replica: stable for this database, unique across the office. */
function clientIdOf(settings: SettingsRepo, workstation: string): string {
  const existing = settings.get<string | null>('sync.clientId', null);
  if (existing) return existing;
  const id = `${workstation}-${crypto.randomUUID().slice(0, 8)}`;
  settings.set('sync.clientId', id);
  return id;
}

/**
 * The live services of one workstation: the LAN connection (numbering, locks, replication),
 * the SEFAZ client and its transmission outbox, the print queue. Handlers reach them here;
 * each may be unavailable (not configured, offline) and says so in the status bar.
 */
export class WorkstationRuntime {
  lan: NumberingClient | null = null;
  readonly connection = new SwitchableConnection();
  readonly replica: Replica;
  readonly records: RecordStore;
  readonly printers: PrintersRepo;
  readonly printQueue: PrintQueue;
  /** The office's per-UF contingency state, as this station follows it (issue #20). */
  readonly contingency: StationContingency;
  /** Short order numbers from the LAN server; E<tag>-<n> for the orders saved offline. */
  readonly orderNumbers: OrderNumberer;
  /** Verifiers the server issued this station for offline sign-in. */
  readonly offline: OfflineVerifiers;
  sefaz: SefazRuntime | null = null;
  sefazError: string | null = null;
  private lanCa: string | undefined;
  private readonly actor = new AsyncLocalStorage<string | null>();
  private readonly userClients = new Map<string, NumberingClient>();
  /** Session tokens the server gave the users signed in here (memory only). */
  private readonly userTokens = new Map<string, string>();
  private lanStatus: ServiceStatus = { state: 'unconfigured', label: 'Servidor LAN: não configurado' };
  private printerStatus: ServiceStatus = { state: 'ok', label: 'Impressora: pronta' };
  private readonly outboxHooks: OutboxHooks[] = [];
  private resumeTimer: NodeJS.Timeout | undefined;
  private resumeTask: (() => Promise<void>) | undefined;
  private resuming: Promise<void> | undefined;

  constructor(private readonly o: RuntimeOptions) {
    const clientId = clientIdOf(o.settings, o.workstation);
    this.orderNumbers = new OrderNumberer({ settings: o.settings, lan: () => this.lan, clientId: () => clientId, stationId: () => this.stationId() });
    this.offline = new OfflineVerifiers(o.settings, o.secrets);
    this.replica = createReplica({
      store: o.store,
      connection: this.connection,
      clientId,
      clock: o.clock,
      log: (line) => syncLog.warn(line),
    });
    this.replica.events.on('status', () => this.emitStatus());
    const replica = this.replica;
    this.records = {
      get: <T extends object>(c: string, id: string) => (replica.get(c, id)?.data as T | undefined) ?? null,
      list: <T extends object>(c: string) => replica.list(c).map((r) => r.data as T),
      page: <T extends object>(c: string, opts: { text: string; orderBy: string; limit: number; offset: number }) => replica.page(c, opts).map((r) => r.data as T),
      put: (c, id, fields, user) => {
        replica.write(c, id, JSON.parse(JSON.stringify(fields)) as JsonObject, { user: user ?? this.actor.getStore() ?? null });
      },
      remove: (c, id, user) => {
        replica.remove(c, id, { user: user ?? this.actor.getStore() ?? null });
      },
    };
    this.printers = new PrintersRepo(o.store.db, o.clock);
    this.printQueue = new PrintQueue({
      db: o.store.db,
      clock: o.clock,
      resourcesDir: o.paths.resourcesDir,
      printers: this.printers,
      loadDanfe: (xml) => danfeFromXml(xml),
    });
    this.printQueue.on?.('job', (job) => {
      this.printerStatus =
        job.state === 'failed'
          ? { state: 'error', label: `Impressora: ${job.reason ?? 'falha'}`, detail: job.printerName }
          : job.state === 'printing'
            ? { state: 'ok', label: `Imprimindo em ${job.printerName}` }
            : { state: 'ok', label: `Impressora: ${job.printerName}` };
      o.events.emit('print.changed', { jobIds: [String(job.id)] });
      this.emitStatus();
    });
    this.printQueue.on?.('stall', (s) => {
      this.printerStatus = s.stalled ? { state: 'error', label: `Impressora: ${s.message}` } : { state: 'ok', label: 'Impressora: imprimindo' };
      this.emitStatus();
    });
    this.contingency = new StationContingency({
      dataDir: o.paths.dataDir,
      clock: o.clock,
      workstation: o.workstation,
      ...(o.contingencyPollMs ? { pollMs: o.contingencyPollMs } : {}),
      onChange: () => this.emitStatus(),
    });
    this.contingency.useSefaz({
      uf: () => this.sefaz?.config.uf ?? null,
      probe: async (model) => {
        const s = this.sefaz;
        if (!s) return null;
        const r = model === 'nfe' ? await s.client.status() : await s.cte.client.status();
        return { uf: s.config.uf, cStat: r.cStat, xMotivo: r.xMotivo };
      },
      afterReturn: (uf, model) => this.transmitContingencyDocs(uf, model),
    });
    this.onSefaz({
      onAuthorized: (d) => this.settleContingencyDoc(d.chave, 'done', `Autorizado: protocolo ${d.nProt ?? ''}`),
      onDenied: (d) => this.settleContingencyDoc(d.chave, 'done', `Denegado: ${d.cStat ?? ''} ${d.xMotivo ?? ''}`),
      onRejected: (d) => this.settleContingencyDoc(d.chave, 'failed', `Rejeição ${d.cStat ?? ''}: ${d.xMotivo ?? ''}`),
    });
    // Last: recovering a job a crash left 'printing' reports the station's status, which reads
    // everything above (a kill -9 mid-print made the station unable to start otherwise).
    this.printQueue.recover();
    this.printQueue.start();
  }

  /**
   * The UF is back: every EPEC / FS-DA document issued here goes to the UF authorizer by
   * itself, once (the outbox consults before any resend; an EPEC is never sent again while
   * its status is unknown). Paged: the pending list is indexed by state, UF and deadline.
   */
  private async transmitContingencyDocs(uf: string, model: 'nfe' | 'cte'): Promise<void> {
    const sefaz = this.sefaz;
    if (!sefaz) return;
    for (let offset = 0; ; offset += 100) {
      const page = this.contingency.local.pending({ uf, model, limit: 100, offset });
      for (const d of page) {
        if ((d.kind !== 'epec' && d.kind !== 'fsda') || !d.signed_xml) continue;
        const before = sefaz.outbox.get(d.chave);
        if (before && before.state !== 'rejected' && before.state !== 'superseded') continue;
        if (d.note?.startsWith('EPEC a registrar')) continue; // its EPEC was never confirmed: the finalize resumes it
        sefaz.outbox.enqueue(d.signed_xml);
        this.contingency.local.audit({ at: isoWithOffset(this.o.clock.now()), uf, chave: d.chave, action: 'transmissao', detail: `${d.kind === 'epec' ? 'EPEC' : 'FS-DA'}: enviado à SEFAZ ${uf} na volta do serviço (prazo ${d.deadline ?? '—'}).`, actor: `estação ${this.o.workstation}` });
      }
      if (page.length < 100) break;
    }
    void sefaz.outbox.processDue().catch(() => undefined);
  }

  private settleContingencyDoc(chave: string, state: 'done' | 'failed', note: string): void {
    const d = this.contingency.local.doc(chave);
    if (!d || d.state !== 'pending' || d.kind === 'descarte') return;
    const at = isoWithOffset(this.o.clock.now());
    this.contingency.local.setDocState(chave, state, note, at);
    const what = d.kind === 'epec' ? 'EPEC conciliado' : d.kind === 'fsda' ? 'FS-DA transmitido' : d.kind === 'svc' ? 'Autorizado pela SVC' : 'Documento';
    this.contingency.local.audit({ at, uf: d.uf, chave, action: state === 'done' ? 'conciliado' : 'recusado-na-volta', detail: `${what}: ${note}`, actor: `estação ${this.o.workstation}` });
  }

  /** Runs `fn` with `user` as the author of every record it writes. */
  actingAs<T>(user: string | null, fn: () => T): T {
    return this.actor.run(user, fn);
  }

  /**
   * Work left incomplete by a crash or by the LAN server being away (finalize journal,
   * outbox): run now (at start), whenever the LAN server comes back, and every `everyMs`.
   * Never two passes at once.
   */
  startResume(task: () => Promise<void>, everyMs = 5000): void {
    this.resumeTask = task;
    const tick = () => {
      void this.resumeNow().finally(() => {
        if (this.resumeTask) this.resumeTimer = setTimeout(tick, everyMs);
      });
    };
    this.resumeTimer = setTimeout(tick, 0);
  }

  resumeNow(): Promise<void> {
    const task = this.resumeTask;
    if (!task) return Promise.resolve();
    this.resuming ??= task()
      .catch((err: unknown) => syncLog.warn(`retomada falhou: ${(err as Error)?.message ?? String(err)}`))
      .finally(() => {
        this.resuming = undefined;
      });
    return this.resuming;
  }

  /** Hooks called on every SEFAZ outcome (lifecycle on the LAN server, printing, records). */
  onSefaz(hooks: OutboxHooks): void {
    this.outboxHooks.push(hooks);
  }

  lanConfig(): LanConfigDto {
    const { code: _c, ...cfg } = { ...DEFAULT_LAN, ...this.o.settings.get<Partial<LanConfigDto>>('lan.config', {}) };
    const station = this.station();
    return { ...cfg, enrolled: station !== null, fingerprint: station?.pin ?? null };
  }

  /** This station's credential for the configured server, or null (not enrolled there). */
  private station(): (StationCredential & { pin: string | null; workstation: string }) | null {
    const cfg = { ...DEFAULT_LAN, ...this.o.settings.get<Partial<LanConfigDto>>('lan.config', {}) };
    const s = this.o.settings.get<StoredStation | null>('lan.station', null);
    if (!s || s.server !== `${cfg.host}:${cfg.port}` && !this.o.settings.get<boolean>('lan.embedded', false)) return null;
    try {
      return { id: s.id, secret: this.o.secrets.open(s.secret).toString('utf8'), pin: s.pin, workstation: s.workstation };
    } catch {
      return null;
    }
  }

  /** The enrolled credential's id (embedded hosts check it is still known to their server). */
  stationId(): string | null {
    return this.o.settings.get<StoredStation | null>('lan.station', null)?.id ?? null;
  }

  /**
   * Enrolls this station at the configured server with a one-time code, pins the server's
   * certificate, keeps the credential sealed. Returns the fingerprint to show the person.
   */
  async enrollLan(code: string): Promise<{ fingerprint: string | null; workstation: string }> {
    const cfg = this.lanConfig();
    if (!cfg.host) throw new AppError('INVALID_INPUT', 'Informe o endereço do servidor LAN antes de cadastrar a estação.');
    const e = await enrollStation({ url: this.lanUrl(cfg), code, workstation: cfg.workstation || this.o.workstation });
    const stored: StoredStation = {
      id: e.credential.id,
      secret: this.o.secrets.seal(Buffer.from(e.credential.secret, 'utf8')),
      pin: e.pin,
      serverId: e.serverId,
      workstation: e.workstation,
      server: `${cfg.host}:${cfg.port}`,
    };
    this.o.settings.set('lan.station', stored);
    return { fingerprint: e.pin, workstation: e.workstation };
  }

  private lanUrl(cfg: LanConfigDto): string {
    const host = cfg.host.includes(':') && !cfg.host.startsWith('[') ? `[${cfg.host}]` : cfg.host;
    return `${cfg.tls ? 'wss' : 'ws'}://${host}:${cfg.port}`;
  }

  /**
   * Opens the station's own connection (replication, status bar, number lifecycle). Each
   * signed-in user gets a connection of their own for locks and allocations, so the server
   * shows and audits the person, and one user signing in never drops another's locks.
   */
  connectLan(ca?: string): void {
    const cfg = this.lanConfig();
    this.lanCa = ca;
    void this.disconnectLan();
    const station = this.station();
    if (!cfg.host || !station) {
      this.setLanStatus({ state: 'unconfigured', label: cfg.host ? 'Servidor LAN: estação não cadastrada (use um código de cadastro)' : 'Servidor LAN: não configurado' });
      return;
    }
    const client = connect({ url: this.lanUrl(cfg), station, pin: station.pin, ...(ca ? { ca } : {}) });
    this.lan = client;
    client.on('state', ({ state, error }) => {
      if (this.lan !== client) return;
      const { level, label } = lanStatusLabel(state, cfg, error);
      this.setLanStatus({ state: level, label, ...(error ? { detail: error.message } : {}) });
      if (state === 'online') {
        void this.resumeNow();
        void this.refreshOfflineGrants(client);
      }
      // Revoked (or enrolled again elsewhere): nobody signs in offline here any more.
      if (state === 'refused' && (error?.code === 'STATION_REVOKED' || error?.code === 'STATION_UNKNOWN')) this.forgetOfflineSignIn();
    });
    client.onPushEvent('station.revoked', (d) => {
      if ((d as { stationId?: unknown }).stationId === this.stationId()) this.forgetOfflineSignIn();
    });
    // An administrator changed the user (or the user changed the password elsewhere).
    client.onPushEvent('auth.offline.revoked', (d) => {
      const ev = d as { login?: unknown; except?: unknown };
      if (typeof ev.login === 'string' && ev.except !== this.stationId()) this.offline.forget(ev.login);
    });
    client.on('lockReleased', (e) => this.o.events.emit('orders.changed', { ids: [e.orderId] }));
    this.contingency.attach(client);
    this.connection.switchTo(lanSyncConnection(client));
  }

  private forgetOfflineSignIn(): void {
    const dropped = this.offline.keepOnly([]);
    if (dropped.length) syncLog.warn(`estação revogada: entrada offline apagada (${dropped.join(', ')})`);
  }

  /** Forgets the offline verifiers the server no longer lists for this station. */
  private async refreshOfflineGrants(client: NumberingClient): Promise<void> {
    try {
      const r = await client.call('auth.offlineGrants', {});
      const dropped = this.offline.keepOnly(r.logins);
      if (dropped.length) syncLog.info(`entrada offline retirada pelo servidor: ${dropped.join(', ')}`);
    } catch {
      // Offline again: the next connection asks again.
    }
  }

  /**
   * Verifies a password at the server (over the station's connection) and opens that
   * user's own connection with the session the server issued.
   */
  async signInAtServer(login: string, password: string, waitMs = 3000): Promise<{ login: string; name: string; roles: SessionUser['roles'] } | null> {
    const r = await this.signInAtServerWithGrant(login, password, waitMs);
    if (!r) return null;
    const id = this.stationId();
    if (id) this.offline.remember(r.user.login, id, r.offline, r.user);
    return r.user;
  }

  private async signInAtServerWithGrant(login: string, password: string, waitMs: number) {
    const lan = this.lan;
    if (!lan) return null;
    if (lan.state !== 'online') await lan.ready(waitMs).catch(() => undefined);
    if (lan.state !== 'online') return null;
    let r;
    try {
      r = await lan.call('auth.signIn', { login, password });
    } catch (err) {
      if (err instanceof AppError && (err.code === 'UNAVAILABLE' || err.code === 'REQUEST_TIMEOUT')) return null;
      throw err;
    }
    const old = this.userClients.get(r.user.login);
    this.userClients.delete(r.user.login);
    void old?.close();
    this.userTokens.set(r.user.login, r.token);
    this.clientFor(r.user.login);
    return r;
  }

  /** Ends a user's session at the server (sign-out) and closes their connection. */
  async signOutAtServer(login: string): Promise<void> {
    const token = this.userTokens.get(login);
    this.userTokens.delete(login);
    const c = this.userClients.get(login);
    this.userClients.delete(login);
    await c?.close();
    if (token) await this.lan?.call('auth.signOut', { token }).catch(() => undefined);
  }

  /** The connection a user's locks and allocations go through (needs their server session). */
  clientFor(user: string): NumberingClient | null {
    const cfg = this.lanConfig();
    const station = this.station();
    const token = this.userTokens.get(user);
    if (!cfg.host || !station || !token) return null;
    let c = this.userClients.get(user);
    if (!c) {
      const client = connect({ url: this.lanUrl(cfg), station, pin: station.pin, userToken: token, ...(this.lanCa ? { ca: this.lanCa } : {}) });
      // The server ended this session (password reset, deactivated, expired): sign in again.
      client.on('state', ({ state }) => {
        if (state !== 'refused' || this.userClients.get(user) !== client) return;
        this.userClients.delete(user);
        this.userTokens.delete(user);
        void client.close();
      });
      this.userClients.set(user, client);
      c = client;
    }
    return c;
  }

  private async disconnectLan(): Promise<void> {
    const old = [this.lan, ...this.userClients.values()];
    this.lan = null;
    this.contingency.attach(null);
    this.userClients.clear();
    this.connection.switchTo(null);
    await Promise.all(old.map((c) => c?.close()));
  }

  /**
   * The LAN connection, once online. A connection being (re)opened — a user just signed in —
   * gets a few seconds; offline answers at once with a clear message.
   */
  async requireLan(user?: string, waitMs = 5000): Promise<NumberingClient> {
    const lan = user ? this.clientFor(user) : this.lan;
    if (user && !lan && this.lan?.state === 'online') {
      throw new AppError('LAN_SIGN_IN_REQUIRED', 'Sua sessão no servidor LAN não está ativa (você entrou sem conexão ou ela expirou). Saia e entre de novo com sua senha.');
    }
    if (lan && lan.state !== 'online' && lan.state !== 'refused') await lan.ready(waitMs).catch(() => undefined);
    if (!lan || lan.state !== 'online') {
      throw new AppError('LAN_OFFLINE', 'Sem conexão com o servidor LAN: numeração, bloqueios e séries dependem dele. Verifique a rede ou o servidor.');
    }
    return lan;
  }

  private setLanStatus(s: ServiceStatus): void {
    this.lanStatus = { ...s, since: this.o.clock.now().toISOString() };
    this.emitStatus();
  }

  sefazConfig(): SefazConfigDto & { simulatorCaFile?: string | null } {
    return { ...DEFAULT_SEFAZ, ...this.o.settings.get<Partial<SefazConfigDto & { simulatorCaFile: string | null }>>('sefaz.config', {}) };
  }

  /** The configured schema folder, else the one `comboio setup fiscal` installed in the data folder. */
  schemasDir(): string | null {
    const installed = fiscalFilesDirs(this.o.paths.dataDir).schemas;
    return this.sefazConfig().schemasDir ?? (existsSync(join(installed, 'nfe')) ? installed : null);
  }

  /**
   * The installed A1 (decrypted only in memory), or null: the establishment's, or with `cnpj`
   * the one of another emitente (the group's transport company).
   */
  certificateSecret(cnpj?: string | null): { pfx: Buffer; password: string } | null {
    const sealed = cnpj
      ? (this.o.settings.get<Record<string, SealedCertificate>>(EMITENTE_CERTS, {})[cnpj] ?? null)
      : this.o.settings.get<SealedCertificate | null>('secret.certificate', null);
    if (!sealed) return null;
    return { pfx: this.o.secrets.open(sealed.pfx), password: this.o.secrets.open(sealed.password).toString('utf8') };
  }

  /** Seals and keeps an A1: the establishment's, or with `cnpj` another emitente's. */
  storeCertificate(pfx: Buffer, password: string, cnpj?: string | null): void {
    const sealed: SealedCertificate = { pfx: this.o.secrets.seal(pfx), password: this.o.secrets.seal(Buffer.from(password, 'utf8')) };
    if (!cnpj) {
      this.o.settings.set('secret.certificate', sealed);
      return;
    }
    this.o.settings.set(EMITENTE_CERTS, { ...this.o.settings.get<Record<string, SealedCertificate>>(EMITENTE_CERTS, {}), [cnpj]: sealed });
  }

  /** CNPJs of the other emitentes whose A1 is stored on this station. */
  emitenteCertificateCnpjs(): string[] {
    return Object.keys(this.o.settings.get<Record<string, SealedCertificate>>(EMITENTE_CERTS, {}));
  }

  /** Rebuilds the SEFAZ client and outbox from the current configuration and certificate. */
  async reloadSefaz(expectedCnpj: string | null): Promise<void> {
    const previous = this.sefaz;
    this.sefaz = null;
    await previous?.outbox.stop();
    for (const id of previous?.cte.identities.values() ?? []) {
      id.client.close();
      id.svc.close();
    }
    previous?.svc.nfe.close();
    previous?.epec.close();
    const cfg = this.sefazConfig();
    const cert = this.certificateSecret();
    if (!cert) {
      this.sefazError = 'Certificado A1 não instalado';
      this.emitStatus();
      return;
    }
    try {
      const connection = {
        env: cfg.environment,
        uf: cfg.uf as Uf,
        pfx: cert.pfx,
        password: cert.password,
        resourcesDir: this.o.paths.resourcesDir,
        installedCaDir: fiscalFilesDirs(this.o.paths.dataDir).icpBrasil,
        ...(cfg.simulatorUrl ? { simulatorUrl: cfg.simulatorUrl } : {}),
        ...(cfg.simulatorCaFile ? { simulatorCaFile: cfg.simulatorCaFile } : {}),
        ...(expectedCnpj ? { expectedCnpj } : {}),
        clock: this.o.clock,
      };
      const { certificate, trustedCaPems } = openIdentity(connection);
      // Each client gets its own options object: addMessageListener chains onto it.
      const client = new SefazClient(clientOptions(connection, certificate, trustedCaPems));
      const cteClient = new CteSefazClient(clientOptions(connection, certificate, trustedCaPems));
      const svc = { nfe: new SefazClient(clientOptions({ ...connection, emission: 'svc' }, certificate, trustedCaPems)), cte: new CteSefazClient(clientOptions({ ...connection, emission: 'svc' }, certificate, trustedCaPems)) };
      const epec = new SefazClient(clientOptions(connection, certificate, trustedCaPems));
      const mainCnpj = (expectedCnpj ?? certificate.cnpj ?? '').toUpperCase();
      const identities = new Map<string, CteIdentity>([[mainCnpj, { cnpj: mainCnpj, certificate, client: cteClient, svc: svc.cte }]]);
      const emitenteErrors = new Map<string, string>();
      // Each other emitente signs and transmits with its own A1; one that fails to open
      // (wrong password, expired) leaves the establishment and the others working.
      for (const cnpj of this.emitenteCertificateCnpjs()) {
        try {
          const sealed = this.certificateSecret(cnpj)!;
          const other = { ...connection, pfx: sealed.pfx, password: sealed.password, expectedCnpj: cnpj };
          const opened = openIdentity(other);
          identities.set(cnpj, {
            cnpj,
            certificate: opened.certificate,
            client: new CteSefazClient(clientOptions(other, opened.certificate, opened.trustedCaPems)),
            svc: new CteSefazClient(clientOptions({ ...other, emission: 'svc' }, opened.certificate, opened.trustedCaPems)),
          });
        } catch (err) {
          emitenteErrors.set(cnpj, (err as Error).message);
        }
      }
      const forCnpj = (cnpj: string): CteIdentity | null => {
        const key = String(cnpj ?? '').toUpperCase();
        return identities.get(key) ?? [...identities.values()].find((i) => i.cnpj.slice(0, 8) === key.slice(0, 8)) ?? null;
      };
      // A chave of no installed emitente falls back to the establishment's A1 (SEFAZ's answer says why).
      const ofChave = (chave: string): CteIdentity => forCnpj(cnpjOfChave(chave)) ?? identities.get(mainCnpj)!;
      const all = [...identities.values()];
      // Only the UF authorizer's silence (or 108/109) puts the UF in contingency.
      client.addMessageListener(this.contingency.listener(() => cfg.uf, 'nfe'));
      for (const i of all) i.client.addMessageListener(this.contingency.listener(() => cfg.uf, 'cte'));
      const outDir = this.documentsDir();
      const hooks = this.outboxHooks;
      const fanout = <K extends keyof OutboxHooks>(k: K) =>
        (async (...args: unknown[]) => {
          for (const h of hooks) await (h[k] as ((...a: unknown[]) => unknown) | undefined)?.(...args);
        }) as NonNullable<OutboxHooks[K]>;
      const outbox = new SefazOutbox({
        store: this.o.store,
        client: routeByModel(
          client,
          cteRouter(all.map((i) => i.client), (chave) => ofChave(chave).client),
          { nfe: svc.nfe, cte: cteRouter(all.map((i) => i.svc), (chave) => ofChave(chave).svc) },
        ),
        outDir,
        clock: this.o.clock,
        sync: true,
        ...(this.o.outbox?.backoff ? { backoff: this.o.outbox.backoff } : {}),
        hooks: {
          onAuthorized: fanout('onAuthorized'),
          onDenied: fanout('onDenied'),
          onRejected: fanout('onRejected'),
          onCancelled: fanout('onCancelled'),
          onChange: (doc) => {
            for (const h of hooks) h.onChange?.(doc);
            this.emitStatus();
          },
        },
      });
      const fiscalEvents = new SefazFiscalEvents({ store: this.o.store, client, outDir, clock: this.o.clock, cnpj: certificate.cnpj ?? expectedCnpj ?? '' });
      const cteEvents = new CteFiscalEvents({ store: this.o.store, client: cteEventsRouter(forCnpj, cteClient), outDir, clock: this.o.clock });
      epec.addMessageListener((m) => outbox.recordMessage(m));
      this.sefaz = { client, certificate, outbox, fiscalEvents, cte: { client: cteClient, events: cteEvents, identities, forCnpj }, emitenteErrors, svc, epec, config: cfg };
      this.sefazError = null;
      outbox.start(this.o.outbox?.pollMs ?? 1000);
    } catch (err) {
      this.sefazError = (err as Error).message;
    }
    this.emitStatus();
  }

  documentsDir(): string {
    const dir = join(this.o.paths.dataDir, 'documentos');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  readDocumentFile(name: string): string | null {
    const file = join(this.documentsDir(), name);
    return existsSync(file) ? readFileSync(file, 'utf8') : null;
  }

  status(): StatusSnapshot {
    const sync = this.replica.status();
    const waiting = this.sefaz ? this.sefaz.outbox.list(['queued', 'inflight', 'unknown', 'receipt']).length : 0;
    const env = this.sefazConfig().environment;
    const envLabel = env === 'simulador' ? 'simulador local' : env === 'homologacao' ? 'homologação' : 'produção';
    const sefaz: ServiceStatus = !this.sefaz
      ? { state: 'unconfigured', label: `SEFAZ: ${this.sefazError ?? 'não configurada'}` }
      : waiting > 0
        ? { state: 'connecting', label: `SEFAZ (${envLabel}): ${waiting} aguardando` }
        : { state: 'ok', label: `SEFAZ: ${envLabel} ${this.sefaz.config.uf}` };
    const contingencia = this.contingency.status(this.sefaz?.config.uf ?? null);
    return {
      lanServer: this.lanStatus,
      sefaz,
      ...(contingencia ? { contingencia } : {}),
      printer: this.printerStatus,
      sync: { online: sync.online, pending: sync.pending, rejected: sync.rejected, lastSyncAt: sync.lastSyncAt ?? null },
    };
  }

  emitStatus(): void {
    this.o.events.emit('status.changed', this.status());
  }

  async close(): Promise<void> {
    this.resumeTask = undefined;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    await this.resuming;
    await this.sefaz?.outbox.stop();
    await this.printQueue.stop();
    await this.replica.close();
    await this.disconnectLan();
    this.contingency.close();
  }
}
