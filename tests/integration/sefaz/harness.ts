import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestCertificate, type TestCertificate } from '../../../src/core/fiscal/certificate';
import { buildNfe } from '../../../src/core/fiscal/build';
import { signXml } from '../../../src/core/fiscal/sign';
import type { Order } from '../../../src/core/fiscal/order';
import { openSefazClient } from '../../../src/core/sefaz/setup';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore, type Store } from '../../../src/core/store/open';
import type { Faults, Mode } from '../../../src/sefaz-sim/faults';
import { repoRoot, schemasDir, spawnComboio, type Proc } from '../../helpers/proc';

export const EMITENTE_CNPJ = '11222333000181';
export const PASSWORD = 'senha-teste';

export interface SimProcess {
  proc: Proc;
  url: string;
  admin: string;
  caFile: string;
  dataDir: string;
  setFaults(f: Partial<Faults> & { mode?: Mode }): Promise<void>;
  state(): Promise<{ faults: Faults; summary: Record<string, number>; replies: Record<string, Record<string, number>> }>;
}

/** The simulator as its own process, real mutual TLS, the official schemas. */
export async function startSimProcess(dataDir: string, extra: string[] = []): Promise<SimProcess> {
  const proc = spawnComboio(['sefaz-sim', '--port', '0', '--data', dataDir, '--schemas', schemasDir, ...extra]);
  const m = await proc.waitFor(/SEFAZ_SIM_URL=(\S+) SEFAZ_SIM_ADMIN=(\S+) SEFAZ_SIM_CA=(\S+)/, 60_000);
  const [, url, admin, caFile] = m as unknown as [string, string, string, string];
  return {
    proc,
    url,
    admin,
    caFile,
    dataDir,
    async setFaults(f) {
      const r = await fetch(`${admin}/admin/faults`, { method: 'POST', body: JSON.stringify(f) });
      if (!r.ok) throw new Error(`admin: ${r.status} ${await r.text()}`);
    },
    async state() {
      return (await (await fetch(`${admin}/admin/state`)).json()) as Awaited<ReturnType<SimProcess['state']>>;
    },
  };
}

/** An e-CNPJ A1 issued by the simulator's CA (as `comboio cert make-test` with the simulator CA would). */
export function clientCertificate(sim: { dataDir: string }, cnpj = EMITENTE_CNPJ): TestCertificate {
  const issuer = { certPem: readFileSync(join(sim.dataDir, 'ca.pem'), 'utf8'), keyPem: readFileSync(join(sim.dataDir, 'ca-key.pem'), 'utf8') };
  return makeTestCertificate({ cnpj, password: PASSWORD, issuer });
}

export function exampleOrder(): Order {
  return JSON.parse(readFileSync(join(repoRoot, 'resources', 'examples', 'diesel-cst61-cnpj.json'), 'utf8')) as Order;
}

/**
 * A signed NF-e for number nNF from the real fiscal builder. Not schema-checked here: the
 * simulator validates every document against the official XSDs itself.
 */
export function signedNfe(cert: TestCertificate, nNF: number, opts: { serie?: number; cNF?: string; edit?: (o: Order) => void } = {}): { chave: string; xml: string } {
  const order = exampleOrder();
  opts.edit?.(order);
  const built = buildNfe(order, { layout: 'PL_009_V4', numbering: { serie: opts.serie ?? 1, nNF }, ...(opts.cNF ? { cNF: opts.cNF } : {}) });
  return { chave: built.chave, xml: signXml(built.xml, 'infNFe', cert) };
}

export function client(sim: SimProcess, cert: TestCertificate, timeoutMs = 5_000) {
  return openSefazClient({
    env: 'simulador',
    uf: 'SP',
    pfx: cert.pfx,
    password: PASSWORD,
    resourcesDir: join(repoRoot, 'resources'),
    simulatorUrl: sim.url,
    simulatorCaFile: sim.caFile,
    timeoutMs,
  }).client;
}

export function openTestStore(dir: string): Store {
  const store = openStore(join(dir, 'comboio.db'));
  migrateStore(store, join(repoRoot, 'drizzle'));
  return store;
}
