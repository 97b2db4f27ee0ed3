import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { simulatorRoutes } from '../core/sefaz/endpoints';
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
  /** 0 = any free port. */
  port: number;
  host?: string;
  adminPort?: number;
  schema: SchemaCheck;
  /** Schema check of the CT-e package (cte/PL_CTe_400); without it every CT-e is refused 215. */
  cteSchema?: SchemaCheck;
  /** Extra CAs whose client certificates are accepted (besides the simulator's own CA). */
  trustedClientCaPems?: string[];
  mode?: Mode;
  faults?: Partial<Faults>;
  seed?: number;
}

export interface RunningSimulator {
  url: string;
  adminUrl: string;
  caFile: string;
  caKeyFile: string;
  store: SimulatorStore;
  faults(): Faults;
  setFaults(next: Partial<Faults> & { mode?: Mode }): Promise<Faults>;
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
  let faults: Faults = { ...DEFAULT_FAULTS, ...opts.faults };
  if (opts.mode) faults = { ...presetFor(opts.mode, faults), ...opts.faults, mode: opts.mode };
  const random = makeRandom(opts.seed ?? Date.now());
  const services = new SimulatorServices(store, () => faults, opts.schema, random);
  services.replySigner = pki.server;
  const routes = simulatorRoutes();
  const cteSchema: SchemaCheck = opts.cteSchema ?? (() => 'schemas do CT-e (PL_CTe_400) não configurados no simulador');
  const cteServices = new CteSimulatorServices(store, () => faults, cteSchema, random);
  const cteRoutes = cteSimulatorRoutes();
  const host = opts.host ?? '127.0.0.1';

  const roll = (rate: number) => rate > 0 && random() < rate;

  const reply = (res: http.ServerResponse, service: SimService, payload: string) => {
    const cStat = textOf(payload.replace(/<(protNFe|retEvento)[\s>][\s\S]*?<\/\1>/g, ''), 'cStat') ?? '';
    store.countReply(service, cStat);
    for (const m of payload.matchAll(/<(?:protNFe|retEvento)[\s\S]*?<cStat>(\d{3})<\/cStat>/g)) store.countReply(`${service}:doc`, m[1]!);
    const wsdl = service === 'epec' ? NfeServices.recepcaoEvento : NfeServices[service];
    res.writeHead(200, { 'Content-Type': SOAP_CONTENT_TYPE });
    res.end(buildSoapResponse(wsdl, payload));
  };

  const cteReply = (res: http.ServerResponse, service: CteServiceKey, payload: string) => {
    store.countReply(`cte:${service}`, textOf(payload.replace(/<protCTe[\s>][\s\S]*?<\/protCTe>/g, ''), 'cStat') ?? '');
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

  // The same faults for every service: reset, 656, paused, slow, lost reply after deciding.
  const serve = async (req: http.IncomingMessage, res: http.ServerResponse, p: Protocol) => {
    const body = await readBody(req);
    if (roll(faults.resetRate)) {
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
    if (roll(faults.throttleRate)) return p.send(p.serviceReply('656', payload));
    if (roll(faults.pausedRate)) return p.send(p.serviceReply(faults.pausedCode, payload));
    if (roll(faults.slowRate)) await sleep(faults.slowMs);
    const out = p.handle(payload, { certCnpj: cnpjFromDer((req.socket as TLSSocket).getPeerCertificate?.()?.raw) });
    // Decided and stored, but the caller never hears back: the trap that makes naive
    // clients resend under a new key and hit 539.
    if (roll(faults.noReplyRate)) {
      req.socket.destroy();
      return;
    }
    p.send(out);
  };

  const cteProtocol = (res: http.ServerResponse, service: CteServiceKey): Protocol => ({
    parse(body) {
      const msg = parseCteSoap(body);
      if (msg.kind !== 'request' || msg.service !== CteServices[service]) throw new Error(`esperado cteDadosMsg de ${CteServices[service]}`);
      return msg.payload;
    },
    serviceReply: (cStat, payload) => cteServices.serviceReply(service, cStat, payload),
    handle: (payload, ctx) => cteServices.handle(service, payload, ctx),
    send: (payload) => cteReply(res, service, payload),
  });

  const nfeProtocol = (res: http.ServerResponse, service: SimService): Protocol => ({
    parse(body) {
      const msg = parseSoap(body);
      const expected = service === 'epec' ? NfeServices.recepcaoEvento : NfeServices[service];
      if (msg.kind !== 'nfeDadosMsg' || msg.service !== expected) throw new Error(`esperado nfeDadosMsg de ${expected}`);
      return msg.payload;
    },
    serviceReply: (cStat, payload) => services.serviceReply(service, cStat, motivo(cStat), payload),
    handle: (payload, ctx) => services.handle(service, payload, ctx),
    send: (payload) => reply(res, service, payload),
  });

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!.toLowerCase();
    const cteService = cteRoutes.get(path);
    const service = routes.get(path);
    if (!service && !cteService) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Serviço não encontrado neste simulador.');
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' });
      res.end();
      return;
    }
    await serve(req, res, cteService ? cteProtocol(res, cteService) : nfeProtocol(res, service!));
  };

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
      handler(req, res).catch((err: unknown) => {
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

  const listen = (port: number) =>
    new Promise<number>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, host, () => {
        server.off('error', fail);
        ok((server.address() as AddressInfo).port);
      });
    });
  const port = await listen(opts.port);
  let listening = true;
  if (faults.refused) {
    await new Promise<void>((ok) => server.close(() => ok()));
    listening = false;
  }

  // "Connection refused" is the real thing: the listener closes; it reopens on the same port.
  const applyRefused = async () => {
    if (faults.refused && listening) {
      listening = false;
      await new Promise<void>((ok) => {
        server.close(() => ok());
        for (const s of sockets) s.destroy();
      });
    } else if (!faults.refused && !listening) {
      await listen(port);
      listening = true;
    }
  };

  const setFaults = async (next: Partial<Faults> & { mode?: Mode }): Promise<Faults> => {
    const { mode, ...rest } = next;
    faults = mode ? { ...presetFor(mode, { ...faults, ...rest }), ...rest } : { ...faults, ...rest };
    await applyRefused();
    return faults;
  };

  const admin = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://admin');
      if (req.method === 'GET' && url.pathname === '/admin/state') {
        return send(200, { faults, listening, summary: store.summary(), replies: store.replyCounts() });
      }
      if (req.method === 'POST' && url.pathname === '/admin/faults') {
        const body = JSON.parse((await readBody(req)) || '{}') as Partial<Faults> & { mode?: string };
        if (body.mode !== undefined && !isMode(body.mode)) return send(400, { error: `modo desconhecido: ${body.mode}` });
        return send(200, { faults: await setFaults(body as Partial<Faults> & { mode?: Mode }) });
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

  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `https://${urlHost}:${port}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    caFile: pki.caFile,
    caKeyFile: pki.caKeyFile,
    store,
    faults: () => faults,
    setFaults,
    async close() {
      for (const s of sockets) s.destroy();
      if (listening) await new Promise<void>((ok) => server.close(() => ok()));
      await new Promise<void>((ok) => admin.close(() => ok()));
      store.close();
    },
  };
}
