import type { WebSocket } from 'ws';
import { toApiError } from '../core/errors';
import {
  MAX_MESSAGE_BYTES,
  NumberingErrors,
  PROTOCOL_VERSION,
  type HelloResult,
  type PushFrame,
  type ReplyFrame,
  type WireError,
} from '../core/numbering/protocol';
import type { Role } from '../shared/api/session';
import { authorize, hasRole } from './auth/permissions';
import type { HandlerMap, ServerContext, Session } from './context';
import { obj, str } from './validate';

export interface ConnectionDeps {
  ctx: ServerContext;
  handlers: HandlerMap;
  serverId: string;
  version: string;
  heartbeatMs: number;
  lockGraceMs: number;
  log: (line: string) => void;
}

const HELLO_TIMEOUT_MS = 10_000;
export const CLOSE_UNAUTHENTICATED = 4401;
/**
 * Replies and pushes waiting in the socket's buffer beyond this mean the peer does not read
 * (or reads far too slowly): it is dropped instead of making the server hold its replies.
 */
export const MAX_OUTBOUND_BYTES = 16 * 1024 * 1024;

/**
 * One socket: hello first, then request/reply frames dispatched by type. Nothing a peer
 * sends can throw out of here — every failure becomes an error reply (the server must not
 * crash on input).
 */
export class Connection {
  session: Session | null = null;
  alive = true;
  private readonly inFlight = new Set<string | number>();
  private readonly helloTimer: NodeJS.Timeout;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    readonly ip: string,
    private readonly deps: ConnectionDeps,
  ) {
    this.helloTimer = setTimeout(() => this.refuse(null, 'Conexão sem identificação (hello) no tempo limite.'), HELLO_TIMEOUT_MS);
    this.helloTimer.unref();
    ws.on('message', (data, isBinary) => {
      this.alive = true;
      this.onFrame(data as Buffer, isBinary);
    });
    ws.on('pong', () => {
      this.alive = true;
    });
  }

  push(frame: PushFrame): void {
    if (this.session) this.send(JSON.stringify(frame));
  }

  /** Ends this connection now (station revoked, user deactivated): the peer sees 4401. */
  drop(reason: string): void {
    this.deps.log(`conexão ${this.id} de ${this.ip} encerrada: ${reason}`);
    this.session = null;
    this.ws.close(CLOSE_UNAUTHENTICATED, reason.slice(0, 100));
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  /** Called every heartbeat interval: no pong since the last ping means the peer is gone. */
  heartbeat(): void {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  closed(): void {
    clearTimeout(this.helloTimer);
  }

  private onFrame(raw: Buffer | Buffer[] | ArrayBuffer, isBinary: boolean): void {
    const buf = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    if (isBinary) return this.error(null, { code: 'MALFORMED_REQUEST', message: 'Mensagem binária não é aceita: envie JSON em texto.' });
    if (buf.length > MAX_MESSAGE_BYTES) {
      return this.error(null, { code: NumberingErrors.MESSAGE_TOO_LARGE, message: `Mensagem grande demais (${buf.length} bytes; máximo ${MAX_MESSAGE_BYTES}).` });
    }
    let frame: unknown;
    try {
      frame = JSON.parse(buf.toString('utf8'));
    } catch {
      return this.error(null, { code: 'MALFORMED_REQUEST', message: 'Mensagem inválida: não é JSON.' });
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      return this.error(null, { code: 'MALFORMED_REQUEST', message: 'Mensagem inválida: esperado um objeto {id, type, data}.' });
    }
    const { id, type, data } = frame as { id?: unknown; type?: unknown; data?: unknown };
    const validId = (typeof id === 'string' && id.length > 0 && id.length <= 100) || (typeof id === 'number' && Number.isSafeInteger(id));
    if (!validId) return this.error(null, { code: 'MALFORMED_REQUEST', message: 'Mensagem sem "id" válido (texto até 100 caracteres ou inteiro).' });
    const rid = id as string | number;
    if (typeof type !== 'string' || type.length === 0 || type.length > 100) {
      return this.error(rid, { code: 'MALFORMED_REQUEST', message: 'Mensagem sem "type" válido.' });
    }
    if (this.inFlight.has(rid)) {
      return this.error(rid, { code: NumberingErrors.PROTOCOL_ORDER, message: `Já existe uma requisição em andamento com o id ${String(rid)}.` });
    }
    if (type === 'hello') return this.hello(rid, data);
    if (type === 'enroll') return this.enroll(rid, data);
    if (!this.session) return this.refuse(rid, 'Conexão não autenticada: envie "hello" com a credencial da estação primeiro.');
    // A revoked station is refused at once, even on a connection opened before the revocation.
    if (!this.deps.ctx.stations.isActive(this.session.stationId)) return this.refuse(rid, 'O acesso desta estação foi revogado pelo administrador.');
    const handler = Object.prototype.hasOwnProperty.call(this.deps.handlers, type) ? this.deps.handlers[type] : undefined;
    if (!handler) return this.error(rid, { code: 'UNKNOWN_METHOD', message: `Tipo de mensagem desconhecido: ${type.slice(0, 100)}.` });
    let result: unknown;
    try {
      authorize(type, this.session);
      result = handler(data, this.session, this.deps.ctx);
    } catch (err) {
      return this.failed(rid, type, err);
    }
    // Reads answer at once; writes wait for their group commit (one promise, no extra hops).
    if (!isThenable(result)) return this.reply({ id: rid, ok: true, data: result ?? null });
    this.inFlight.add(rid);
    result.then(
      (value: unknown) => {
        this.inFlight.delete(rid);
        this.reply({ id: rid, ok: true, data: value ?? null });
      },
      (err: unknown) => {
        this.inFlight.delete(rid);
        this.failed(rid, type, err);
      },
    );
  }

  private failed(id: string | number, type: string, err: unknown): void {
    const e = toApiError(err);
    if (e.code === 'INTERNAL') this.deps.log(`erro interno em ${type}: ${(err as Error)?.stack ?? String(err)}`);
    this.reply({ id, ok: false, error: e });
  }

  private hello(id: string | number, data: unknown): void {
    if (this.session) return this.error(id, { code: NumberingErrors.PROTOCOL_ORDER, message: 'Esta conexão já se identificou (hello repetido).' });
    const { ctx } = this.deps;
    let stationId: string;
    let secret: string;
    let userToken: string | undefined;
    let o: Record<string, unknown>;
    try {
      o = obj(data);
      const station = obj(o.station, 'station');
      stationId = str(station, 'id', { max: 100 });
      secret = str(station, 'secret', { max: 200 });
      userToken = str(o, 'userToken', { max: 200, optional: true });
    } catch (err) {
      return this.refuse(id, `${toApiError(err).message} Esta estação precisa ser cadastrada no servidor (código de cadastro).`, 'STATION_UNKNOWN');
    }
    if (o.protocol !== undefined && o.protocol !== PROTOCOL_VERSION) {
      return this.refuse(id, `Versão de protocolo ${String(o.protocol)} incompatível com o servidor (${PROTOCOL_VERSION}). Atualize o Comboio.`);
    }
    let workstation: string;
    try {
      workstation = ctx.stations.authenticate(stationId, secret, this.ip).name;
    } catch (err) {
      const e = toApiError(err);
      this.deps.log(`conexão recusada de ${this.ip}: ${e.code}`);
      return this.refuse(id, e.message, e.code);
    }
    let login: string | null = null;
    if (userToken !== undefined) {
      const user = ctx.users.sessionUser(userToken, stationId);
      if (!user) return this.refuse(id, 'Sua sessão no servidor terminou (expirou, senha trocada ou usuário desativado). Entre de novo.', 'USER_SESSION_INVALID');
      login = user.login;
    }
    clearTimeout(this.helloTimer);
    const users = ctx.users;
    const roles = (): readonly Role[] => (login === null ? [] : users.rolesOf(login));
    this.session = {
      id: this.id,
      actor: { user: login ?? `estacao:${workstation}`, workstation, ip: this.ip },
      stationId,
      login,
      roles,
      get capabilities() {
        return new Set(hasRole(roles(), ['administrador']) ? ['admin'] : []);
      },
    };
    const result: HelloResult = {
      protocol: PROTOCOL_VERSION,
      serverId: this.deps.serverId,
      serverVersion: this.deps.version,
      capabilities: [...this.session.capabilities],
      ip: this.ip,
      heartbeatMs: this.deps.heartbeatMs,
      lockGraceMs: this.deps.lockGraceMs,
      workstation,
      user: login,
    };
    this.reply({ id, ok: true, data: result });
  }

  /** Enrollment with a one-time code; the station then reconnects with its credential. */
  private enroll(id: string | number, data: unknown): void {
    if (this.session) return this.error(id, { code: NumberingErrors.PROTOCOL_ORDER, message: 'Conexão já autenticada.' });
    try {
      const o = obj(data);
      const name = str(o, 'workstation', { max: 64 });
      if (!/^[\p{L}\p{N}._ -]{1,64}$/u.test(name)) throw new Error('nome');
      const proof = str(o, 'proof', { max: 100 });
      const r = this.deps.ctx.stations.enroll(name, proof, this.deps.ctx.fingerprint ?? '', this.ip);
      this.deps.log(`estação ${name} cadastrada a partir de ${this.ip}`);
      this.reply({ id, ok: true, data: { stationId: r.stationId, secret: r.secret, serverProof: r.serverProof, serverId: this.deps.serverId, workstation: name } });
    } catch (err) {
      const e = toApiError(err);
      return this.refuse(id, e.code === 'INTERNAL' ? 'Nome de estação inválido (letras, números, ponto, hífen, espaço; até 64).' : e.message, e.code === 'INTERNAL' ? 'INVALID_INPUT' : e.code);
    }
    setTimeout(() => this.ws.close(1000, 'enrolled'), 50).unref();
  }

  private refuse(id: string | number | null, message: string, code = 'UNAUTHENTICATED'): void {
    this.error(id, { code, message });
    // Let the error frame leave before closing.
    setTimeout(() => this.ws.close(CLOSE_UNAUTHENTICATED, 'unauthenticated'), 50).unref();
  }

  private error(id: string | number | null, error: WireError): void {
    this.reply({ id, ok: false, error });
  }

  private reply(frame: ReplyFrame): void {
    this.send(JSON.stringify(frame));
  }

  private send(text: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount + text.length > MAX_OUTBOUND_BYTES) {
      this.deps.log(`conexão ${this.id} de ${this.ip} (${this.session?.actor.workstation ?? 'sem sessão'}) derrubada: ${this.ws.bufferedAmount} bytes de respostas não lidas`);
      this.session = null;
      this.ws.terminate();
      return;
    }
    this.ws.send(text);
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
