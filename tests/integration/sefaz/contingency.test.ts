import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { loadA1, type TestCertificate } from '../../../src/core/fiscal/certificate';
import { parseChave } from '../../../src/core/fiscal/chave';
import { emitCte, type CteOrder } from '../../../src/core/fiscal/cte';
import { validateXml } from '../../../src/core/fiscal/schema-validate';
import { SefazClient } from '../../../src/core/sefaz/client';
import { ContingencyEngine } from '../../../src/core/sefaz/contingency/engine';
import { ContingencyState } from '../../../src/core/sefaz/contingency/state';
import { CteSefazClient } from '../../../src/core/sefaz/cte-client';
import { clientOptions, openIdentity } from '../../../src/core/sefaz/setup';
import type { Store } from '../../../src/core/store/open';
import type { Faults, Mode } from '../../../src/sefaz-sim/faults';
import type { SimTarget } from '../../../src/sefaz-sim/contingency';
import { repoRoot, schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { CARRIER_CNPJ, freight } from '../../unit/fiscal/helpers/cte-orders';
import { xmlsecVerify } from '../../unit/fiscal/helpers/xmlsec';
import { PASSWORD, clientCertificate, openTestStore, signedNfe, startSimProcess, type SimProcess } from './harness';

const FAST = { baseMs: 50, maxMs: 300, throttleMs: 400, consultDelayMs: 50, settleMs: 300 };
const NFE_NS = 'http://www.portalfiscal.inf.br/nfe';
const CTE_NS = 'http://www.portalfiscal.inf.br/cte';

/**
 * Contingency against the simulator as its own process: the UF authorizer, SVC-AN, SVC-RS
 * and the Ambiente Nacional each with its own fault mode, switched through the admin
 * endpoint with a target.
 */
describe('contingency: SVC, EPEC, FS-DA and the 108 rule against the simulator process', () => {
  const tmp = tempDir('comboio-contingency-');
  const outDir = join(tmp.dir, 'out');
  let sim: SimProcess;
  let store: Store;
  let state: ContingencyState;
  let cert: TestCertificate;
  let carrier: TestCertificate;
  let nNF = 900;
  let nCT = 300;

  const admin = async (path: string, body: unknown) => {
    const r = await fetch(`${sim.admin}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`admin ${path}: ${r.status} ${await r.text()}`);
  };
  const fault = (target: SimTarget, mode: Mode, extra: Partial<Faults> = {}) => admin('/admin/faults', { target, mode, ...extra });
  const svc = (ufs: string[]) => admin('/admin/svc', { ufs });
  const simNfe = async (chave: string) => {
    const r = await fetch(`${sim.admin}/admin/nfe/${chave}`);
    return r.ok ? ((await r.json()) as { status: string; chave: string }) : undefined;
  };

  beforeAll(async () => {
    sim = await startSimProcess(join(tmp.dir, 'sim'));
    cert = clientCertificate(sim);
    carrier = clientCertificate(sim, CARRIER_CNPJ);
    store = openTestStore(join(tmp.dir, 'ws'));
    state = new ContingencyState(join(tmp.dir, 'ws'));
  });
  afterAll(async () => {
    state?.close();
    store?.close();
    await sim?.proc.kill();
    tmp.cleanup();
  });
  beforeEach(async () => {
    for (const t of ['autorizador', 'svc-an', 'svc-rs', 'svc-sp', 'an'] as const) await fault(t, 'normal');
    await svc([]);
    for (const model of ['nfe', 'cte'] as const) state.leave('SP', model, new Date().toISOString(), 'início do teste', 'teste');
  });

  function clients(model: 'nfe' | 'cte', c: TestCertificate, timeoutMs = 1500) {
    const make = (emission: 'normal' | 'svc') => {
      const cfg = { env: 'simulador' as const, uf: 'SP' as const, emission, pfx: c.pfx, password: PASSWORD, resourcesDir: join(repoRoot, 'resources'), simulatorUrl: sim.url, simulatorCaFile: sim.caFile, timeoutMs };
      const { certificate, trustedCaPems } = openIdentity(cfg);
      const o = clientOptions(cfg, certificate, trustedCaPems);
      return model === 'nfe' ? new SefazClient(o) : new CteSefazClient(o);
    };
    return { normal: make('normal'), svc: make('svc') };
  }

  function engine(model: 'nfe' | 'cte' = 'nfe') {
    const c = model === 'nfe' ? cert : carrier;
    const cl = clients(model, c);
    const key = loadA1(c.pfx, PASSWORD);
    const e = new ContingencyEngine({ model, uf: 'SP', cnpj: key.cnpj!, store, state, outDir, key, ...cl, attemptMs: 1500, backoff: FAST, actor: 'teste' });
    return { e, close: () => (cl.normal.close(), cl.svc.close()) };
  }

 /** Schema-valid and verified by xmlsec1 against the simulator's CA, which issued the test A1s. */
  function valid(model: 'nfe' | 'cte', xml: string) {
    expect(validateXml(xml, { schemasDir, layout: model === 'nfe' ? 'PL_009_V4' : 'PL_CTe_400' }).issues).toEqual([]);
    const x = xmlsecVerify(xml, readFileSync(join(sim.dataDir, 'ca.pem'), 'utf8'), model === 'nfe' ? { tag: 'infNFe', ns: NFE_NS } : { tag: 'infCte', ns: CTE_NS });
    expect(x.code).toBe(0);
  }

  function signedCte(change: (o: CteOrder) => void = () => {}) {
    const order = freight(change);
    delete order.emissao;
    return emitCte(order, { certificate: loadA1(carrier.pfx, PASSWORD), schemasDir, numbering: { serie: 3, nCT: ++nCT } });
  }

  async function recover(e: ContingencyEngine) {
    for (const t of ['autorizador', 'svc-an', 'svc-rs', 'an'] as const) await fault(t, 'normal');
    return e.poll();
  }

  test('authorizer down, SVC active → SVC-AN authorizes under a tpEmis 6 key; the UF finds it; the first key never reaches SEFAZ', async () => {
    await fault('autorizador', 'recusando');
    await svc(['SP']);
    const { e, close } = engine();
    const nfe = signedNfe(cert, ++nNF);
    const r = await e.send(nfe.xml);
    expect(r.status).toBe('authorized');
    expect(r.codes).toEqual(['108', '100']);
    expect(parseChave(r.chave).tpEmis).toBe(6);
    expect(parseChave(r.chave).nNF).toBe(nNF);
    const proc = readFileSync(join(outDir, `${r.chave}-procNFe.xml`), 'utf8');
    valid('nfe', proc.match(/<NFe[\s\S]*<\/NFe>/)![0]);
    expect(e.inContingency()?.reason).toMatch(/conexão recusada/);
    // The next document goes straight to the SVC (109: UF in contingency).
    const second = await e.send(signedNfe(cert, ++nNF).xml);
    expect(second.codes).toEqual(['109', '100']);
    await fault('autorizador', 'normal');
    // Synchronised back: the UF's consulta finds the SVC document; the normal key is unknown.
    const uf = clients('nfe', cert).normal as SefazClient;
    expect((await uf.consult(r.chave)).cStat).toBe('100');
    expect((await uf.consult(nfe.chave)).cStat).toBe('217');
    uf.close();
    expect((await e.poll()).available).toBe(true);
    expect(e.inContingency()).toBeUndefined();
    close();
  });

  test('authorizer and SVC down → EPEC registered (136), files written; reconciled when the UF returns', async () => {
    await fault('autorizador', 'paralisado');
    const { e, close } = engine();
    const r = await e.send(signedNfe(cert, ++nNF).xml);
    expect(r.status).toBe('epec');
    expect(r.codes).toEqual(['108', '136']);
    expect(parseChave(r.chave).tpEmis).toBe(4);
    expect(existsSync(join(outDir, `${r.chave}-epec.xml`))).toBe(true);
    const signed = readFileSync(join(outDir, `${r.chave}-nfe.xml`), 'utf8');
    valid('nfe', signed);
    expect(readFileSync(join(outDir, `${r.chave}-epec.xml`), 'utf8')).toMatch(/<cStat>136<\/cStat>/);
    expect(state.doc(r.chave)).toMatchObject({ kind: 'epec', state: 'pending' });
    const back = await recover(e);
    expect(back.reconciled?.transmitted).toContain(r.chave);
    expect(state.doc(r.chave)!.state).toBe('done');
    expect((await simNfe(r.chave))?.status).toBe('authorized');
    close();
  });

  test('everything down → FS-DA for NF-e (transmitted on return), pending 105 for CT-e', async () => {
    await fault('autorizador', 'recusando');
    await fault('an', 'recusando');
    await fault('svc-an', 'recusando');
    await fault('svc-rs', 'recusando');
    const nfe = engine();
    const r = await nfe.e.send(signedNfe(cert, ++nNF).xml);
    expect(r.status).toBe('fsda');
    expect(parseChave(r.chave).tpEmis).toBe(5);
    valid('nfe', readFileSync(join(outDir, `${r.chave}-nfe.xml`), 'utf8'));
    const cte = engine('cte');
    const doc = signedCte();
    const c = await cte.e.send(doc.signedXml);
    expect(c.status).toBe('pending');
    expect(c.codes).toEqual(['108', '105']);
    expect(c.chave).toBe(doc.chave);
    const back = await recover(nfe.e);
    expect(back.reconciled?.transmitted).toContain(r.chave);
    // The CT-e was never re-keyed: it waits in the outbox and goes out once its UF answers.
    const backCte = await cte.e.poll();
    expect(backCte.available).toBe(true);
    expect(cte.e.inContingency()).toBeUndefined();
    nfe.close();
    cte.close();
  });

  test('CT-e: SVC-RS authorizes tpEmis 7 when active; EPEC (110113) goes to the SVC when it is not', async () => {
    await fault('autorizador', 'recusando');
    await svc(['SP']);
    const { e, close } = engine('cte');
    const a = await e.send(signedCte().signedXml);
    expect(a.status).toBe('authorized');
    expect(parseChave(a.chave).tpEmis).toBe(7);
    valid('cte', readFileSync(join(outDir, `${a.chave}-procCTe.xml`), 'utf8').match(/<CTe[\s\S]*<\/CTe>/)![0]);
    await svc([]);
    const b = await e.send(signedCte().signedXml);
    expect(b.status).toBe('epec');
    expect(parseChave(b.chave).tpEmis).toBe(4);
    valid('cte', readFileSync(join(outDir, `${b.chave}-cte.xml`), 'utf8'));
    const back = await recover(e);
    expect(back.reconciled?.transmitted).toContain(b.chave);
    close();
  });

  test('108: the send got no reply and was authorized → billed again under the next number (EPEC), the first cancelled on return', async () => {
    await fault('autorizador', 'sem-resposta');
    const { e, close } = engine();
    const first = signedNfe(cert, ++nNF);
    const r = await e.send(first.xml);
    nNF++;
    expect(r.replaces).toBe(first.chave);
    expect(r.status).toBe('epec');
    expect(parseChave(r.chave).nNF).toBe(parseChave(first.chave).nNF + 1);
    expect(readFileSync(join(outDir, `${r.chave}-nfe.xml`), 'utf8')).toContain(`Substitui a NF-e 1/${parseChave(first.chave).nNF}`);
    expect((await simNfe(first.chave))?.status).toBe('authorized');
    const back = await recover(e);
    expect(back.reconciled?.cancelled).toEqual([first.chave]);
    expect(back.reconciled?.transmitted).toContain(r.chave);
    expect((await simNfe(first.chave))?.status).toBe('cancelled');
    expect(state.auditOf(first.chave).map((a) => a.action)).toEqual(['deteccao', 'indisponivel', 'descarte', 'consulta', 'cancelado']);
    close();
  });

  test('108: the connection dropped before SEFAZ processed it → next number, the first number inutilizado on return', async () => {
    await fault('autorizador', 'queda-antes');
    const { e, close } = engine();
    const first = signedNfe(cert, ++nNF);
    const r = await e.send(first.xml);
    nNF++;
    expect(r.replaces).toBe(first.chave);
    expect(await simNfe(first.chave)).toBeUndefined();
    const back = await recover(e);
    expect(back.reconciled?.inutilizados).toEqual([first.chave]);
    expect((await sim.state()).summary.inutilizacoes).toBeGreaterThan(0);
    expect(state.auditOf(first.chave).map((a) => a.action)).toEqual(['deteccao', 'indisponivel', 'descarte', 'consulta', 'inutilizado']);
    close();
  });

  test('EPECs never reconciled block new ones (142) and the document falls to FS-DA', async () => {
    await fault('autorizador', 'paralisado');
    await fault('an', 'normal', { epecPrazoMs: 0 });
    const { e, close } = engine();
    const a = await e.send(signedNfe(cert, ++nNF).xml);
    expect(a.status).toBe('epec');
    const input = signedNfe(cert, ++nNF);
    const b = await e.send(input.xml);
    expect(b.status).toBe('fsda');
    expect(state.auditOf(input.chave).map((x) => x.action)).toEqual(['indisponivel', 'indisponivel']);
    expect(state.auditOf(input.chave)[1]!.detail).toMatch(/EPEC: 142 .*bloqueado/);
    expect(state.auditOf(b.chave).map((x) => x.action)).toEqual(['fsda']);
    await fault('an', 'normal', { epecPrazoMs: 168 * 3_600_000 });
    const back = await recover(e);
    expect(back.reconciled?.transmitted).toEqual(expect.arrayContaining([a.chave, b.chave]));
    close();
  });
});
