import { describe, expect, it } from 'vitest';
import { loadA1, makeTestCertificate } from '../../../src/core/fiscal/certificate';
import { parseChave, isValidChave } from '../../../src/core/fiscal/chave';
import { buildEpecOfCte, buildEpecOfNfe, rekeyDocument, resignInContingency } from '../../../src/core/fiscal/contingency';
import { assertCteEventoValid, assertModalValid, emitCte } from '../../../src/core/fiscal/cte';
import { emitNfe } from '../../../src/core/fiscal/emit';
import { assertSchemaValid, validateXml } from '../../../src/core/fiscal/schema-validate';
import { signXml, verifyXmlSignature } from '../../../src/core/fiscal/sign';
import { envEvento } from '../../../src/core/sefaz/messages';
import { cteSvcOf, nfeSvcOf, svcTpEmis } from '../../../src/core/sefaz/svc-table';
import { schemasDir } from '../../helpers/proc';
import { CARRIER_CNPJ, cteExample } from '../../unit/fiscal/helpers/cte-orders';
import { EMIT_CNPJ, fuelOrder } from '../../unit/fiscal/helpers/orders';
import { xmlsecVerify } from '../../unit/fiscal/helpers/xmlsec';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contingencyText, danfeFromXml, fsdaBarcodeData, renderDanfePdf, requiredCopies } from '../../../src/core/printing/index';
import { mod11 } from '../../../src/core/printing/contingency';
import { repoRoot } from '../../helpers/proc';

const CTE_NS = 'http://www.portalfiscal.inf.br/cte';
const nfeCert = makeTestCertificate({ cnpj: EMIT_CNPJ, password: 'x' });
const nfeKey = loadA1(nfeCert.pfx, 'x');
const cteCert = makeTestCertificate({ cnpj: CARRIER_CNPJ, password: 'x' });
const cteKey = loadA1(cteCert.pfx, 'x');
const entry = { dhCont: '2026-11-20T10:00:00-03:00', xJust: 'SEFAZ de origem sem resposta desde as 10h (timeout)' };

function normalNfe() {
  const order = fuelOrder({ cst: '61' });
  order.emissao = '2026-11-20T09:59:00-03:00';
  return emitNfe(order, { certificate: nfeKey, schemasDir, layout: 'PL_009_V4' });
}

describe('NF-e in contingency: new key, same number, re-signed, schema-valid, verified by xmlsec1', () => {
  const nfe = normalNfe();
  it.each([4, 5, 6, 7])('tpEmis %i', (tpEmis) => {
    const r = resignInContingency(nfe.signedXml, { tpEmis, contingencia: entry }, nfeKey);
    const old = parseChave(nfe.chave);
    const now = parseChave(r.chave);
    expect(r.previousChave).toBe(nfe.chave);
    expect(r.chave).not.toBe(nfe.chave);
    expect(isValidChave(r.chave)).toBe(true);
    expect(now.tpEmis).toBe(tpEmis);
    expect({ serie: now.serie, nNF: now.nNF, cNF: now.cNF }).toEqual({ serie: old.serie, nNF: old.nNF, cNF: old.cNF });
    expect(r.signedXml).toContain(`Id="NFe${r.chave}"`);
    expect(r.signedXml).toContain(`<tpEmis>${tpEmis}</tpEmis><cDV>${r.chave.slice(-1)}</cDV>`);
    expect(r.signedXml).toContain(`<dhCont>${entry.dhCont}</dhCont><xJust>${entry.xJust}</xJust>`);
    expect(r.signedXml.match(/<Signature[\s>]/g)).toHaveLength(1);
    expect(validateXml(r.signedXml, { schemasDir, layout: 'PL_009_V4' }).issues).toEqual([]);
    expect(verifyXmlSignature(r.signedXml).valid).toBe(true);
    const x = xmlsecVerify(r.signedXml, nfeCert.certPem);
    expect(x.output).toContain('OK');
    expect(x.code).toBe(0);
  });

  it('dhEmi before the entry is moved to the entry (dhCont never after dhEmi); back to tpEmis 1 drops dhCont/xJust', () => {
    const r = rekeyDocument(nfe.signedXml, { tpEmis: 6, contingencia: entry });
    expect(r.xml).toContain(`<dhEmi>${entry.dhCont}</dhEmi>`);
    const signed = signXml(r.xml, 'infNFe', nfeKey);
    const back = rekeyDocument(signed, { tpEmis: 1 });
    expect(back.xml).not.toContain('<dhCont>');
    expect(back.xml).not.toContain('<xJust>');
    expect(parseChave(back.chave).tpEmis).toBe(1);
  });

  it('xJust is 15–256 characters; tpEmis ≠ 1 needs dhCont and xJust', () => {
    expect(() => rekeyDocument(nfe.signedXml, { tpEmis: 6, contingencia: { ...entry, xJust: 'curta demais 14'.slice(0, 14) } })).toThrow(/pelo menos 15/);
    expect(() => rekeyDocument(nfe.signedXml, { tpEmis: 6, contingencia: { ...entry, xJust: 'x'.repeat(257) } })).toThrow(/no máximo 256/);
    expect(() => rekeyDocument(nfe.signedXml, { tpEmis: 6, contingencia: { ...entry, xJust: 'x'.repeat(256) } })).not.toThrow();
    expect(() => rekeyDocument(nfe.signedXml, { tpEmis: 6 })).toThrow(/dhCont/);
    expect(() => rekeyDocument(nfe.signedXml, { tpEmis: 8, contingencia: entry })).toThrow(/tpEmis 8/);
  });

  it('the EPEC (110140) of a tpEmis 4 NF-e: signed, valid against envEPEC_v1.00, verified by xmlsec1; refused for other tpEmis', () => {
    const epecNfe = resignInContingency(nfe.signedXml, { tpEmis: 4, contingencia: entry }, nfeKey);
    const ev = signXml(buildEpecOfNfe(epecNfe.signedXml, { verAplic: 'COMBOIO-1', dhEvento: '2026-11-20T10:01:00-03:00' }), 'infEvento', nfeKey);
    expect(ev).toContain(`<chNFe>${epecNfe.chave}</chNFe>`);
    expect(ev).toContain('<cOrgao>91</cOrgao>');
    expect(ev).toContain(`<dhEmi>${entry.dhCont}</dhEmi>`);
    expect(() => assertSchemaValid(envEvento('1', [ev]), { schemasDir, layout: 'PL_009_V4', schemaFile: 'envEPEC_v1.00.xsd' })).not.toThrow();
    const x = xmlsecVerify(ev, nfeCert.certPem, { tag: 'infEvento', ns: 'http://www.portalfiscal.inf.br/nfe' });
    expect(x.code).toBe(0);
    expect(() => buildEpecOfNfe(nfe.signedXml, { verAplic: 'COMBOIO-1', dhEvento: entry.dhCont })).toThrow(/tpEmis 4/);
  });
});

describe('CT-e in contingency', () => {
  const order = cteExample('frete-diesel-posto');
  order.emissao = '2026-11-20T09:59:00-03:00';
  const cte = emitCte(order, { certificate: cteKey, schemasDir });

  it.each([4, 7, 8])('tpEmis %i: new key, same number, QR code rebuilt, valid against PL_CTe_400, verified by xmlsec1', (tpEmis) => {
    const r = resignInContingency(cte.signedXml, { tpEmis, contingencia: entry }, cteKey);
    expect(parseChave(r.chave).tpEmis).toBe(tpEmis);
    expect(parseChave(r.chave).nNF).toBe(parseChave(cte.chave).nNF);
    expect(r.signedXml).toContain(`chCTe=${r.chave}&amp;tpAmb=2`);
    expect(r.signedXml).not.toContain(cte.chave);
    if (tpEmis === 4) expect(r.signedXml).toMatch(/&amp;sign=[A-Za-z0-9+/=]{100,}<\/qrCodCTe>/);
    else expect(r.signedXml).not.toContain('sign=');
    expect(r.signedXml).toMatch(/<dhCont>[^<]+<\/dhCont><xJust>[^<]+<\/xJust><\/ide>/);
    expect(validateXml(r.signedXml, { schemasDir, layout: 'PL_CTe_400' }).issues).toEqual([]);
    expect(() => assertModalValid(r.signedXml, schemasDir)).not.toThrow();
    const x = xmlsecVerify(r.signedXml, cteCert.certPem, { tag: 'infCte', ns: CTE_NS });
    expect(x.code).toBe(0);
  });

  it('CT-e 4.00 has no FS-DA (tpEmis 5) and no SVC-AN (6)', () => {
    expect(() => rekeyDocument(cte.signedXml, { tpEmis: 5, contingencia: entry })).toThrow(/não existe para CT-e/);
    expect(() => rekeyDocument(cte.signedXml, { tpEmis: 6, contingencia: entry })).toThrow(/não existe para CT-e/);
  });

  it('the CT-e EPEC (110113, evEPECCTe): signed, valid against eventoCTe and evEPECCTe, verified by xmlsec1', () => {
    const epec = resignInContingency(cte.signedXml, { tpEmis: 4, contingencia: entry }, cteKey);
    const ev = signXml(buildEpecOfCte(epec.signedXml, { dhEvento: '2026-11-20T10:01:00-03:00', xJust: entry.xJust }), 'infEvento', cteKey);
    expect(ev).toContain('<tpEvento>110113</tpEvento>');
    expect(ev).toContain('<toma4><toma>');
    expect(() => assertCteEventoValid(ev, schemasDir)).not.toThrow();
    expect(xmlsecVerify(ev, cteCert.certPem, { tag: 'infEvento', ns: CTE_NS }).code).toBe(0);
  });
});

describe('SVC per UF (official tables, svc-table.ts)', () => {
  it('NF-e: SVC-RS for AM BA GO MA MS MT PE PR, SVC-AN for the rest; tpEmis 6/7', () => {
    for (const uf of ['AM', 'BA', 'GO', 'MA', 'MS', 'MT', 'PE', 'PR'] as const) expect(nfeSvcOf(uf)).toBe('SVC-RS');
    for (const uf of ['SP', 'RS', 'MG', 'CE', 'PA', 'PI', 'RJ', 'DF'] as const) expect(nfeSvcOf(uf)).toBe('SVC-AN');
    expect(svcTpEmis('nfe', 'SP')).toBe(6);
    expect(svcTpEmis('nfe', 'PR')).toBe(7);
  });
  it('CT-e: SVC-RS for the UFs on their own authorizer or SVSP, SVC-SP for SVRS/RS ones; tpEmis 7/8', () => {
    expect(cteSvcOf('SP')).toBe('SVC-RS');
    expect(cteSvcOf('RS')).toBe('SVC-SP');
    expect(svcTpEmis('cte', 'SP')).toBe(7);
    expect(svcTpEmis('cte', 'BA')).toBe(8);
  });
});

describe('DANFE of contingency documents', () => {
  const nfe = normalNfe();
  const pdfText = async (xml: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'comboio-danfe-cont-'));
    try {
      const pdf = await renderDanfePdf(await danfeFromXml(xml), { resourcesDir: join(repoRoot, 'resources') });
      writeFileSync(join(dir, 'd.pdf'), pdf);
      if (process.env.COMBOIO_KEEP_PDF) writeFileSync(process.env.COMBOIO_KEEP_PDF, pdf);
      return spawnSync('pdftotext', ['-layout', join(dir, 'd.pdf'), '-'], { encoding: 'utf8' }).stdout;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('FS-DA: at least two vias, the contingency text and the 36-digit "dados da NF-e" with its mod-11 DV', async () => {
    const fsda = resignInContingency(nfe.signedXml, { tpEmis: 5, contingencia: entry }, nfeKey);
    const d = await danfeFromXml(fsda.signedXml);
    expect(requiredCopies(d)).toBe(2);
    expect(requiredCopies(d, 3)).toBe(3);
    expect(contingencyText(d)).toMatch(/FS-DA.*FORMULÁRIO DE SEGURANÇA/);
    const code = fsdaBarcodeData(d);
    expect(code).toMatch(/^\d{36}$/);
    expect(code.slice(0, 3)).toBe(`${fsda.chave.slice(0, 2)}5`);
    expect(code.slice(3, 17)).toBe(EMIT_CNPJ);
    expect(code.slice(-1)).toBe(mod11(code.slice(0, 35)));
    const text = await pdfText(fsda.signedXml);
    expect(text).toMatch(/CONTING[ÊE]NCIA \(FS-DA\)/);
  });

  it('EPEC: the DANFE carries the EPEC mark and needs one via', async () => {
    const epec = resignInContingency(nfe.signedXml, { tpEmis: 4, contingencia: entry }, nfeKey);
    const d = await danfeFromXml(epec.signedXml);
    expect(requiredCopies(d)).toBe(1);
    expect(await pdfText(epec.signedXml)).toMatch(/CONTING[ÊE]NCIA \(EPEC\)/);
  });
});
