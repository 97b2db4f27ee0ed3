import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Core } from '../core/app';
import { dispatch } from '../core/handlers';
import { ErrorCodes, type Envelope } from '../shared/errors';
import { isApiMethod, SESSIONLESS_METHODS } from '../shared/api/index';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Same CSP as the Electron window, plus connect-src 'self' for the HTTP transport. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  // blob: frames are the DANFE preview's PDF, made by the page itself (#22 item 17).
  "connect-src 'self' blob:; frame-src blob:; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const MAX_BODY = 16 * 1024 * 1024;

export interface WebHostOptions {
  core: Core;
  rendererDir: string;
  host?: string;
  port?: number;
}

export interface WebHost {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * The browser transport of the Api: serves the renderer build, `POST /api/:method`
 * and server-sent events on `GET /api/events`. Binds to loopback by default; every method
 * but signing in and the app's info needs a signed-in session, and only requests addressed
 * to this host's own address (Host header) are served.
 */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const { core } = opts;
  const rendererDir = resolve(opts.rendererDir);
  const sseClients = new Set<ServerResponse>();
  const host = opts.host ?? '127.0.0.1';
  const stopForwarding = core.events.onAny((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sseClients) res.write(frame);
  });

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('[web-host]', err);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: ErrorCodes.INTERNAL, message: 'Erro interno.' } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A DNS-rebinding page reaches this port under its own name: only our address is served.
    if (!hostAllowed(req.headers.host, host, (server.address() as AddressInfo).port)) {
      sendJson(res, 421, { ok: false, error: { code: ErrorCodes.FORBIDDEN, message: 'Endereço (Host) não permitido: abra o Comboio pelo endereço que ele mostra.' } });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      if (!sameOrigin(req)) {
        sendJson(res, 403, { ok: false, error: { code: ErrorCodes.FORBIDDEN, message: 'Origem não permitida.' } });
        return;
      }
      if (url.pathname === '/api/events' && req.method === 'GET') return openEvents(req, res);
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        sendJson(res, 405, { ok: false, error: { code: ErrorCodes.MALFORMED_REQUEST, message: 'Use POST.' } });
        return;
      }
      const body = await readBody(req);
      if (body === null) {
        sendJson(res, 413, { ok: false, error: { code: ErrorCodes.MALFORMED_REQUEST, message: 'Requisição grande demais.' } });
        return;
      }
      let params: unknown;
      try {
        params = body.length === 0 ? undefined : JSON.parse(body);
      } catch {
        sendJson(res, 400, { ok: false, error: { code: ErrorCodes.MALFORMED_REQUEST, message: 'Requisição malformada (JSON inválido).' } });
        return;
      }
      const session = req.headers['x-comboio-session'];
      if (isApiMethod(method) && !SESSIONLESS_METHODS.has(method) && !core.sessionValid(typeof session === 'string' ? session : undefined)) {
        sendJson(res, 401, { ok: false, error: { code: ErrorCodes.UNAUTHENTICATED, message: 'Entre com seu usuário e senha para usar esta operação.' } });
        return;
      }
      const envelope = await dispatch(core.handlers, method, params, {
        origin: `web ${req.socket.remoteAddress ?? ''}`.trim(),
        ...(typeof session === 'string' && session ? { session } : {}),
      });
      sendJson(res, envelope.ok ? 200 : statusFor(envelope), envelope);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    serveStatic(url.pathname, res);
  }

  function openEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': conectado\n\n');
    sseClients.add(res);
    const keepAlive = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      sseClients.delete(res);
    });
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    let file = join(rendererDir, rel);
    if (!file.startsWith(rendererDir + sep) && file !== rendererDir) {
      res.writeHead(404).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(rendererDir, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Interface não compilada: rode "npm run build".');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
    });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, host, () => ok());
  });
  const addr = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    server,
    url: `http://${shownHost}:${addr.port}/`,
    close: () =>
      new Promise((ok) => {
        stopForwarding();
        for (const res of sseClients) res.end();
        sseClients.clear();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The Host header a request may carry: the address the host listens on (with its port), or
 * localhost when that address is loopback. Bound to every interface, any IP literal of this
 * port is fine; a DNS name other than localhost never is (that is what rebinding uses).
 */
export function hostAllowed(header: string | undefined, listenHost: string, port: number): boolean {
  if (!header) return false;
  const m = header.toLowerCase().match(/^(\[[0-9a-f:.]+\]|[^:[\]]+):(\d+)$/);
  if (!m || Number(m[2]) !== port) return false;
  const name = m[1]!.replace(/^\[|\]$/g, '');
  const listen = listenHost.toLowerCase();
  if (listen === '0.0.0.0' || listen === '::') return LOOPBACK.has(name) || isIP(name) !== 0;
  if (name === listen) return true;
  return LOOPBACK.has(listen) && LOOPBACK.has(name);
}

/** Refuses cross-site requests (another page in the user's browser calling the Api). */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function statusFor(envelope: Envelope<unknown>): number {
  if (envelope.ok) return 200;
  switch (envelope.error.code) {
    case ErrorCodes.UNKNOWN_METHOD:
    case ErrorCodes.NOT_FOUND:
      return 404;
    case ErrorCodes.UNAUTHENTICATED:
      return 401;
    case ErrorCodes.FORBIDDEN:
      return 403;
    case ErrorCodes.INTERNAL:
      return 500;
    default:
      // Domain errors are answers, not transport failures: the envelope carries the code.
      return 200;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => ok(tooBig ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
