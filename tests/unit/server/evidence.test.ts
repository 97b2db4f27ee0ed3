import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emitterCert, evidenceKit, procInut, signedNfe } from '../../helpers/fiscal-evidence';
import { SERIES, errorOf, startTestServer } from './harness';

// Issue #16, finding 4: numbers change for good only with fiscal evidence the server checks
// itself (real server, real TLS sockets, real SQLite file; the test CA stands for ICP-Brasil).
type Harness = Awaited<ReturnType<typeof startTestServer>>;
let h: Harness;

beforeEach(async () => {
  h = await startTestServer({ admins: ['chefe'] });
});
afterEach(async () => {
  await h.stop();
});

async function abandonedNumbers(count: number) {
  const chefe = await h.client('chefe', 'ADM01');
  await chefe.createSeries({ ...SERIES, emissaoPropria: true });
  const ana = await h.client('ana', 'FAT01');
  for (let i = 1; i <= count; i++) {
    const { number } = await ana.allocate({ series: SERIES, orderId: `P-${i}` });
    await ana.updateState({ series: SERIES, number, state: 'abandoned' });
  }
  return { chefe, ana };
}

describe('inutilizada only with the SEFAZ protocol', () => {
  it('refuses no protocol, a self-signed answer, a rejected one, one altered after signing, and another range or series', async () => {
    const { ana } = await abandonedNumbers(3);
    const inut = (first: number, last: number, procInutNFe: string) => errorOf(() => ana.inutilize({ series: SERIES, first, last, procInutNFe }));
    expect((await inut(1, 1, '')).code).toBe('EVIDENCE_REQUIRED');
    expect((await errorOf(() => ana.updateState({ series: SERIES, number: 1, state: 'inutilizada' }))).code).toBe('EVIDENCE_REQUIRED');
    const forged = await inut(1, 1, procInut(SERIES, 1, 1, { signer: evidenceKit().forger }));
    expect(forged).toMatchObject({ code: 'EVIDENCE_INVALID', message: expect.stringContaining('SEFAZ') });
    expect((await inut(1, 1, procInut(SERIES, 1, 1, { cStat: '241' }))).message).toContain('cStat 241');
    // Widening SEFAZ's answer after it was signed breaks its signature.
    const widened = procInut(SERIES, 1, 1, { tamper: (x) => x.replace('<nNFFin>1</nNFFin>', '<nNFFin>3</nNFFin>') });
    expect((await inut(1, 3, widened)).code).toBe('EVIDENCE_INVALID');
    // A real protocol for 1–1 does not cover 1–3, nor another series.
    expect((await inut(1, 3, procInut(SERIES, 1, 1))).code).toBe('EVIDENCE_MISMATCH');
    expect((await inut(1, 1, procInut({ ...SERIES, serie: 2 }, 1, 1))).code).toBe('EVIDENCE_MISMATCH');
    // SEFAZ answering another range than asked is caught too.
    expect((await inut(1, 3, procInut(SERIES, 1, 3, { answered: { first: 1, last: 1 } }))).code).toBe('EVIDENCE_MISMATCH');
    for (let n = 1; n <= 3; n++) expect((await ana.getNumber({ series: SERIES, number: n })).state).toBe('abandoned');
  });

  it('accepts the real protocol and records its nProt, through numbers.inutilize and numbers.update', async () => {
    const { ana } = await abandonedNumbers(3);
    expect(await ana.inutilize({ series: SERIES, first: 1, last: 2, procInutNFe: procInut(SERIES, 1, 2) })).toMatchObject({ count: 2 });
    const three = await ana.updateState({ series: SERIES, number: 3, state: 'inutilizada', procInutNFe: procInut(SERIES, 3, 3) });
    expect(three).toMatchObject({ state: 'inutilizada', detail: 'nProt 135260000012345' });
    expect((await ana.getNumber({ series: SERIES, number: 1 })).state).toBe('inutilizada');
  });

  it('with no fiscal roots installed the server refuses instead of trusting any signature', async () => {
    await h.stop();
    h = await startTestServer({ admins: ['chefe'], fiscalTrust: () => [] });
    const { ana } = await abandonedNumbers(1);
    expect((await errorOf(() => ana.inutilize({ series: SERIES, first: 1, last: 1, procInutNFe: procInut(SERIES, 1, 1) }))).code).toBe('FISCAL_TRUST_MISSING');
  });
});

describe('import.validate only with a signed XML of that number', () => {
  it('refuses a bare number, another number, a note signed by someone else, and one altered after signing', async () => {
    const chefe = await h.client('chefe', 'ADM01');
    await chefe.createSeries({ ...SERIES, emissaoPropria: true });
    const ana = await h.client('ana', 'FAT01');
    const imp = (number: number, xml: string) => errorOf(() => ana.validateImport({ series: SERIES, number, xml }));
    expect((await imp(7, '')).code).toBe('EVIDENCE_REQUIRED');
    expect((await imp(7, signedNfe(SERIES, 8))).code).toBe('EVIDENCE_MISMATCH');
    expect((await imp(7, signedNfe({ ...SERIES, serie: 3 }, 7))).code).toBe('EVIDENCE_MISMATCH');
    expect((await imp(7, signedNfe(SERIES, 7, { signer: emitterCert('99888777000161') }))).message).toContain('certificado do CNPJ emitente');
    const altered = signedNfe(SERIES, 7).replace('<xNome>EMPRESA DE TESTE LTDA</xNome>', '<xNome>OUTRA</xNome>');
    expect((await imp(7, altered)).code).toBe('EVIDENCE_INVALID');
    expect((await imp(7, '<nfeProc><NFe>não é xml')).code).toBe('EVIDENCE_INVALID');
    // Nothing was recorded: the series still allocates 1 and is not blocked at 7.
    expect((await chefe.gapReport(SERIES)).holes).toEqual([]);
    const ok = await ana.validateImport({ series: SERIES, number: 7, xml: signedNfe(SERIES, 7) });
    expect(ok).toMatchObject({ accepted: true, aboveNext: true });
    expect((await ana.getNumber({ series: SERIES, number: 7 })).detail).toMatch(/^chNFe 3526031122233300018155001000000007112345678\d$/);
  });
});

describe('state changes only by those who may make them', () => {
  it('only a faturista abandons; only the allocating station (or an administrator) reports the SEFAZ outcome, refusals audited', async () => {
    const chefe = await h.client('chefe', 'ADM01');
    await chefe.createSeries({ ...SERIES, emissaoPropria: true });
    const ana = await h.client('ana', 'FAT01');
    const { number } = await ana.allocate({ series: SERIES, orderId: 'P-1' });
    const other = await h.stationClient('FAT02');
    const own = await h.stationClient('FAT01');
    expect((await errorOf(() => other.updateState({ series: SERIES, number, state: 'authorized' }))).code).toBe('FORBIDDEN');
    expect((await errorOf(() => own.updateState({ series: SERIES, number, state: 'abandoned' }))).code).toBe('FORBIDDEN');
    const expedicao = await h.client('edu', 'FAT02', ['expedicao']);
    expect((await errorOf(() => expedicao.updateState({ series: SERIES, number, state: 'abandoned' }))).code).toBe('FORBIDDEN');
    expect((await errorOf(() => expedicao.allocate({ series: SERIES, orderId: 'P-2' }))).code).toBe('FORBIDDEN');
    // The allocating station reports SEFAZ's answer even after its user left.
    expect(await own.updateState({ series: SERIES, number, state: 'transmitted' })).toMatchObject({ state: 'transmitted' });
    expect(await chefe.updateState({ series: SERIES, number, state: 'authorized' })).toMatchObject({ state: 'authorized' });
    const refused = h.server.ctx.audit.list(30).filter((a) => a.action === 'numbers.update.refused');
    expect(refused.map((a) => [a.user, a.workstation, a.newValue])).toEqual([['estacao:FAT02', 'FAT02', 'authorized']]);
  });
});
