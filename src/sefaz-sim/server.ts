import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { simulatorRoutes, UF_CODES, type Uf } from '../core/sefaz/endpoints';
import { isSimTarget, SIM_TARGETS, type SimSite, type SimTarget } from './contingency';
import { NfeServices, buildSoapFault, buildSoapResponse, parseSoap, SOAP_CONTENT_TYPE } from '../core/sefaz/soap';
import { textOf } from '../core/sefaz/xml';
import { DEFAULT_FAULTS, isMode, makeRandom, presetFor, type Faults, type Mode } from './faults';
import { ensurePki } from './pki';
import { SimulatorServices, cnpjFromDer, motivo, type SchemaCheck, type SimService } from './services';
import { SimulatorStore } from './store';
import { CteSimulatorServices } from './cte-services';
import { buildCteSoapResponse, CteServices, parseCteSoap, type CteServiceKey } from '../core/sefaz/cte-messages';
import { cteSimulatorRoutes } from '../core/sefaz/cte-endpoints';

export interface SimulatorOptions {
  dataDir: string;
  /** Port of the UF authorizer; SVC-AN, SVC-RS, SVC-SP and the AN listen on the next four. 0 = any free block. */
  port: number;
  host?: string;
  adminPort?: number;
  schema: SchemaCheck;
  /** Schema check of the CT-e package (cte/PL_CTe_400); without it every CT-e is refused 215. */
  cteSchema?: SchemaCheck;
  /** Extra CAs whose client certificates are accepted (besides the simulator's own CA). */
  trustedClientCaPems?: string[];
  mode?: Mode;
  /** Which service `mode` applies to (default the UF authorizer). */
  target?: SimTarget;
  faults?: Partial<Faults>;
  /** UFs for which SEFAZ has activated the SVC. */
  svcAtivo?: Uf[];
  seed?: number;
}

export interface RunningSimulator {
  /** The UF authorizer (and, for old clients, the AN's EPEC path). */
  url: string;
  urls: Record<SimTarget, string>;
  adminUrl: string;
  caFile: string;
  caKeyFile: string;
  store: SimulatorStore;
  faults(target?: SimTarget): Faults;
  setFaults(next: Partial<Faults> & { mode?: Mode; target?: SimTarget }): Promise<Faults>;
  svcAtivo(): Uf[];
  setSvcAtivo(ufs: Uf[]): void;
  close(): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        fail(new Error('corpo grande demais'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

export async function startSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  const pki = ensurePki(opts.dataDir);
  const store = new SimulatorStore(opts.dataDir);
  const faults = {} as Record<SimTarget, Faults>;
  for (const target of SIM_TARGETS) {
    let f: Faults = { ...DEFAULT_FAULTS, ...opts.faults };
    if (opts.mode && (opts.target ?? 'autorizador') === target) f = { ...presetFor(opts.mode, f), ...opts.faults, mode: opts.mode };
    faults[target] = f;
  }
  let svcAtivo = new Set<Uf>(opts.svcAtivo ?? []);
  const random = makeRandom(opts.seed ?? Date.now());
  const cteSchema: SchemaCheck = opts.cteSchema ?? (() => 'schemas do CT-e (PL_CTe_400) não configurados no simulador');
  const sites = Object.fromEntries(
    SIM_TARGETS.map((target) => {
      const site: SimSite = { target, svcActive: (uf) => svcAtivo.has(uf as Uf) };
      const nfe = new SimulatorServices(store, () => faults[target], opts.schema, random, site);
      nfe.replySigner = pki.server;
      return [target, { nfe, cte: new CteSimulatorServices(store, () => faults[target], cteSchema, random, site) }];
    }),
  ) as Record<SimTarget, { nfe: SimulatorServices; cte: CteSimulatorServices }>;
  const routes = simulatorRoutes();
  const cteRoutes = cteSimulatorRoutes();
  const host = opts.host ?? '127.0.0.1';

  const roll = (rate: number) => rate > 0 && random() < rate;

  const reply = (res: http.ServerResponse, target: SimTarget, service: SimService, payload: string) => {
    const key = target === 'autorizador' || target === 'an' ? service : `${target}:${service}`;
    const cStat = textOf(payload.replace(/<(protNFe|retEvento)[\s>][\s\S]*?<\/\1>/g, ''), 'cStat') ?? '';
    store.countReply(key, cStat);
    for (const m of payload.matchAll(/<(?:protNFe|retEvento)[\s\S]*?<cStat>(\d{3})<\/cStat>/g)) store.countReply(`${key}:doc`, m[1]!);
    const wsdl = service === 'epec' ? NfeServices.recepcaoEvento : NfeServices[service];
    res.writeHead(200, { 'Content-Type': SOAP_CONTENT_TYPE });
    res.end(buildSoapResponse(wsdl, payload));
  };

  const cteReply = (res: http.ServerResponse, target: SimTarget, service: CteServiceKey, payload: string) => {
    store.countReply(target === 'autorizador' ? `cte:${service}` : `${target}:cte:${service}`, textOf(payload.replace(/<protCTe[\s>][\s\S]*?<\/protCTe>/g, ''), 'cStat') ?? '');
    res.writeHead(200, { 'Content-Type': SOAP_CONTENT_TYPE });
    res.end(buildCteSoapResponse(CteServices[service], payload));
  };

  /** One model's way of reading requests and writing replies (NF-e or CT-e). */
  interface Protocol {
    /** The message inside the SOAP body; throws on a malformed or misrouted envelope. */
    parse(body: string): string;
    /** A reply that processed nothing (656, 108/109). */
    serviceReply(cStat: string, payload: string): string;
    handle(payload: string, ctx: { certCnpj: string | null }): string;
    send(payload: string): void;
  }

  // The same faults for every service of a target: reset, 656, paused, slow, lost reply after deciding.
  const serve = async (req: http.IncomingMessage, res: http.ServerResponse, target: SimTarget, p: Protocol) => {
    const f = faults[target];
    const body = await readBody(req);
    // A target whose listener is closed but reached through another port (the AN's old path
    // on the authorizer's port) behaves as unreachable.
    if (roll(f.resetRate) || f.refused) {
      req.socket.destroy();
      return;
    }
    let payload: string;
    try {
      payload = p.parse(body);
    } catch (err) {
      res.writeHead(400, { 'Content-Type': SOAP_CONTENT_TYPE });
      res.end(buildSoapFault(`Mensagem SOAP inválida: ${(err as Error).message}`));
      return;
    }
    if (roll(f.throttleRate)) return p.send(p.serviceReply('656', payload));
    if (roll(f.pausedRate)) return p.send(p.serviceReply(f.pausedCode, payload));
    if (roll(f.slowRate)) await sleep(f.slowMs);
    const out = p.handle(payload, { certCnpj: cnpjFromDer((req.socket as TLSSocket).getPeerCertificate?.()?.raw) });
    // Decided and stored, but the caller never hears back: the trap that makes naive
    // clients resend under a new key and hit 539.
    if (roll(f.noReplyRate)) {
      req.socket.destroy();
      return;
    }
    p.send(out);
  };

  const cteProtocol = (res: http.ServerResponse, target: SimTarget, service: CteServiceKey): Protocol => ({
    parse(body) {
      const msg = parseCteSoap(body);
      if (msg.kind !== 'request' || msg.service !== CteServices[service]) throw new Error(`esperado cteDadosMsg de ${CteServices[service]}`);
      return msg.payload;
    },
    serviceReply: (cStat, payload) => sites[target].cte.serviceReply(service, cStat, payload),
    handle: (payload, ctx) => sites[target].cte.handle(service, payload, ctx),
    send: (payload) => cteReply(res, target, service, payload),
  });

  const nfeProtocol = (res: http.ServerResponse, target: SimTarget, service: SimService): Protocol => ({
    parse(body) {
      const msg = parseSoap(body);
      const expected = service === 'epec' ? NfeServices.recepcaoEvento : NfeServices[service];
      if (msg.kind !== 'nfeDadosMsg' || msg.service !== expected) throw new Error(`esperado nfeDadosMsg de ${expected}`);
      return msg.payload;
    },
    serviceReply: (cStat, payload) => sites[target].nfe.serviceReply(service, cStat, motivo(cStat), payload),
    handle: (payload, ctx) => sites[target].nfe.handle(service, payload, ctx),
    send: (payload) => reply(res, target, service, payload),
  });

  /** Which target and service a path of a listener reaches (undefined: not offered there). */
  const route = (listener: SimTarget, path: string): { target: SimTarget; nfe?: SimService; cte?: CteServiceKey } | undefined => {
    const nfe = routes.get(path);
    const cte = cteRoutes.get(path);
    if (nfe === 'epec') return listener === 'an' || listener === 'autorizador' ? { target: 'an', nfe } : undefined;
    if (listener === 'an') return undefined;
    if (nfe && listener !== 'svc-sp' && !(nfe === 'inutilizacao' && listener !== 'autorizador')) return { target: listener, nfe };
    if (cte && listener !== 'svc-an') return { target: listener, cte };
    return undefined;
  };

  const handler = async (listener: SimTarget, req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!.toLowerCase();
    const r = route(listener, path);
    if (!r) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Serviço não encontrado neste simulador.');
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' });
      res.end();
      return;
    }
    await serve(req, res, r.target, r.cte ? cteProtocol(res, r.target, r.cte) : nfeProtocol(res, r.target, r.nfe!));
  };

  interface Listener {
    server: https.Server;
    sockets: Set<Duplex>;
    port: number;
    listening: boolean;
  }
  const listeners = {} as Record<SimTarget, Listener>;
  for (const target of SIM_TARGETS) {
    const server = https.createServer(
      {
        key: pki.server.keyPem,
        cert: pki.server.certPem,
        ca: [pki.ca.certPem, ...(opts.trustedClientCaPems ?? [])],
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
      },
      (req, res) => {
        handler(target, req, res).catch((err: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'Content-Type': SOAP_CONTENT_TYPE });
          res.end(buildSoapFault(`Erro interno do simulador: ${(err as Error).message}`, 'soap12:Receiver'));
        });
      },
    );
    const sockets = new Set<Duplex>();
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    listeners[target] = { server, sockets, port: 0, listening: false };
  }

  const listen = (l: Listener, port: number) =>
    new Promise<void>((ok, fail) => {
      l.server.once('error', fail);
      l.server.listen(port, host, () => {
        l.server.off('error', fail);
        l.port = (l.server.address() as AddressInfo).port;
        l.listening = true;
        ok();
      });
    });
  const unlisten = (l: Listener) =>
    new Promise<void>((ok) => {
      if (!l.listening) return ok();
      l.listening = false;
      l.server.close(() => ok());
      for (const s of l.sockets) s.destroy();
    });

  // The five services take consecutive ports, so a client configured with the authorizer's
  // URL finds the others (endpoints.ts, simulatorTargetUrl). Port 0: any free block.
  const bindBlock = async (base: number) => {
    try {
      for (const [i, target] of SIM_TARGETS.entries()) await listen(listeners[target], base + i);
    } catch (err) {
      for (const target of SIM_TARGETS) await unlisten(listeners[target]);
      throw err;
    }
  };
  if (opts.port !== 0) await bindBlock(opts.port);
  else {
    for (let attempt = 0; ; attempt++) {
      try {
        await bindBlock(20_000 + Math.floor(Math.random() * 40_000));
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt > 50) throw err;
      }
    }
  }
  const basePort = listeners.autorizador.port;

  // "Connection refused" is the real thing: the listener closes; it reopens on the same port.
  const applyRefused = async (target: SimTarget) => {
    const l = listeners[target];
    if (faults[target].refused && l.listening) await unlisten(l);
    else if (!faults[target].refused && !l.listening) await listen(l, basePort + SIM_TARGETS.indexOf(target));
  };
  for (const target of SIM_TARGETS) await applyRefused(target);

  const setFaults = async (next: Partial<Faults> & { mode?: Mode; target?: SimTarget }): Promise<Faults> => {
    const { mode, target = 'autorizador', ...rest } = next;
    const current = faults[target];
    faults[target] = mode ? { ...presetFor(mode, { ...current, ...rest }), ...rest } : { ...current, ...rest };
    await applyRefused(target);
    return faults[target];
  };

  const urlHost = host.includes(':') ? `[${host}]` : host;
  const urls = Object.fromEntries(SIM_TARGETS.map((target, i) => [target, `https://${urlHost}:${basePort + i}`])) as Record<SimTarget, string>;

  const admin = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://admin');
      if (req.method === 'GET' && url.pathname === '/admin/state') {
        const targets = Object.fromEntries(SIM_TARGETS.map((t) => [t, { url: urls[t], faults: faults[t], listening: listeners[t].listening }]));
        return send(200, { faults: faults.autorizador, listening: listeners.autorizador.listening, targets, svcAtivo: [...svcAtivo], summary: store.summary(), replies: store.replyCounts() });
      }
      if (req.method === 'POST' && url.pathname === '/admin/faults') {
        const body = JSON.parse((await readBody(req)) || '{}') as Partial<Faults> & { mode?: string; target?: string };
        if (body.mode !== undefined && !isMode(body.mode)) return send(400, { error: `modo desconhecido: ${body.mode}` });
        if (body.target !== undefined && !isSimTarget(body.target)) return send(400, { error: `alvo desconhecido: ${body.target} (use ${SIM_TARGETS.join(', ')})` });
        return send(200, { faults: await setFaults(body as Partial<Faults> & { mode?: Mode; target?: SimTarget }) });
      }
      if (req.method === 'POST' && url.pathname === '/admin/svc') {
        const body = JSON.parse((await readBody(req)) || '{}') as { ufs?: unknown };
        const ufs = Array.isArray(body.ufs) ? body.ufs.map(String) : [];
        const bad = ufs.find((u) => !(u in UF_CODES));
        if (bad) return send(400, { error: `UF desconhecida: ${bad}` });
        svcAtivo = new Set(ufs as Uf[]);
        return send(200, { svcAtivo: [...svcAtivo] });
      }
      const nfe = url.pathname.match(/^\/admin\/nfe\/(\d{44})$/);
      if (req.method === 'GET' && nfe) {
        const row = store.nfe(nfe[1]!);
        return row ? send(200, { ...row, events: store.events(nfe[1]!).map((e) => ({ tpEvento: e.tp_evento, nSeq: e.n_seq, nProt: e.n_prot })) }) : send(404, { error: 'não encontrada' });
      }
      send(404, { error: 'rota desconhecida' });
    })().catch((err: unknown) => send(500, { error: (err as Error).message }));
  });
  const adminPort = await new Promise<number>((ok, fail) => {
    admin.once('error', fail);
    admin.listen(opts.adminPort ?? 0, '127.0.0.1', () => ok((admin.address() as AddressInfo).port));
  });

  return {
    url: urls.autorizador,
    urls,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    caFile: pki.caFile,
    caKeyFile: pki.caKeyFile,
    store,
    faults: (target = 'autorizador') => faults[target],
    setFaults,
    svcAtivo: () => [...svcAtivo],
    setSvcAtivo(ufs) {
      svcAtivo = new Set(ufs);
    },
    async close() {
      for (const target of SIM_TARGETS) await unlisten(listeners[target]);
      await new Promise<void>((ok) => admin.close(() => ok()));
      store.close();
    },
  };
}
