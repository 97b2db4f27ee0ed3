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
import type { HandlerMap, ServerContext, Session } from './context';
import { tokenMatches } from './token';
import { obj, str } from './validate';

export interface ConnectionDeps {
  ctx: ServerContext;
  handlers: HandlerMap;
  token: string;
  serverId: string;
  version: string;
  heartbeatMs: number;
  lockGraceMs: number;
  log: (line: string) => void;
}

const HELLO_TIMEOUT_MS = 10_000;
const CLOSE_UNAUTHENTICATED = 4401;

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
    if (this.session && this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
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
    if (!this.session) return this.refuse(rid, 'Conexão não autenticada: envie "hello" com o token de instalação primeiro.');
    const handler = Object.prototype.hasOwnProperty.call(this.deps.handlers, type) ? this.deps.handlers[type] : undefined;
    if (!handler) return this.error(rid, { code: 'UNKNOWN_METHOD', message: `Tipo de mensagem desconhecido: ${type.slice(0, 100)}.` });
    let result: unknown;
    try {
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
    let user: string;
    let workstation: string;
    let o: Record<string, unknown>;
    try {
      o = obj(data);
      user = str(o, 'user', { max: 100 });
      workstation = str(o, 'workstation', { max: 100 });
    } catch (err) {
      return this.refuse(id, toApiError(err).message);
    }
    if (!tokenMatches(this.deps.token, o.token)) {
      this.deps.log(`conexão recusada de ${this.ip}: token inválido (usuário ${user}, estação ${workstation})`);
      return this.refuse(id, 'Token de instalação inválido. Copie o token mostrado no servidor para a configuração desta estação.');
    }
    if (o.protocol !== undefined && o.protocol !== PROTOCOL_VERSION) {
      return this.refuse(id, `Versão de protocolo ${String(o.protocol)} incompatível com o servidor (${PROTOCOL_VERSION}). Atualize o Comboio.`);
    }
    clearTimeout(this.helloTimer);
    const capabilities = this.deps.ctx.policy.capabilities(user, workstation);
    this.session = { id: this.id, actor: { user, workstation, ip: this.ip }, capabilities: new Set(capabilities) };
    const result: HelloResult = {
      protocol: PROTOCOL_VERSION,
      serverId: this.deps.serverId,
      serverVersion: this.deps.version,
      capabilities,
      ip: this.ip,
      heartbeatMs: this.deps.heartbeatMs,
      lockGraceMs: this.deps.lockGraceMs,
    };
    this.reply({ id, ok: true, data: result });
  }

  private refuse(id: string | number | null, message: string): void {
    this.error(id, { code: 'UNAUTHENTICATED', message });
    // Let the error frame leave before closing.
    setTimeout(() => this.ws.close(CLOSE_UNAUTHENTICATED, 'unauthenticated'), 50).unref();
  }

  private error(id: string | number | null, error: WireError): void {
    this.reply({ id, ok: false, error });
  }

  private reply(frame: ReplyFrame): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify(frame));
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
