import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadA1, makeTestCertificate } from '../../core/fiscal/certificate';
import { emitNfe } from '../../core/fiscal/emit';
import { defaultSchemasDir } from '../../core/fiscal/settings';
import { connect, enrollStation } from '../../core/numbering/index';
import { defaultProjectPaths, projectRoot } from '../../core/paths';
import { migrateStore } from '../../core/store/migrate';
import { openStore } from '../../core/store/open';
import { createReplica, lanSyncConnection, type JsonObject } from '../../core/sync/index';
import type { SyncConnection } from '../../core/sync/connection';
import { normalizeName } from '../../core/records/protocol';
import { RecordsProjection } from '../../server/records/projection';
import { openSyncDb, SYNC_DB_FILE } from '../../server/sync/db';
import { parseFlags, UsageError, type Command } from '../command';
import { benchOrder } from './nfe';
import { newEnrollmentCode, startServer } from './sync';

const EMIT = '11222333000181';
const SIZE_CLASSES = [1, 10, 25, 50];
const QUERIES = 200;
const PER_DAY = 2000;

const FIRST = ['Auto Posto', 'Posto', 'Comercial', 'Rede', 'Transportadora', 'Distribuidora', 'Mercado', 'Agropecuária'];
const SECOND = ['São João', 'Boa Viagem', 'Ipiranga', 'Santa Luzia', 'Estrela', 'Três Irmãos', 'Primavera', 'Conceição', 'Itaú', 'Ribeirão', 'Paraná', 'Goiás'];
const THIRD = ['Ltda', 'EIRELI', 'S.A.', 'ME', 'Combustíveis Ltda', 'e Filhos Ltda'];

/** CNPJ of customer i (14 digits, valid check digits). */
function cnpjOf(i: number): string {
  const base = String(10_000_000 + i * 37).padStart(8, '0').slice(-8) + '0001';
  const dv = (s: string) => {
    const w = s.length === 12 ? [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] : [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    const r = [...s].reduce((a, c, k) => a + Number(c) * w[k]!, 0) % 11;
    return r < 2 ? '0' : String(11 - r);
  };
  const d1 = dv(base);
  return base + d1 + dv(base + d1);
}

function nameOf(i: number): string {
  return `${FIRST[i % FIRST.length]} ${SECOND[Math.floor(i / FIRST.length) % SECOND.length]} ${THIRD[Math.floor(i / (FIRST.length * SECOND.length)) % THIRD.length]} ${i}`;
}

function chaveOf(n: number, aamm: string): string {
  const body = `35${aamm}${EMIT}55001${String(n).padStart(9, '0')}1${String((n * 7919) % 100_000_000).padStart(8, '0')}`;
  const w = [2, 3, 4, 5, 6, 7, 8, 9];
  let sum = 0;
  for (let k = 0; k < 43; k++) sum += Number(body[42 - k]) * w[k % 8]!;
  const r = sum % 11;
  return body + (r < 2 ? '0' : String(11 - r));
}

function isoLocal(d: Date): string {
  const off = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + off * 60_000).toISOString().slice(0, 19);
  return `${local}${off >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;
}

function percentile(sorted: number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}

function fileMb(...files: string[]): number {
  let b = 0;
  for (const f of files) for (const s of ['', '-wal']) if (existsSync(f + s)) b += statSync(f + s).size;
  return Math.round((b / 1048576) * 10) / 10;
}

function peakRssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

interface Seeded {
  customers: number;
  chaves: string[];
  cnpjs: string[];
  days: string[];
  seedMs: number;
}

/**
 * Writes N documents (one signed NF-e per size class of 1–50 items, reused), one billed order
 * per document plus 1 % open ones, and N/50 customers straight into a LAN server data folder:
 * the `records` of the sync store and their relational projection, as the server itself would
 * hold them after applying each change.
 */
function seed(serverDir: string, n: number, xmls: Map<number, string>): Seeded {
  const t0 = performance.now();
  mkdirSync(serverDir, { recursive: true });
  const db = openSyncDb(join(serverDir, SYNC_DB_FILE));
  const projection = RecordsProjection.open(db, () => 0);
  const insert = db.prepare("INSERT INTO records (collection, id, data, version, seq, deleted, field_seqs) VALUES (?, ?, ?, 1, ?, 0, '{}')");
  let seq = 0;
  const put = (collection: string, id: string, data: JsonObject) => {
    insert.run(collection, id, JSON.stringify(data), ++seq);
    projection.apply(collection, id, data);
  };
  const customers = Math.max(20, Math.floor(n / 50));
  const cnpjs: string[] = [];
  db.transaction(() => {
    for (let c = 0; c < customers; c++) {
      const documento = cnpjOf(c);
      cnpjs.push(documento);
      put('customers', `c${c}`, {
        id: `c${c}`, documento, nome: nameOf(c).toUpperCase(), ie: null, indIEDest: 9, email: null,
        endereco: { logradouro: 'Rodovia BR-116', numero: String(c % 9000), bairro: 'Centro', cMun: '3550308', municipio: 'São Paulo', uf: 'SP', cep: '01001000' },
      });
    }
  })();
  const now = Date.now();
  const daysBack = Math.ceil(n / PER_DAY);
  const days = new Set<string>();
  const chaves: string[] = [];
  const batch = 2000;
  for (let start = 0; start < n; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(n, start + batch); i++) {
        const number = i + 1;
        // Oldest first: the last document was issued today.
        const day = daysBack - 1 - Math.floor(i / PER_DAY);
        const at = new Date(now - day * 86_400_000);
        at.setHours(7, 0, 0, 0);
        at.setSeconds(((i % PER_DAY) * 21_600) / PER_DAY * 2);
        const issuedAt = isoLocal(at);
        days.add(issuedAt.slice(0, 10));
        const aamm = issuedAt.slice(2, 4) + issuedAt.slice(5, 7);
        const chave = chaveOf(number, aamm);
        chaves.push(chave);
        // Fuel notes carry few items: 1 item for 70 %, up to 10 for 20 %, 25 for 7 %, 50 for 3 %.
        const r = (i * 7919) % 100;
        const items = r < 70 ? 1 : r < 90 ? 2 + (i % 9) : r < 97 ? 11 + (i % 15) : 26 + (i % 25);
        const cls = SIZE_CLASSES.find((k) => k >= items) ?? 50;
        const signedXml = xmls.get(cls)!;
        const c = (i * 31) % customers;
        const status = i % 100 === 7 ? 'cancelada' : i % 100 === 13 ? 'rejeitada' : 'autorizada';
        const orderId = `o${number}`;
        put('documents', chave, {
          id: chave, chave, model: 55, cnpj: EMIT, serie: 1, number, orderId, cliente: nameOf(c).toUpperCase(), clienteDocumento: cnpjs[c]!,
          totalCentavos: 50_000 + ((i * 104_729) % 5_000_000), issuedAt, status, cStat: status === 'rejeitada' ? '539' : '100',
          xMotivo: status === 'rejeitada' ? 'Rejeição: duplicidade de NF-e' : 'Autorizado o uso da NF-e', nProt: `1352${String(number).padStart(11, '0')}`,
          authorizedAt: issuedAt, messages: [], events: [], signedXml,
          procXml: status === 'rejeitada' ? null : `<nfeProc versao="4.00" xmlns="http://www.portalfiscal.inf.br/nfe">${signedXml}<protNFe versao="4.00"><infProt><tpAmb>2</tpAmb><chNFe>${chave}</chNFe><cStat>100</cStat></infProt></protNFe></nfeProc>`,
          imported: false, user: 'faturista', workstation: `FAT0${i % 4}`,
        });
        put('orders', orderId, {
          id: orderId, numeroPedido: String(number), customerId: `c${c}`, naturezaId: 'nat-venda-comb-61',
          items: Array.from({ length: items }, (_, k) => ({ productId: 'prod-diesel-s10', quantidade: '5000.0000', precoUnitario: '5.8790000000', desconto: { tipo: 'nenhum', valor: '0' }, cstICMS: null, adRemICMS: null, line: k })),
          descontoEspecial: { tipo: 'nenhum', valor: '0' }, descontoPagador: { tipo: 'nenhum', valor: '0' },
          transporte: { modFrete: 9, transportadorDocumento: null, transportadorNome: null, placa: null, ufPlaca: null }, tPag: '15', observacoes: '',
          status: 'faturado', documentId: chave, createdAt: issuedAt, updatedAt: issuedAt,
        });
        if (i % 100 === 0) {
          put('orders', `a${number}`, {
            id: `a${number}`, numeroPedido: `E1-${number}`, customerId: `c${c}`, naturezaId: 'nat-venda-comb-61', items: [], status: 'rascunho', documentId: null,
            createdAt: issuedAt, updatedAt: issuedAt, totalCentavos: 0,
          });
        }
      }
    })();
  }
  // The feed's head at the last seeded record (a station's snapshot starts from it).
  db.prepare("INSERT INTO changes (seq, collection, id, version, data, fields, user, workstation, ip, at) VALUES (?, 'bench', 'seed', 1, '{}', '[]', 'bench', 'bench', '127.0.0.1', ?)").run(++seq, isoLocal(new Date()));
  db.close();
  return { customers, chaves, cnpjs, days: [...days].sort(), seedMs: performance.now() - t0 };
}

/** Counts the bytes of every reply a replica receives (JSON as it travels). */
function counting(conn: SyncConnection): SyncConnection & { bytes: number } {
  const c = {
    bytes: 0,
    isOnline: () => conn.isOnline(),
    onEvent: conn.onEvent.bind(conn),
    onStateChange: conn.onStateChange.bind(conn),
    async request<T>(type: string, data: unknown): Promise<T> {
      const r = await conn.request<T>(type, data);
      c.bytes += Buffer.byteLength(JSON.stringify(r ?? null));
      return r;
    },
  };
  return c;
}

async function startStation(dataDir: string, lan: string, code: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'comboio.js'), 'web', '--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--workstation', 'bench', '--lan', lan], {
    env: { ...process.env, COMBOIO_LAN_CODE: code },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`a estação não subiu a tempo:\n${out}`)), 120_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Comboio aberto em (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok({ child, url: m[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`a estação terminou (${code}):\n${out}`));
    });
  });
}

async function apiClient(base: string, login: string, password: string) {
  const post = async (method: string, params: unknown, session?: string) => {
    const res = await fetch(new URL(`/api/${method}`, base), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(session ? { 'x-comboio-session': session } : {}) },
      body: JSON.stringify(params ?? null),
    });
    return (await res.json()) as { ok: boolean; data?: unknown; error?: { code: string; message: string } };
  };
  let r = await post('auth.login', { login, password });
  for (let i = 0; i < 100 && !r.ok; i++) {
    await new Promise((ok) => setTimeout(ok, 200));
    r = await post('auth.login', { login, password });
  }
  if (!r.ok) throw new Error(`login ${login}: ${JSON.stringify(r.error)}`);
  const session = (r.data as { session: string }).session;
  return async <T>(method: string, params: unknown): Promise<T> => {
    const e = await post(method, params, session);
    if (!e.ok) throw new Error(`${method}: ${e.error?.code} ${e.error?.message}`);
    return e.data as T;
  };
}

async function timed(n: number, q: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number; empty: number }> {
  const ms: number[] = [];
  let empty = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = (await q(i)) as { rows?: unknown[] } | null;
    ms.push(performance.now() - t);
    if (!r?.rows?.length) empty++;
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), empty };
}

async function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((ok) => child.once('exit', ok));
}

export const scaleBench: Command = {
  name: 'scale',
  summary: 'Escala: buscas e listas com N documentos (servidor LAN + estação em processos próprios)',
  usage: `Uso: comboio bench scale [--documents N] [--json]

  Grava N documentos (padrão 100000; NF-e assinadas de verdade de 1, 10, 25 e 50 itens,
  uma por classe de tamanho, reaproveitada; 70 % com 1 item, 20 % até 10, 7 % até 25, 3 % até
  50), um pedido faturado por documento mais 1 % em
  aberto e N/50 clientes direto na pasta de um servidor LAN; sobe o servidor e uma estação
  (comboio web), cada um em processo próprio, e mede pela Api da estação:
    busca por chave, número, trecho do nome do cliente, CNPJ e período (p50/p99 de ${QUERIES} buscas)
    primeira página de Documentos e de Pedidos (p99 de ${QUERIES})
    carga inicial de uma estação nova (tempo e bytes recebidos), tamanho dos bancos, pico de RSS.
  --json imprime {documents, searchP99Ms: {chave, numero, cliente, cnpj, data}, listP99Ms: {documentos, pedidos},
    bootstrapMs, bootstrapBytes, stationDbMb, serverDbMb, stationRssMb, serverRssMb, ...}.`,
  async run(argv) {
    const { values } = parseFlags(argv, { documents: { type: 'string' }, json: { type: 'boolean' }, keep: { type: 'boolean' } });
    const n = Number(values.documents ?? process.env.COMBOIO_BENCH_SCALE_DOCUMENTS ?? 100_000);
    if (!Number.isInteger(n) || n < 100) throw new UsageError(`Valor inválido para --documents: ${values.documents} (mínimo 100)`);
    const say = (line: string) => {
      if (!values.json) process.stdout.write(line + '\n');
    };
    const dir = mkdtempSync(join(tmpdir(), 'comboio-bench-scale-'));
    const serverDir = join(dir, 'servidor');
    const stationDir = join(dir, 'estacao');
    let server: ChildProcess | null = null;
    let station: ChildProcess | null = null;
    try {
      // One real signed NF-e per size class.
      const password = 'bench';
      const certificate = loadA1(makeTestCertificate({ cnpj: EMIT, password }).pfx, password);
      const schemasDir = process.env.COMBOIO_SCHEMAS ?? defaultSchemasDir();
      const xmls = new Map(SIZE_CLASSES.map((k) => [k, emitNfe(benchOrder(k), { layout: 'PL_009_V4', certificate, schemasDir }).signedXml] as const));
      say(`NF-e assinadas: ${SIZE_CLASSES.map((k) => `${k} item(ns) ${xmls.get(k)!.length} bytes`).join(', ')}`);

      const seeded = seed(serverDir, n, xmls);
      say(`${n} documentos gravados em ${(seeded.seedMs / 1000).toFixed(1)} s`);
      const started = await startServer(serverDir);
      server = started.child;
      const lan = started.url.replace(/^wss?:\/\//, '');

      // A new station: empty store, until its replica holds what the server sends it.
      mkdirSync(stationDir, { recursive: true });
      const storeFile = join(stationDir, 'comboio.db');
      const store = openStore(storeFile);
      migrateStore(store, defaultProjectPaths().migrationsDir);
      const e = await enrollStation({ url: started.url, code: await newEnrollmentCode(serverDir), workstation: 'carga-inicial' });
      const client = connect({ url: started.url, station: e.credential, pin: e.pin });
      await client.ready();
      const conn = counting(lanSyncConnection(client));
      const t = performance.now();
      const replica = createReplica({ store, connection: conn, clientId: 'bench-scale' });
      await replica.syncNow();
      const bootstrapMs = performance.now() - t;
      const bootstrapBytes = conn.bytes;
      await replica.close();
      await client.close();
      store.close();
      say(`carga inicial da estação: ${(bootstrapMs / 1000).toFixed(1)} s, ${(bootstrapBytes / 1048576).toFixed(1)} MB recebidos`);

      // The station process on that store (it only pulls the feed from its cursor).
      const st = await startStation(stationDir, lan, await newEnrollmentCode(serverDir));
      station = st.child;
      const adminPassword = /senha: (\S+)/.exec(readFileSync(join(serverDir, 'senha-inicial-admin.txt'), 'utf8'))![1]!;
      const api = await apiClient(st.url, 'admin', adminPassword);
      const pick = <T>(list: T[], i: number) => list[(i * 2_654_435_761) % list.length]!;
      const docsPage = (params: object) => api<{ rows: unknown[]; source: string }>('documents.page', params);
      const check = await docsPage({ q: seeded.chaves[0] });
      if (check.source !== 'servidor' || check.rows.length !== 1) throw new Error(`a estação não achou a chave pelo servidor: ${JSON.stringify(check).slice(0, 300)}`);
      const search = {
        chave: await timed(QUERIES, (i) => docsPage({ q: pick(seeded.chaves, i) })),
        numero: await timed(QUERIES, (i) => docsPage({ q: String(1 + ((i * 7919) % n)) })),
        cliente: await timed(QUERIES, (i) => {
          // A fragment of an existing customer's name, typed without accents, in lower case.
          const nm = normalizeName(nameOf((i * 7919) % seeded.customers));
          const w = nm.split(' ');
          return docsPage({ q: i % 3 === 0 ? w.slice(2, 4).join(' ') : i % 3 === 1 ? nm.slice(3, 12).trim() : `${w[w.length - 2]} ${w[w.length - 1]}` });
        }),
        cnpj: await timed(QUERIES, (i) => {
          const c = pick(seeded.cnpjs, i);
          return docsPage({ q: i % 2 ? c : `${c.slice(0, 2)}.${c.slice(2, 5)}.${c.slice(5, 8)}/${c.slice(8, 12)}-${c.slice(12)}` });
        }),
        data: await timed(QUERIES, (i) => {
          const from = pick(seeded.days, i);
          const to = seeded.days[Math.min(seeded.days.length - 1, seeded.days.indexOf(from) + (i % 7))]!;
          return docsPage({ from, to });
        }),
      };
      const list = {
        documentos: await timed(QUERIES, () => docsPage({ limit: 50 })),
        pedidos: await timed(QUERIES, () => api('orders.page', { filter: 'todos', limit: 50 })),
      };
      const stationRssMb = peakRssMb(station.pid);
      const serverRssMb = peakRssMb(server.pid);
      const result = {
        documents: n,
        searchP99Ms: { chave: search.chave.p99, numero: search.numero.p99, cliente: search.cliente.p99, cnpj: search.cnpj.p99, data: search.data.p99 },
        searchP50Ms: { chave: search.chave.p50, numero: search.numero.p50, cliente: search.cliente.p50, cnpj: search.cnpj.p50, data: search.data.p50 },
        listP99Ms: { documentos: list.documentos.p99, pedidos: list.pedidos.p99 },
        listP50Ms: { documentos: list.documentos.p50, pedidos: list.pedidos.p50 },
        // Searches that found nothing (each searched value exists: should be 0).
        emptyResults: Object.fromEntries([...Object.entries(search), ...Object.entries(list)].map(([k, v]) => [k, v.empty])),
        bootstrapMs: Math.round(bootstrapMs),
        bootstrapBytes,
        stationDbMb: fileMb(storeFile),
        serverDbMb: fileMb(join(serverDir, SYNC_DB_FILE), join(serverDir, 'servidor.sqlite')),
        stationRssMb,
        serverRssMb,
        seedMs: Math.round(seeded.seedMs),
      };
      if (values.json) {
        process.stdout.write(JSON.stringify(result) + '\n');
      } else {
        const row = (label: string, r: { p50: number; p99: number }) => `  ${label.padEnd(28)} p50 ${String(r.p50).padStart(7)} ms   p99 ${String(r.p99).padStart(7)} ms`;
        say(
          [
            `Escala com ${n} documentos (servidor LAN e estação em processos próprios; medido pela Api da estação)`,
            row('busca por chave', search.chave),
            row('busca por número', search.numero),
            row('busca por trecho do nome', search.cliente),
            row('busca por CNPJ', search.cnpj),
            row('busca por período', search.data),
            row('1ª página de Documentos', list.documentos),
            row('1ª página de Pedidos', list.pedidos),
            `  carga inicial de estação nova   ${(bootstrapMs / 1000).toFixed(1)} s, ${(bootstrapBytes / 1048576).toFixed(1)} MB`,
            `  banco da estação ${result.stationDbMb} MB, do servidor ${result.serverDbMb} MB`,
            `  pico de RSS: estação ${stationRssMb ?? '?'} MB, servidor ${serverRssMb ?? '?'} MB`,
            `  buscas sem resultado (devem ser 0): ${JSON.stringify(result.emptyResults)}`,
          ].join('\n'),
        );
      }
      return 0;
    } finally {
      await stop(station);
      await stop(server);
      if (!values.keep) rmSync(dir, { recursive: true, force: true });
    }
  },
};
