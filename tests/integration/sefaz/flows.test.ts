import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyInutEvidence } from '../../../src/server/numbering/evidence';
import { validateXml } from '../../../src/core/fiscal/schema-validate';
import { makeTestCa, makeTestCertificate } from '../../../src/core/fiscal/certificate';
import { SefazClient } from '../../../src/core/sefaz/client';
import { SefazFiscalEvents } from '../../../src/core/sefaz/fiscal-events';
import { SefazOutbox, type OutboxDocument } from '../../../src/core/sefaz/outbox';
import { SefazErrors } from '../../../src/core/sefaz/errors';
import type { Store } from '../../../src/core/store/open';
import { schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { EMITENTE_CNPJ, clientCertificate, client, openTestStore, signedNfe, startSimProcess, type SimProcess } from './harness';

const FAST = { baseMs: 50, maxMs: 300, throttleMs: 400, consultDelayMs: 50, settleMs: 300 };

describe('SEFAZ flows against the simulator process (mutual TLS)', () => {
  const tmp = tempDir('comboio-sefaz-');
  let sim: SimProcess;
  let store: Store;
  const cert = () => clientCertificate(sim);
  let certificate: ReturnType<typeof clientCertificate>;
  let nNF = 100;

  beforeAll(async () => {
    sim = await startSimProcess(join(tmp.dir, 'sim'), ['--tmed-ms', '200']);
    certificate = cert();
    store = openTestStore(join(tmp.dir, 'ws'));
  });
  afterAll(async () => {
    store?.close();
    await sim?.proc.kill();
    tmp.cleanup();
  });

  function outbox(opts: { sync?: boolean; hooks?: ConstructorParameters<typeof SefazOutbox>[0]['hooks']; timeoutMs?: number } = {}) {
    const c = client(sim, certificate, opts.timeoutMs ?? 5000);
    return { c, box: new SefazOutbox({ store, client: c, outDir: join(tmp.dir, 'out'), backoff: FAST, sync: opts.sync ?? true, ...(opts.hooks ? { hooks: opts.hooks } : {}) }) };
  }

  test('status service answers 107 over mutual TLS', async () => {
    const c = client(sim, certificate);
    const r = await c.status();
    expect(r.cStat).toBe('107');
    expect(r.tpAmb).toBe('2');
    c.close();
  });

  test('synchronous authorization stores nfeProc byte for byte, valid against procNFe schema', async () => {
    const authorized: OutboxDocument[] = [];
    const { c, box } = outbox({ hooks: { onAuthorized: (d) => void authorized.push(d) } });
    const nfe = signedNfe(certificate, ++nNF);
    box.enqueue(nfe.xml);
    expect(await box.drain(10_000)).toEqual([]);
    const doc = box.get(nfe.chave)!;
    expect(doc.state).toBe('authorized');
    expect(doc.cStat).toBe('100');
    expect(doc.nProt).toMatch(/^\d{15}$/);
    expect(authorized.map((d) => d.chave)).toEqual([nfe.chave]);
    const proc = readFileSync(doc.procPath!, 'utf8');
    expect(doc.procPath!.endsWith(`${nfe.chave}-procNFe.xml`)).toBe(true);
    expect(proc).toContain(nfe.xml);
    expect(validateXml(proc, { schemasDir, layout: 'PL_009_V4', schemaFile: 'procNFe_v4.00.xsd' }).issues).toEqual([]);
    expect(box.messages(nfe.chave).map((m) => [m.service, m.cStat])).toEqual([['autorizacao', '104']]);
    const q = await c.consult(nfe.chave);
    expect([q.cStat, q.prot?.nProt]).toEqual(['100', doc.nProt]);
    c.close();
  });

  test('asynchronous lote: receipt polled after tMed', async () => {
    const { c, box } = outbox({ sync: false });
    const nfe = signedNfe(certificate, ++nNF);
    box.enqueue(nfe.xml);
    expect(await box.drain(10_000)).toEqual([]);
    expect(box.get(nfe.chave)!.state).toBe('authorized');
    const services = box.messages(nfe.chave).map((m) => `${m.service}:${m.cStat}`);
    expect(services[0]).toBe('autorizacao:103');
    expect(services[services.length - 1]).toBe('retAutorizacao:104');
    c.close();
  });

  test('a live number is never queued under a different chave; the same chave is idempotent', async () => {
    const { c, box } = outbox();
    const n = ++nNF;
    const a = signedNfe(certificate, n, { cNF: '10000001' });
    const b = signedNfe(certificate, n, { cNF: '10000002' });
    box.enqueue(a.xml);
    expect(box.enqueue(a.xml).chave).toBe(a.chave);
    expect(() => box.enqueue(b.xml)).toThrow(expect.objectContaining({ code: SefazErrors.SEFAZ_NUMBER_CONFLICT }));
    await box.drain(10_000);
    expect(box.get(a.chave)!.state).toBe('authorized');
    expect(box.get(b.chave)).toBeUndefined();
    c.close();
  });

  test('rejected keeps its number and is resent after editing; denied consumes the number', async () => {
    const rejectedHook: string[] = [];
    const { c, box } = outbox({ hooks: { onRejected: (d) => void rejectedHook.push(d.chave) } });
    const n = ++nNF;
    await sim.setFaults({ mode: 'rejeicoes', rejectRate: 1 });
    const first = signedNfe(certificate, n, { cNF: '20000001' });
    box.enqueue(first.xml);
    await box.drain(10_000);
    await sim.setFaults({ mode: 'normal' });
    expect(box.get(first.chave)!.state).toBe('rejected');
    expect(rejectedHook).toEqual([first.chave]);
    await sim.setFaults({ mode: 'normal' });
    const edited = signedNfe(certificate, n, { cNF: '20000002' });
    box.enqueue(edited.xml);
    await box.drain(10_000);
    expect(box.get(edited.chave)!.state).toBe('authorized');
    expect(box.get(first.chave)!.state).toBe('superseded');

    await sim.setFaults({ denyDest: ['99888777000100'] });
    const denied = signedNfe(certificate, ++nNF);
    box.enqueue(denied.xml);
    await box.drain(10_000);
    await sim.setFaults({ denyDest: [] });
    const d = box.get(denied.chave)!;
    expect([d.state, d.cStat]).toEqual(['denied', '302']);
    expect(existsSync(d.procPath!)).toBe(true);
    expect(() => box.enqueue(signedNfe(certificate, d.nNF, { cNF: '20000003' }).xml)).toThrow(expect.objectContaining({ code: SefazErrors.SEFAZ_NUMBER_CONFLICT }));
    c.close();
  });

  test('simulator rules: signature 297, wrong environment 252, certificate CNPJ 213, inutilizada 206', async () => {
    const c = client(sim, certificate);
    const good = signedNfe(certificate, ++nNF);
    const tampered = good.xml.replace('DISTRIBUIDORA DE PETROLEO', 'DISTRIBUIDORA DE PETROLEX');
    expect(tampered).not.toBe(good.xml);
    expect((await c.sendNFe(tampered, good.chave, true)).prot?.cStat).toBe('297');

    const prod = signedNfe(certificate, ++nNF, { edit: (o) => void ((o as { ambiente: number }).ambiente = 1) });
    expect((await c.sendNFe(prod.xml, prod.chave, true)).prot?.cStat).toBe('252');

    const other = clientCertificate(sim, '44555666000199'.slice(0, 12) + '00');
    const c2 = client(sim, other);
    const n213 = signedNfe(certificate, ++nNF);
    expect((await c2.sendNFe(n213.xml, n213.chave, true)).prot?.cStat).toBe('213');
    c2.close();

    const events = new SefazFiscalEvents({ store, client: c, outDir: join(tmp.dir, 'out'), cnpj: EMITENTE_CNPJ, retry: { delayMs: 50, settleMs: 300 } });
    const n = ++nNF;
    const inut = await events.inutilizar({ serie: 1, nNFIni: n, nNFFin: n + 2, xJust: 'Numeros pulados por falha no sistema' });
    expect(inut.cStat).toBe('102');
    expect(validateXml(readFileSync(inut.procPath!, 'utf8'), { schemasDir, layout: 'PL_009_V4', schemaFile: 'procInutNFe_v4.00.xsd' }).issues).toEqual([]);
    // The LAN server takes this file as evidence (#16): SEFAZ's signature chains to the simulator's CA, and to nothing else.
    const proc = readFileSync(inut.procPath!, 'utf8');
    const range = { series: { cnpj: EMITENTE_CNPJ, model: 55 as const, serie: 1 }, first: n, last: n + 2 };
    expect(verifyInutEvidence(proc, range, [readFileSync(sim.caFile, 'utf8')]).nProt).toBe(inut.nProt);
    expect(() => verifyInutEvidence(proc, range, [certificate.certPem])).toThrow(/assinada por um certificado da SEFAZ/);
    const inutilizada = signedNfe(certificate, n + 1);
    expect((await c.sendNFe(inutilizada.xml, inutilizada.chave, true)).prot?.cStat).toBe('206');
    nNF += 3;
    await expect(events.inutilizar({ serie: 1, nNFIni: 101, nNFFin: 102, xJust: 'Faixa com numero ja autorizado' })).rejects.toMatchObject({ code: SefazErrors.SEFAZ_INVALID_REQUEST });
    c.close();
  });

  test('cancelamento within 24 h, refused past 24 h before sending; CC-e cumulative with sequence', async () => {
    const { c, box } = outbox();
    const nfe = signedNfe(certificate, ++nNF);
    box.enqueue(nfe.xml);
    await box.drain(10_000);
    const cancelled: string[] = [];
    const events = new SefazFiscalEvents({ store, client: c, outDir: join(tmp.dir, 'out'), cnpj: EMITENTE_CNPJ, retry: { delayMs: 50, settleMs: 300 }, hooks: { onCancelled: (ch) => void cancelled.push(ch) } });

    const cce1 = await events.cce(nfe.chave, 'Placa do veiculo correta: ABC1D23');
    const cce2 = await events.cce(nfe.chave, 'Observacao: entrega no tanque 2');
    expect([cce1.nSeqEvento, cce2.nSeqEvento]).toEqual([1, 2]);
    expect(cce2.xCorrecao).toBe('Placa do veiculo correta: ABC1D23; Observacao: entrega no tanque 2');
    expect(validateXml(readFileSync(cce2.procPath, 'utf8'), { schemasDir, layout: 'PL_009_V4', schemaFile: 'procCCeNFe_v1.00.xsd' }).issues).toEqual([]);

    const late = new SefazClient({
      env: 'simulador',
      uf: 'SP',
      simulatorUrl: sim.url,
      certificate: { certPem: certificate.certPem, keyPem: certificate.keyPem },
      trustedCaPems: [readFileSync(sim.caFile, 'utf8')],
      clock: { now: () => new Date(Date.now() + 25 * 3_600_000), monotonicMs: () => performance.now() },
    });
    const lateEvents = new SefazFiscalEvents({
      store,
      client: late,
      outDir: join(tmp.dir, 'out'),
      cnpj: EMITENTE_CNPJ,
    });
    const before = box.messages(nfe.chave).length;
    await expect(lateEvents.cancel(nfe.chave, 'Cliente desistiu da compra do combustivel')).rejects.toMatchObject({ code: SefazErrors.SEFAZ_CANCEL_DEADLINE });
    expect(box.messages(nfe.chave).length).toBe(before);
    late.close();

    await expect(events.cancel(nfe.chave, 'curta')).rejects.toThrow(/pelo menos 15/);
    const canc = await events.cancel(nfe.chave, 'Cliente desistiu da compra do combustivel');
    expect(canc.cStat).toBe('135');
    expect(cancelled).toEqual([nfe.chave]);
    expect(box.get(nfe.chave)!.state).toBe('cancelled');
    expect(validateXml(readFileSync(canc.procPath, 'utf8'), { schemasDir, layout: 'PL_009_V4', schemaFile: 'procEventoCancNFe_v1.00.xsd' }).issues).toEqual([]);
    expect((await c.consult(nfe.chave)).cStat).toBe('101');
    await expect(events.cce(nfe.chave, 'Texto depois do cancelamento')).rejects.toMatchObject({ code: SefazErrors.SEFAZ_REJECTED });

    // Issue #22 item 30: a repeated cancel returns the registered event and never rewrites the stored file.
    const bytes = readFileSync(canc.procPath);
    const again = await events.cancel(nfe.chave, 'Segunda tentativa de cancelar a mesma nota');
    expect(again).toMatchObject({ cStat: canc.cStat, nProt: canc.nProt, procPath: canc.procPath });
    expect(readFileSync(canc.procPath).equals(bytes)).toBe(true);
    // Another station, with its own (empty) records: SEFAZ answers 573 and the registered
    // event — SEFAZ's, with the first dhEvento — is what gets stored, not the one just signed.
    const otherStore = openTestStore(join(tmp.dir, 'ws-other'));
    try {
      const doc = box.get(nfe.chave)!;
      const other = new SefazFiscalEvents({ store: otherStore, client: c, outDir: join(tmp.dir, 'out-other'), cnpj: EMITENTE_CNPJ, retry: { delayMs: 50, settleMs: 300 } });
      const third = await other.cancel(nfe.chave, 'Cancelamento repetido por outra estacao', { nProt: doc.nProt!, dhRecbto: doc.dhRecbto! });
      expect(third.nProt).toBe(canc.nProt);
      const evento = (xml: string) => /<evento [\s\S]*<\/evento>/.exec(xml)![0];
      expect(evento(readFileSync(third.procPath, 'utf8'))).toBe(evento(bytes.toString('utf8')));
    } finally {
      otherStore.close();
    }
    c.close();
  });

  test('SEFAZ-side deadline: cancelling after 24 h on the simulator clock is rejected 501', async () => {
    const { c, box } = outbox();
    const nfe = signedNfe(certificate, ++nNF);
    box.enqueue(nfe.xml);
    await box.drain(10_000);
    await sim.setFaults({ clockOffsetMs: 25 * 3_600_000 });
    const signed = c.signCancel({ chave: nfe.chave, cnpj: EMITENTE_CNPJ, nProt: box.get(nfe.chave)!.nProt!, xJust: 'Cancelamento fora do prazo legal', authorizedAt: new Date() });
    const r = await c.sendEvento(signed, nfe.chave);
    await sim.setFaults({ clockOffsetMs: 0 });
    expect(r.ret.cStat).toBe('501');
    c.close();
  });

  test('TLS: a client certificate from another CA is refused at the handshake and said so at once (#22 item 25, not a lost reply); an untrusted server is refused', async () => {
    const foreignCa = makeTestCa({ commonName: 'Outra AC' });
    const foreign = makeTestCertificate({ cnpj: EMITENTE_CNPJ, password: 'x', issuer: foreignCa });
    const before = (await sim.state()).replies;
    const c = client(sim, { ...foreign, pfx: makeTestCertificate({ cnpj: EMITENTE_CNPJ, password: 'senha-teste', issuer: foreignCa }).pfx });
    const refused = await c.status().then(() => null, (e: unknown) => e as { code: string; message: string });
    expect(refused).toMatchObject({ code: SefazErrors.SEFAZ_TLS });
    expect(refused!.message).toMatch(/recusou o certificado/);
    c.close();
    expect((await sim.state()).replies).toEqual(before);

    const noTrust = new SefazClient({
      env: 'simulador',
      uf: 'SP',
      simulatorUrl: sim.url,
      certificate: { certPem: certificate.certPem, keyPem: certificate.keyPem },
      trustedCaPems: [foreignCa.certPem],
    });
    await expect(noTrust.status()).rejects.toMatchObject({ code: SefazErrors.SEFAZ_TLS, message: expect.stringMatching(/servidor da SEFAZ não é confiável/) });
    noTrust.close();
  });
});
