import { join } from 'node:path';
import { runComboio, schemasDir, spawnComboio, type Proc } from './proc';

/**
 * A small office, every part its own process: the LAN server, the SEFAZ simulator and
 * workstations (`comboio web`, each with its own data folder), sharing one test A1.
 */
export interface Office {
  server: Proc;
  sim: Proc;
  lan: { port: number; url: string; dataDir: string };
  /** A new one-time enrollment code from `comboio server code` (the real CLI). */
  newCode(): Promise<string>;
  simAdmin: string;
  certFile: string;
  stations: Station[];
  addStation(name: string, extra?: string[], env?: NodeJS.ProcessEnv): Promise<Station>;
  /** Stops the LAN server (SIGKILL: a power cut) and, with `restart`, starts it again on the same port and data. */
  stopServer(): Promise<void>;
  startServerAgain(): Promise<void>;
  close(): Promise<void>;
}

export interface Station {
  name: string;
  proc: Proc;
  url: string;
  dataDir: string;
  login(login: string, password: string): Promise<Client>;
  /** Starts the station again on the same data folder (after a crash), with extra environment. */
  restart(env?: NodeJS.ProcessEnv): Promise<void>;
}

export interface Client {
  session: string;
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
  /** The raw envelope, for asserting on error codes and messages. */
  raw(method: string, params?: unknown): Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string; details?: Record<string, unknown> } }>;
}

export const CNPJ = '11222333000181';
export const CERT_PASSWORD = 'senha-teste';

export async function startOffice(dir: string, opts: { lockGraceSeconds?: number } = {}): Promise<Office> {
  const certFile = join(dir, 'a1.pfx');
  const cert = await runComboio(['cert', 'make-test', '--cnpj', CNPJ, '--out', certFile, '--password', CERT_PASSWORD, '--pem', join(dir, 'a1')]);
  if (cert.code !== 0) throw new Error(`cert make-test: ${cert.stderr}`);
  const serverDir = join(dir, 'server');
  const serverArgs = (port: string) => ['server', '--data', serverDir, '--port', port, '--host', '127.0.0.1', '--demo', '--sefaz-ca', join(dir, 'sim', 'ca.pem'), '--lock-grace', String(opts.lockGraceSeconds ?? 2)];
  let server = spawnComboio(serverArgs('0'));
  const sim = spawnComboio(['sefaz-sim', '--data', join(dir, 'sim'), '--port', '0', '--schemas', schemasDir, '--layout', 'PL_010_V1.30', '--trust', join(dir, 'a1.crt.pem')]);
  const [, url, port] = (await server.waitFor(/Servidor LAN ouvindo em (wss:\/\/[^:]+:(\d+))/, 30_000)) as unknown as [string, string, string];
  await server.waitFor(/Código de cadastro/);
  const newCode = async () => {
    const r = await runComboio(['server', 'code', '--data', serverDir]);
    const code = r.stdout.match(/Código de cadastro[^:]*: (\S+)/)?.[1];
    if (!code) throw new Error(`comboio server code: ${r.stdout}${r.stderr}`);
    return code;
  };
  const simOut = await sim.waitFor(/SEFAZ_SIM_URL=(\S+) SEFAZ_SIM_ADMIN=(\S+) SEFAZ_SIM_CA=(\S+)/, 30_000);
  const [, simUrl, simAdmin, simCa] = simOut as unknown as [string, string, string, string];
  const stations: Station[] = [];
  const office: Office = {
    get server() {
      return server;
    },
    sim,
    lan: { port: Number(port), url, dataDir: serverDir },
    newCode,
    simAdmin,
    certFile,
    stations,
    async addStation(name, extra = [], env = {}) {
      const dataDir = join(dir, `ws-${name}`);
      // Secrets through the environment, never on the command line (visible in `ps`).
      const spawnStation = async (more: NodeJS.ProcessEnv) => {
        const proc = spawnComboio(
          [
            'web', '--port', '0', '--data', dataDir, '--workstation', name,
            '--lan', `127.0.0.1:${port}`,
            '--sim-url', simUrl, '--sim-ca', simCa, '--schemas', schemasDir,
            '--cert', certFile, '--demo', ...extra,
          ],
          { env: { COMBOIO_LAN_CODE: await newCode(), COMBOIO_CERT_PASSWORD: CERT_PASSWORD, ...more } },
        );
        const [, url] = (await proc.waitFor(/Comboio aberto em (http:\/\/\S+)/, 60_000)) as unknown as [string, string];
        return { proc, url };
      };
      const first = await spawnStation(env);
      const station: Station = {
        name,
        proc: first.proc,
        url: first.url,
        dataDir,
        login: (l, p) => login(station.url, l, p),
        async restart(more = {}) {
          await station.proc.kill();
          const next = await spawnStation(more);
          station.proc = next.proc;
          station.url = next.url;
        },
      };
      stations.push(station);
      return station;
    },
    async stopServer() {
      await server.kill('SIGKILL');
    },
    async startServerAgain() {
      server = spawnComboio(serverArgs(port));
      await server.waitFor(/Servidor LAN ouvindo em/, 30_000);
    },
    async close() {
      for (const s of stations) await s.proc.kill();
      await sim.kill();
      await server.kill();
    },
  };
  return office;
}

export async function login(base: string, loginName: string, password: string): Promise<Client> {
  const post = async (method: string, params: unknown, session?: string) => {
    const res = await fetch(new URL(`/api/${method}`, base), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(session ? { 'x-comboio-session': session } : {}) },
      body: params === undefined ? '' : JSON.stringify(params),
    });
    return (await res.json()) as { ok: boolean; data?: unknown; error?: { code: string; message: string; details?: Record<string, unknown> } };
  };
  // Users replicate from the server: a new station may need a moment before they arrive.
  let r = await post('auth.login', { login: loginName, password });
  for (let i = 0; i < 50 && !r.ok; i++) {
    await new Promise((ok) => setTimeout(ok, 200));
    r = await post('auth.login', { login: loginName, password });
  }
  if (!r.ok) throw new Error(`login ${loginName}: ${JSON.stringify(r.error)}`);
  const session = (r.data as { session: string }).session;
  return {
    session,
    raw: (m, p) => post(m, p, session),
    async call<T>(m: string, p?: unknown) {
      const e = await post(m, p, session);
      if (!e.ok) throw new Error(`${m}: ${e.error?.code} ${e.error?.message}`);
      return e.data as T;
    },
  };
}

/** A diesel order for the demo customer, saved through the Api. */
export async function draftOrder(c: Client, liters = '5000.0000'): Promise<{ id: string; numeroPedido: string }> {
  const o = await c.call<Record<string, unknown>>('orders.new');
  o.customerId = 'cli-posto-estrela';
  o.naturezaId = 'nat-venda-comb-61';
  o.items = [{ productId: 'prod-diesel-s10', quantidade: liters, precoUnitario: '5.8790', desconto: { tipo: 'nenhum', valor: '0' }, cstICMS: null, adRemICMS: null }];
  o.transporte = { modFrete: 0, transportadorDocumento: '11444777000161', transportadorNome: 'TRANSPORTADORA TESTE LTDA', placa: 'ABC1D23', ufPlaca: 'SP' };
  // The station numbers the order at its first save (#22 item 10): the saved one has it.
  const saved = await c.call<{ order: { id: string; numeroPedido: string } }>('orders.save', o);
  return saved.order;
}

export async function waitUntil<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, stepMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timeout');
    await new Promise((ok) => setTimeout(ok, stepMs));
  }
}

/** A diesel order billed as an NF-e (série 1 of model 55) and authorized by the simulator. */
export async function billedNfe(c: Client): Promise<{ id: string; chave: string; number: number }> {
  const order = await draftOrder(c);
  const s = (await c.call<{ id: string; suggested: number }[]>('billing.series', { model: 55 }))[0]!;
  const r = await c.call<{ documentId: string; chave: string; number: number }>('billing.finalize', { orderId: order.id, seriesId: s.id, suggested: s.suggested, requestId: crypto.randomUUID(), printTo: 'none' });
  await waitUntil(async () => (await c.call<{ status: string }>('documents.get', { id: r.documentId })).status === 'autorizada', 60_000);
  return { id: r.documentId, chave: r.chave, number: r.number };
}
