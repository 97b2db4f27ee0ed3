import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadA1, type TestCertificate } from '../../../src/core/fiscal/certificate';
import { buildCteCancelamento, buildDesacordo, emitCte, hashEntrega, type CteOrder } from '../../../src/core/fiscal/cte';
import { validateXml } from '../../../src/core/fiscal/schema-validate';
import { signXml, verifyXmlSignature } from '../../../src/core/fiscal/sign';
import { CteSefazClient } from '../../../src/core/sefaz/cte-client';
import { CteFiscalEvents } from '../../../src/core/sefaz/cte-events';
import { SefazOutbox } from '../../../src/core/sefaz/outbox';
import { clientOptions, openIdentity } from '../../../src/core/sefaz/setup';
import type { Store } from '../../../src/core/store/open';
import { repoRoot, schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { CARRIER_CNPJ, freight } from '../../unit/fiscal/helpers/cte-orders';
import { PASSWORD, clientCertificate, openTestStore, startSimProcess, type SimProcess } from './harness';

const FAST = { baseMs: 50, maxMs: 300, throttleMs: 400, consultDelayMs: 50, settleMs: 300 };
const TOMADOR_CNPJ = '11222333000181'; // the remetente of the example freight (toma 0)
const DAY = 86_400_000;
const cteSchema = (xml: string, file: string) => validateXml(xml, { schemasDir, layout: 'PL_CTe_400', schemaFile: file }).issues;

describe('CT-e against the simulator process (mutual TLS): outbox, consult-first recovery, events', () => {
  const tmp = tempDir('comboio-cte-sefaz-');
  const outDir = join(tmp.dir, 'out');
  let sim: SimProcess;
  let store: Store;
  let carrier: TestCertificate;
  let tomador: TestCertificate;
  let nCT = 700;

  beforeAll(async () => {
    sim = await startSimProcess(join(tmp.dir, 'sim'));
    carrier = clientCertificate(sim, CARRIER_CNPJ);
    tomador = clientCertificate(sim, TOMADOR_CNPJ);
    store = openTestStore(join(tmp.dir, 'ws'));
  });
  afterAll(async () => {
    store?.close();
    await sim?.proc.kill();
    tmp.cleanup();
  });

  function client(cert: TestCertificate, timeoutMs = 5_000): CteSefazClient {
    const cfg = { env: 'simulador' as const, uf: 'SP' as const, pfx: cert.pfx, password: PASSWORD, resourcesDir: join(repoRoot, 'resources'), simulatorUrl: sim.url, simulatorCaFile: sim.caFile, timeoutMs };
    const { certificate, trustedCaPems } = openIdentity(cfg);
    return new CteSefazClient(clientOptions(cfg, certificate, trustedCaPems));
  }

  function signedCte(change: (o: CteOrder) => void = () => {}, cCT?: string) {
    const order = freight(change);
    delete order.emissao;
    return emitCte(order, { certificate: loadA1(carrier.pfx, PASSWORD), schemasDir, numbering: { serie: 2, nCT: ++nCT }, ...(cCT ? { cCT } : {}) });
  }

  async function authorize(c: CteSefazClient) {
    const cte = signedCte();
    const box = new SefazOutbox({ store, client: c, outDir, backoff: FAST });
    box.enqueue(cte.signedXml);
    expect(await box.drain(20_000)).toEqual([]);
    return { cte, doc: box.get(cte.chave)! };
  }

  test('status 107; CTeRecepcaoSincV4 authorizes through the outbox; procCTe stored byte for byte and valid', async () => {
    const c = client(carrier);
    expect((await c.status()).cStat).toBe('107');
    const { cte, doc } = await authorize(c);
    expect(doc).toMatchObject({ state: 'authorized', cStat: '100', mod: '57', serie: 2 });
    expect(doc.procPath).toBe(join(outDir, `${cte.chave}-procCTe.xml`));
    const proc = readFileSync(doc.procPath!, 'utf8');
    expect(proc).toContain(cte.signedXml);
    expect(cteSchema(proc, 'procCTe_v4.00.xsd')).toEqual([]);
    expect(verifyXmlSignature(proc).valid).toBe(true);
    const consult = await c.consult(cte.chave);
    expect(consult.cStat).toBe('100');
    expect(consult.prot?.nProt).toBe(doc.nProt);
    c.close();
  });

  test('lost reply: the outbox consults by chave first and gets the protocol, never a duplicate', async () => {
    const c = client(carrier, 2_000);
    const cte = signedCte();
    const box = new SefazOutbox({ store, client: c, outDir, backoff: FAST });
    await sim.setFaults({ noReplyRate: 1 });
    box.enqueue(cte.signedXml);
    await box.drain(1_500);
    expect(box.get(cte.chave)!.state).toBe('unknown');
    await sim.setFaults({ noReplyRate: 0 });
    expect(await box.drain(20_000)).toEqual([]);
    expect(box.get(cte.chave)).toMatchObject({ state: 'authorized', cStat: '100' });
    const services = box.messages(cte.chave).map((m) => m.service);
    expect(services[0]).toBe('recepcaoSinc');
    expect(services.slice(1)).toContain('consulta');
    expect(services.filter((s) => s === 'recepcaoSinc')).toHaveLength(1);
    c.close();
  });

  test('same number under another key: the outbox refuses it locally, and SEFAZ answers 539 to another station', async () => {
    const c = client(carrier);
    const first = await authorize(c);
    nCT--; // same number again, new cCT → new key
    const twin = signedCte(undefined, first.cte.chave.slice(35, 43) === '12345670' ? '12345671' : '12345670');
    expect(twin.chave).not.toBe(first.cte.chave);
    const box = new SefazOutbox({ store, client: c, outDir, backoff: FAST });
    expect(() => box.enqueue(twin.signedXml)).toThrow(/já está em transmissão ou autorizado com outra chave/);
    const r = await c.sendCte(twin.signedXml, twin.chave);
    expect(r.prot).toMatchObject({ cStat: '539', xMotivo: expect.stringContaining(first.cte.chave) });
    c.close();
  });

  test('events: CC-e (cumulative), comprovante de entrega, cancel refused while it stands, its cancellation, then cancel; desacordo refused on the cancelled CT-e', async () => {
    const c = client(carrier);
    const events = new CteFiscalEvents({ store, client: c, outDir, retry: { delayMs: 50 } });
    const { cte, doc } = await authorize(c);
    const chave = cte.chave;

    const cce1 = [{ grupoAlterado: 'compl', campoAlterado: 'xObs', valorAlterado: 'Entrega pela portaria 2' }];
    const r1 = await events.send(c.signCce({ chave, cnpj: CARRIER_CNPJ, nSeqEvento: events.nextSeq(chave, '110110'), correcoes: cce1 }), JSON.stringify(cce1));
    expect(r1).toMatchObject({ cStat: '135', nSeqEvento: 1 });
    const cce2 = [...events.lastCorrections(chave), { grupoAlterado: 'ide', campoAlterado: 'natOp', valorAlterado: 'PRESTACAO DE SERVICO DE TRANSPORTE DE COMBUSTIVEL' }];
    const r2 = await events.send(c.signCce({ chave, cnpj: CARRIER_CNPJ, nSeqEvento: events.nextSeq(chave, '110110'), correcoes: cce2 }), JSON.stringify(cce2));
    expect(r2).toMatchObject({ cStat: '135', nSeqEvento: 2 });
    expect(readFileSync(r2.procPath, 'utf8')).toMatch(/Entrega pela portaria 2.*PRESTACAO DE SERVICO DE TRANSPORTE DE COMBUSTIVEL/);

    const image = Buffer.from('canhoto assinado (imagem)').toString('base64');
    const ce = await events.send(
      c.signComprovante({ chave, cnpj: CARRIER_CNPJ, nSeqEvento: events.nextSeq(chave, '110180'), nProt: doc.nProt!, dhEntrega: '2026-11-20T16:40:00-03:00', nDoc: '12345678909', xNome: 'MARIA RECEBEDORA', imageBase64: image, latitude: '-23.550520', longitude: '-46.633308' }),
    );
    expect(ce.cStat).toBe('135');
    const ceXml = readFileSync(ce.procPath, 'utf8');
    expect(ceXml).toContain(`<hashEntrega>${hashEntrega(chave, image)}</hashEntrega>`);
    expect(cteSchema(ceXml, 'procEventoCTe_v4.00.xsd')).toEqual([]);

    const cancelSigned = c.signCancel({ chave, cnpj: CARRIER_CNPJ, nProt: doc.nProt!, xJust: 'Frete emitido em duplicidade para o mesmo pedido', authorizedAt: new Date() });
    await expect(events.send(cancelSigned)).rejects.toMatchObject({ code: 'SEFAZ_REJECTED', message: expect.stringContaining('859') });

    const cc = await events.send(c.signCancelComprovante({ chave, cnpj: CARRIER_CNPJ, nSeqEvento: events.nextSeq(chave, '110181'), nProt: doc.nProt!, nProtCE: ce.nProt }));
    expect(cc.cStat).toBe('135');
    const cancelled = await events.send(c.signCancel({ chave, cnpj: CARRIER_CNPJ, nProt: doc.nProt!, xJust: 'Frete emitido em duplicidade para o mesmo pedido', authorizedAt: new Date() }));
    expect(cancelled.cStat).toBe('135');
    expect((await c.consult(chave)).cStat).toBe('101');
    expect(events.registered(chave).map((e) => e.tpEvento)).toEqual(['110110', '110110', '110180', '110181', '110111']);

    const t = client(tomador);
    const late = t.signDesacordo({ chave, tomador: TOMADOR_CNPJ, xObs: 'Carga entregue com volume menor que o contratado', authorizedAt: new Date() });
    expect((await t.sendEvento(late, chave)).ret.cStat).toBe('218');
    t.close();
    c.close();
  });

  test('desacordo: only by the tomador, within 45 days; the same request again is 573', async () => {
    const c = client(carrier);
    const { cte } = await authorize(c);
    const t = client(tomador);
    const xObs = 'Carga entregue com volume menor que o contratado';
    const byCarrier = await c.sendEvento(signXml(buildDesacordo({ cOrgao: '35', tpAmb: '2', autor: CARRIER_CNPJ, chCTe: cte.chave, dhEvento: '2026-11-20T11:00:00-03:00', nSeqEvento: 1, xObs }), 'infEvento', loadA1(carrier.pfx, PASSWORD)), cte.chave);
    expect(byCarrier.ret.cStat).toBe('862');
    const ok = t.signDesacordo({ chave: cte.chave, tomador: TOMADOR_CNPJ, xObs, authorizedAt: new Date() });
    const r = await t.sendEvento(ok, cte.chave);
    expect(r.ret.cStat).toBe('135');
    expect(cteSchema(r.procXml!, 'procEventoCTe_v4.00.xsd')).toEqual([]);
    expect((await t.sendEvento(ok, cte.chave)).ret.cStat).toBe('573');

    // 46 days later (the simulator's clock moves): refused by SEFAZ, and refused before sending by the client.
    const other = await authorize(c);
    await sim.setFaults({ clockOffsetMs: 46 * DAY });
    try {
      const signed = signXml(buildDesacordo({ cOrgao: '35', tpAmb: '2', autor: TOMADOR_CNPJ, chCTe: other.cte.chave, dhEvento: '2026-11-20T11:00:00-03:00', nSeqEvento: 1, xObs }), 'infEvento', loadA1(tomador.pfx, PASSWORD));
      expect((await t.sendEvento(signed, other.cte.chave)).ret.cStat).toBe('861');
      const cancel = signXml(buildCteCancelamento({ cOrgao: '35', tpAmb: '2', autor: CARRIER_CNPJ, chCTe: other.cte.chave, dhEvento: '2026-11-20T11:00:00-03:00', nProt: other.doc.nProt!, xJust: 'Frete emitido em duplicidade para o mesmo pedido' }), 'infEvento', loadA1(carrier.pfx, PASSWORD));
      expect((await c.sendEvento(cancel, other.cte.chave)).ret.cStat).toBe('501');
    } finally {
      await sim.setFaults({ clockOffsetMs: 0 });
    }
    expect(() => t.signDesacordo({ chave: other.cte.chave, tomador: TOMADOR_CNPJ, xObs, authorizedAt: new Date(Date.now() - 46 * DAY) })).toThrow(/45 dias/);
    t.close();
    c.close();
  });

  test('an infCte signed with another company’s A1 (sent over the emitente’s TLS) is refused 213', async () => {
    const c = client(carrier);
    const cte = signedCte();
    // As emitCte does: sign without infCTeSupl, then put it back before the Signature.
    const supl = /<infCTeSupl>[\s\S]*<\/infCTeSupl>/.exec(cte.signedXml)![0];
    const signed = signXml(cte.signedXml.replace(/<Signature[\s\S]*<\/Signature>/, '').replace(supl, ''), 'infCte', loadA1(tomador.pfx, PASSWORD));
    const resigned = signed.replace('<Signature', `${supl}<Signature`);
    expect(verifyXmlSignature(resigned).valid).toBe(true);
    const r = await c.sendCte(resigned, cte.chave);
    expect(r.prot?.cStat, `${r.cStat} ${r.xMotivo}`).toBe('213');
    expect(r.prot?.xMotivo).toMatch(/certificado da assinatura/);
    // The same CT-e signed by the carrier itself goes through.
    expect((await c.sendCte(cte.signedXml, cte.chave)).prot?.cStat).toBe('100');
    c.close();
  });

  test('a tampered CT-e is refused 297 and a schema-invalid one 215', async () => {
    const c = client(carrier);
    const cte = signedCte();
    expect((await c.sendCte(cte.signedXml.replace('<vTPrest>1946.40</vTPrest>', '<vTPrest>1946.41</vTPrest>'), cte.chave)).prot?.cStat).toBe('297');
    const r = await c.sendCte(cte.signedXml.replace('<tpServ>0</tpServ>', '<tpServ>9</tpServ>'), cte.chave);
    expect(r.cStat).toBe('215');
    c.close();
  });
});
