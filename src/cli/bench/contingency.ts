import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildNfe } from '../../core/fiscal/build';
import { loadA1, makeTestCertificate } from '../../core/fiscal/certificate';
import type { Order } from '../../core/fiscal/order';
import { defaultSchemasDir } from '../../core/fiscal/settings';
import { signXml } from '../../core/fiscal/sign';
import { defaultProjectPaths, projectRoot } from '../../core/paths';
import { SefazClient } from '../../core/sefaz/client';
import { ContingencyEngine, type SendStatus } from '../../core/sefaz/contingency/engine';
import { ContingencyState } from '../../core/sefaz/contingency/state';
import { SefazOutbox } from '../../core/sefaz/outbox';
import { clientOptions, openIdentity } from '../../core/sefaz/setup';
import { migrateStore } from '../../core/store/migrate';
import { openStore } from '../../core/store/open';
import { makeRandom, type Mode } from '../../sefaz-sim/faults';
import { parseFlags, UsageError, type Command } from '../command';

/**
 * The contingency chaos run: documents billed one after another while the UF authorizer
 * flaps between normal, refusing, silent (decided but no reply), dropping before deciding
 * and paused, and SEFAZ switches the SVC on and off. The simulator runs as its own process.
 * At the end every number must be authorized (under exactly one key), cancelled or
 * inutilizado; never a 539, never two keys for one number.
 */

export interface ChaosOptions {
  docs: number;
  dir: string;
  seed?: number;
  /** How often the authorizer changes mode. */
  flapMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  docs: number;
  numbers: number;
  seconds: number;
  outcomes: Record<SendStatus | 'replaced108', number>;
  byTpEmis: Record<string, number>;
  authorized: number;
  cancelled: number;
  inutilizados: number;
  rejections539: number;
  numbersWithTwoKeys: number;
  unaccounted: number[];
  pendingContingency: number;
  liveOutbox: number;
  modeChanges: number;
}

const EMITENTE = '11222333000181';
const PASSWORD = 'caos';
const FLAP_MODES: Mode[] = ['normal', 'normal', 'recusando', 'sem-resposta', 'queda-antes', 'paralisado'];

function startSim(dataDir: string, seed: number): Promise<{ url: string; admin: string; caFile: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'comboio.js'), 'sefaz-sim', '--port', '0', '--data', dataDir, '--schemas', defaultSchemasDir(), '--seed', String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`simulador não iniciou: ${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/SEFAZ_SIM_URL=(\S+) SEFAZ_SIM_ADMIN=(\S+) SEFAZ_SIM_CA=(\S+)/);
      if (m) {
        clearTimeout(timer);
        ok({
          url: m[1]!,
          admin: m[2]!,
          caFile: m[3]!,
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => fail(new Error(`simulador saiu (${code}): ${out}`)));
  });
}

export async function runContingencyChaos(o: ChaosOptions): Promise<ChaosReport> {
  const seed = o.seed ?? 2026;
  const random = makeRandom(seed);
  const log = o.log ?? (() => {});
  const simDir = join(o.dir, 'sim');
  const wsDir = join(o.dir, 'ws');
  const outDir = join(o.dir, 'out');
  mkdirSync(wsDir, { recursive: true });
  const sim = await startSim(simDir, seed);
  // Setting a fault mode is idempotent, so a request whose kept-alive socket the simulator
  // closed at the same moment (undici "other side closed") is simply sent again.
  const admin = async (path: string, body: unknown) => {
    for (let attempt = 1; ; attempt++) {
      let r: Response;
      try {
        r = await fetch(`${sim.admin}${path}`, { method: 'POST', body: JSON.stringify(body) });
      } catch (err) {
        if (attempt < 3) continue;
        throw err;
      }
      if (!r.ok) throw new Error(`admin ${path}: ${r.status}`);
      return;
    }
  };
  const issuer = { certPem: readFileSync(join(simDir, 'ca.pem'), 'utf8'), keyPem: readFileSync(join(simDir, 'ca-key.pem'), 'utf8') };
  const cert = makeTestCertificate({ cnpj: EMITENTE, password: PASSWORD, issuer });
  const key = loadA1(cert.pfx, PASSWORD);
  const store = openStore(join(wsDir, 'comboio.db'));
  migrateStore(store, defaultProjectPaths().migrationsDir);
  const state = new ContingencyState(wsDir);
  const make = (emission: 'normal' | 'svc') => {
    const cfg = { env: 'simulador' as const, uf: 'SP' as const, emission, pfx: cert.pfx, password: PASSWORD, resourcesDir: defaultProjectPaths().resourcesDir, simulatorUrl: sim.url, simulatorCaFile: sim.caFile, timeoutMs: o.timeoutMs ?? 1200 };
    const id = openIdentity(cfg);
    return new SefazClient(clientOptions(cfg, id.certificate, id.trustedCaPems));
  };
  const normal = make('normal');
  const svc = make('svc');
  // The LAN server's allocation, in one counter: new orders and 108 replacements draw from it.
  let counter = 0;
  const backoff = { baseMs: 100, maxMs: 400, throttleMs: 1000, consultDelayMs: 100, settleMs: 600 };
  const engine = new ContingencyEngine({ model: 'nfe', uf: 'SP', cnpj: EMITENTE, store, state, outDir, key, normal, svc, attemptMs: 1500, backoff, actor: 'caos', nextNumber: () => ++counter });
  const order = JSON.parse(readFileSync(join(projectRoot, 'resources', 'examples', 'diesel-cst61-cnpj.json'), 'utf8')) as Order;
  delete order.emissao;

  let modeChanges = 0;
  let flapping = true;
  const flap = (async () => {
    while (flapping) {
      await new Promise((ok) => setTimeout(ok, (o.flapMs ?? 500) * (0.5 + random())));
      if (!flapping) break;
      const mode = FLAP_MODES[Math.floor(random() * FLAP_MODES.length)]!;
      await admin('/admin/faults', { target: 'autorizador', mode });
      await admin('/admin/svc', { ufs: random() < 0.5 ? ['SP'] : [] });
      modeChanges++;
    }
  })();

  const started = performance.now();
  const outcomes: ChaosReport['outcomes'] = { authorized: 0, epec: 0, fsda: 0, pending: 0, rejected: 0, denied: 0, conflict: 0, replaced108: 0 };
  const byTpEmis: Record<string, number> = {};
  try {
    for (let i = 0; i < o.docs; i++) {
      const nNF = ++counter;
      const built = buildNfe(order, { layout: 'PL_009_V4', numbering: { serie: 1, nNF } });
      const r = await engine.send(signXml(built.xml, 'infNFe', key));
      outcomes[r.status]++;
      if (r.replaces) outcomes.replaced108++;
      byTpEmis[r.chave[34]!] = (byTpEmis[r.chave[34]!] ?? 0) + 1;
      if (i % 10 === 9) {
        await engine.poll();
        log(`${i + 1}/${o.docs} documentos; ${JSON.stringify(outcomes)}`);
      }
    }
  } finally {
    flapping = false;
    await flap;
  }
  // SEFAZ back for good: status polls end the contingency and reconcile; the station's
  // queues drain what was left waiting (consult first, never a blind resend).
  await admin('/admin/faults', { target: 'autorizador', mode: 'normal' });
  await admin('/admin/svc', { ufs: ['SP'] });
  const boxes = [new SefazOutbox({ store, client: normal, outDir, backoff }), new SefazOutbox({ store, client: svc, outDir, backoff })];
  for (let round = 0; round < 20; round++) {
    await engine.poll();
    for (const b of boxes) await b.drain(3000);
    if (state.pending({ limit: 1 }).length === 0 && boxes[0]!.list(['queued', 'inflight', 'unknown', 'receipt']).length === 0) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const pendingContingency = state.pending({ limit: 1000 }).length;
  const liveOutbox = boxes[0]!.list(['queued', 'inflight', 'unknown', 'receipt']).length;
  normal.close();
  svc.close();
  state.close();
  store.close();
  await sim.stop();

  const db = new Database(join(simDir, 'sefaz-sim.db'), { readonly: true });
  try {
    const rows = db.prepare("select nnf, status from nfe where cnpj = ? and mod = '55' and serie = 1").all(EMITENTE) as { nnf: number; status: string }[];
    const inut = db.prepare("select ini, fin from inut where cnpj = ? and mod = '55' and serie = 1").all(EMITENTE) as { ini: number; fin: number }[];
    const perNumber = new Map<number, string[]>();
    for (const r of rows) perNumber.set(r.nnf, [...(perNumber.get(r.nnf) ?? []), r.status]);
    const inutilized = new Set<number>();
    for (const r of inut) for (let n = r.ini; n <= r.fin; n++) inutilized.add(n);
    const unaccounted: number[] = [];
    for (let n = 1; n <= counter; n++) if (!perNumber.has(n) && !inutilized.has(n)) unaccounted.push(n);
    const r539 = (db.prepare("select coalesce(sum(n), 0) n from replies where c_stat = '539'").get() as { n: number }).n;
    return {
      docs: o.docs,
      numbers: counter,
      seconds,
      outcomes,
      byTpEmis,
      authorized: rows.filter((r) => r.status === 'authorized').length,
      cancelled: rows.filter((r) => r.status === 'cancelled').length,
      inutilizados: inutilized.size,
      rejections539: r539,
      numbersWithTwoKeys: [...perNumber.values()].filter((v) => v.length > 1).length,
      unaccounted,
      pendingContingency,
      liveOutbox,
      modeChanges,
    };
  } finally {
    db.close();
  }
}

export const contingencyBench: Command = {
  name: 'contingencia',
  summary: 'Caos de contingência: NF-e com o autorizador da UF oscilando (simulador em processo próprio)',
  usage: `Uso: comboio bench contingencia [--docs N] [--seed N] [--flap-ms MS] --dir PASTA

  --docs N      documentos faturados em sequência (padrão 200)
  --seed N      semente das falhas (reprodutível)
  --flap-ms MS  intervalo médio entre mudanças de modo do autorizador (padrão 500)
  --dir PASTA   pasta de trabalho (simulador, estação, XML)`,
  async run(argv) {
    const { values } = parseFlags(argv, { docs: { type: 'string' }, seed: { type: 'string' }, 'flap-ms': { type: 'string' }, dir: { type: 'string' } });
    if (!values.dir) throw new UsageError('Informe --dir.');
    const docs = Number(values.docs ?? 200);
    if (!Number.isInteger(docs) || docs < 1) throw new UsageError('--docs deve ser um inteiro positivo.');
    const r = await runContingencyChaos({
      docs,
      dir: values.dir,
      ...(values.seed ? { seed: Number(values.seed) } : {}),
      ...(values['flap-ms'] ? { flapMs: Number(values['flap-ms']) } : {}),
      log: (l) => process.stdout.write(`${l}\n`),
    });
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    const ok = r.rejections539 === 0 && r.numbersWithTwoKeys === 0 && r.unaccounted.length === 0 && r.pendingContingency === 0 && r.liveOutbox === 0;
    process.stdout.write(ok ? 'OK: todos os números autorizados, cancelados ou inutilizados; 0 rejeições 539; 0 duplicidades.\n' : 'FALHA: veja os números acima.\n');
    return ok ? 0 : 1;
  },
};
