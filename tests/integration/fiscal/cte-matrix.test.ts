import { beforeAll, describe, expect, it } from 'vitest';
import { loadA1, makeTestCertificate } from '../../../src/core/fiscal/certificate';
import { cteOrderFromNfes, emitCte, parseCte, type CteOrder } from '../../../src/core/fiscal/cte';
import { emitNfe } from '../../../src/core/fiscal/emit';
import type { NfeModel } from '../../../src/core/fiscal/model';
import { parseNfe } from '../../../src/core/fiscal/parse';
import { validateXml } from '../../../src/core/fiscal/schema-validate';
import { verifyXmlSignature } from '../../../src/core/fiscal/sign';
import { schemasDir } from '../../helpers/proc';
import { CARRIER_CNPJ, cteExample, freight, parties } from '../../unit/fiscal/helpers/cte-orders';
import { EMIT_CNPJ, fuelOrder } from '../../unit/fiscal/helpers/orders';
import { xmlsecVerify } from '../../unit/fiscal/helpers/xmlsec';

const CTE_NS = 'http://www.portalfiscal.inf.br/cte';
const cert = makeTestCertificate({ cnpj: CARRIER_CNPJ, password: 'frota' });
const certificate = loadA1(cert.pfx, 'frota', { expectedCnpj: CARRIER_CNPJ });
const cents = (s: string | undefined) => Math.round(Number(s ?? '0') * 100);

/** Ten billed NF-e of the distributor to the same posto (real emitted, signed documents). */
let billed: NfeModel[] = [];

beforeAll(() => {
  const distributor = loadA1(makeTestCertificate({ cnpj: EMIT_CNPJ, password: 'matriz' }).pfx, 'matriz');
  billed = Array.from({ length: 10 }, (_, i) => {
    const order = fuelOrder({ cst: '61', items: 1 + (i % 3), product: i % 2 ? 'gasolina' : 'diesel' });
    order.numero = 2000 + i;
    return parseNfe(emitNfe(order, { layout: 'PL_009_V4', certificate: distributor, schemasDir }).signedXml);
  });
});

function fromNfes(n: number, change: (o: CteOrder) => void = () => {}): CteOrder {
  const base = cteExample('frete-base');
  const o = cteOrderFromNfes(billed.slice(0, n), base);
  change(o);
  return o;
}

interface Case {
  name: string;
  order: () => CteOrder;
  expect?: (inf: ReturnType<typeof parseCte>['infCte']) => void;
}

const cases: Case[] = [
  { name: 'example file (toma remetente, CST 00, 2 NF-e)', order: () => cteExample('frete-diesel-posto') },
  // Each tomador type: toma3 0..3 and toma4 with CNPJ / CPF.
  { name: 'tomador expedidor (toma 1)', order: () => freight((o) => { o.expedidor = parties.expedidor; o.tomador = { tipo: 'expedidor' }; }), expect: (i) => { expect(i.ide.toma3?.toma).toBe('1'); expect(i.ide.cMunIni).toBe('3536505'); } },
  { name: 'tomador recebedor (toma 2)', order: () => freight((o) => { o.recebedor = parties.recebedor; o.tomador = { tipo: 'recebedor' }; }), expect: (i) => { expect(i.ide.toma3?.toma).toBe('2'); expect(i.ide.cMunFim).toBe('3525904'); } },
  { name: 'tomador destinatário (toma 3)', order: () => freight((o) => (o.tomador = { tipo: 'destinatario' })), expect: (i) => expect(i.ide.toma3?.toma).toBe('3') },
  { name: 'tomador outro, CNPJ isento (toma 4, indIEToma 2)', order: () => freight((o) => (o.tomador = { tipo: 'outro', ...parties.outroCnpj })), expect: (i) => { expect(i.ide.toma4?.toma).toBe('4'); expect(i.ide.indIEToma).toBe('2'); expect(i.ide.toma4?.enderToma?.cMun).toBe('3548500'); } },
  { name: 'tomador outro, CPF não contribuinte (toma 4, indIEToma 9)', order: () => freight((o) => (o.tomador = { tipo: 'outro', ...parties.outroCpf })), expect: (i) => { expect(i.ide.toma4?.CPF).toBe('52998224725'); expect(i.ide.indIEToma).toBe('9'); } },
  { name: 'destinatário CPF, tomador destinatário (indIEToma 9)', order: () => freight((o) => { o.destinatario = parties.destinatarioCpf; o.tomador = { tipo: 'destinatario' }; }), expect: (i) => { expect(i.dest?.CPF).toBe('52998224725'); expect(i.ide.indIEToma).toBe('9'); } },
  { name: 'all four parties, interstate SP → MG (CFOP 6353)', order: () => freight((o) => { o.expedidor = parties.expedidor; o.recebedor = { ...parties.recebedor, endereco: parties.destinatarioMg.endereco, ie: undefined }; o.destinatario = parties.destinatarioMg; o.cfop = '6353'; }), expect: (i) => { expect(i.ide.UFFim).toBe('MG'); expect(i.exped?.CNPJ).toBe('44555666000181'); expect(i.receb).toBeDefined(); } },
  // Each ICMS case.
  { name: 'ICMS 00 at 7%', order: () => freight((o) => (o.icms = { cst: '00', aliquota: '7' })), expect: (i) => expect(i.imp.ICMS.ICMS00).toEqual({ CST: '00', vBC: '1946.40', pICMS: '7.00', vICMS: '136.25' }) },
  { name: 'ICMS 20 (33.33% reduction)', order: () => freight((o) => (o.icms = { cst: '20', aliquota: '12', reducaoBase: '33.33' })), expect: (i) => expect(i.imp.ICMS.ICMS20).toEqual({ CST: '20', pRedBC: '33.33', vBC: '1297.66', pICMS: '12.00', vICMS: '155.72' }) },
  { name: 'ICMS 20 with desoneração and cBenef', order: () => freight((o) => (o.icms = { cst: '20', aliquota: '12', reducaoBase: '10', desoneracao: { valor: '23.36', cBenef: 'SP800001' } })), expect: (i) => expect(i.imp.ICMS.ICMS20).toMatchObject({ vICMSDeson: '23.36', cBenef: 'SP800001' }) },
  { name: 'ICMS 45 / CST 40 (isenta)', order: () => freight((o) => (o.icms = { cst: '40' })), expect: (i) => expect(i.imp.ICMS.ICMS45).toEqual({ CST: '40' }) },
  { name: 'ICMS 45 / CST 41 (não tributada)', order: () => freight((o) => (o.icms = { cst: '41' })), expect: (i) => expect(i.imp.ICMS.ICMS45).toEqual({ CST: '41' }) },
  { name: 'ICMS 45 / CST 51 (diferida)', order: () => freight((o) => (o.icms = { cst: '51' })), expect: (i) => expect(i.imp.ICMS.ICMS45).toEqual({ CST: '51' }) },
  { name: 'ICMS 60 (ST retido pelo tomador, with crédito)', order: () => freight((o) => (o.icms = { cst: '60', aliquota: '12', credito: '46.71' })), expect: (i) => expect(i.imp.ICMS.ICMS60).toEqual({ CST: '60', vBCSTRet: '1946.40', vICMSSTRet: '233.57', pICMSSTRet: '12.00', vCred: '46.71' }) },
  { name: 'ICMS 90 plain', order: () => freight((o) => (o.icms = { cst: '90', aliquota: '12' })), expect: (i) => expect(i.imp.ICMS.ICMS90).toEqual({ CST: '90', vBC: '1946.40', pICMS: '12.00', vICMS: '233.57' }) },
  { name: 'ICMS 90 with reduction and crédito outorgado', order: () => freight((o) => (o.icms = { cst: '90', aliquota: '12', reducaoBase: '20', credito: '37.37' })), expect: (i) => expect(i.imp.ICMS.ICMS90).toEqual({ CST: '90', pRedBC: '20.00', vBC: '1557.12', pICMS: '12.00', vICMS: '186.85', vCred: '37.37' }) },
  { name: 'Simples Nacional (CRT 1, ICMSSN)', order: () => freight((o) => { o.emitente.crt = 1; o.icms = { cst: 'SN' }; }), expect: (i) => { expect(i.imp.ICMS.ICMSSN).toEqual({ CST: '90', indSN: '1' }); expect(i.emit.CRT).toBe('1'); } },
  // From billed NF-e.
  { name: 'from 1 billed NF-e', order: () => fromNfes(1), expect: (i) => { expect(i.infCTeNorm.infDoc?.infNFe).toEqual([{ chave: billed[0]!.chave }]); expect(i.infCTeNorm.infCarga.vCarga).toBe(billed[0]!.infNFe.total.ICMSTot.vNF); } },
  { name: 'from 10 billed NF-e, tomador destinatário, CST 90', order: () => fromNfes(10, (o) => { o.tomador = { tipo: 'destinatario' }; o.icms = { cst: '90', aliquota: '12' }; }), expect: (i) => {
    expect(i.infCTeNorm.infDoc?.infNFe?.map((r) => r.chave)).toEqual(billed.map((b) => b.chave));
    expect(cents(i.infCTeNorm.infCarga.vCarga)).toBe(billed.reduce((a, b) => a + cents(b.infNFe.total.ICMSTot.vNF), 0));
    const litres = billed.flatMap((b) => b.infNFe.det).reduce((a, d) => a + Number(d.prod.qCom), 0);
    expect(Number(i.infCTeNorm.infCarga.infQ[0]!.qCarga)).toBeCloseTo(litres, 4);
    expect(i.compl?.ObsCont?.map((c) => c.xTexto).join(' ')).toMatch(/ONU 1202.*ONU 1203|ONU 1203.*ONU 1202/);
  } },
  { name: 'vRec below vTPrest, three components', order: () => freight((o) => { o.prestacao = { componentes: [{ nome: 'FRETE VALOR', valor: '1200.00' }, { nome: 'PEDAGIO', valor: '80.15' }, { nome: 'GRIS', valor: '12.03' }], valorReceber: '1000.00' }; }), expect: (i) => expect(i.vPrest).toMatchObject({ vTPrest: '1292.18', vRec: '1000.00' }) },
  { name: 'quantities in M3 and KG, no vehicle or driver', order: () => freight((o) => { o.carga.quantidades = [{ unidade: 'M3', tipoMedida: 'VOLUME', quantidade: '10.0000' }, { unidade: 'KG', tipoMedida: 'PESO BRUTO', quantidade: '8400.5000' }]; delete o.veiculo; delete o.motorista; delete o.produtosPerigosos; delete o.observacoes; }), expect: (i) => { expect(i.infCTeNorm.infCarga.infQ.map((q) => q.cUnid)).toEqual(['00', '01']); expect(i.compl).toBeUndefined(); } },
];

describe('CT-e matrix: built, signed, valid against PL_CTe_400, verified by xmlsec1', () => {
  it('has at least 20 cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_label, c) => {
    const cte = emitCte(c.order(), { certificate, schemasDir });
    const xml = cte.signedXml;
    expect(validateXml(xml, { schemasDir, layout: 'PL_CTe_400' }).issues).toEqual([]);
    const xmlsec = xmlsecVerify(xml, cert.certPem, { tag: 'infCte', ns: CTE_NS });
    expect(xmlsec.output).toContain('OK');
    expect(xmlsec.code).toBe(0);
    expect(verifyXmlSignature(xml)).toMatchObject({ valid: true, referenceId: `CTe${cte.chave}` });
    expect(xml).not.toMatch(/>\s+</);
    expect(xml).toMatch(/<\/infCte><infCTeSupl><qrCodCTe>[^<]+<\/qrCodCTe><\/infCTeSupl><Signature /);

    const parsed = parseCte(xml);
    expect(parsed.chave).toBe(cte.chave);
    expect(parsed.chave.slice(20, 22)).toBe('57');
    const inf = parsed.infCte;
    expect(cents(inf.vPrest.vTPrest)).toBe((inf.vPrest.Comp ?? []).reduce((a, x) => a + cents(x.vComp), 0));
    c.expect?.(inf);
  });

  it('a tampered CT-e fails xmlsec1 and our verifier', () => {
    const xml = emitCte(cteExample('frete-diesel-posto'), { certificate, schemasDir }).signedXml.replace('<vTPrest>1946.40</vTPrest>', '<vTPrest>1.00</vTPrest>');
    expect(xmlsecVerify(xml, cert.certPem, { tag: 'infCte', ns: CTE_NS }).code).not.toBe(0);
    expect(verifyXmlSignature(xml).valid).toBe(false);
  });

  it('alphanumeric CNPJ: PL_CTe_400 only admits numeric CNPJ, so the CT-e is refused with the field and a pt-BR reason', () => {
    const order = freight((o) => (o.destinatario = { ...o.destinatario, cnpj: '12ABC34501DE35' }));
    expect(() => emitCte(order, { certificate, schemasDir })).toThrow(expect.objectContaining({ code: 'ORDER_INVALID', field: 'destinatario.cnpj', message: expect.stringContaining('PL_CTe_400') }));
  });

  it('bad input names the field: wrong CFOP direction, Simples with CST 00, unknown tomador party, certificate of another CNPJ', () => {
    expect(() => emitCte(freight((o) => (o.cfop = '6353')), { certificate, schemasDir })).toThrow(expect.objectContaining({ code: 'ORDER_INVALID', field: 'cfop' }));
    expect(() => emitCte(freight((o) => (o.emitente.crt = 1)), { certificate, schemasDir })).toThrow(expect.objectContaining({ field: 'icms.cst' }));
    expect(() => emitCte(freight((o) => (o.tomador = { tipo: 'expedidor' })), { certificate, schemasDir })).toThrow(expect.objectContaining({ field: 'tomador.tipo' }));
    expect(() => emitCte(freight((o) => (o.documentos.nfe = [o.documentos.nfe[0]!, o.documentos.nfe[0]!])), { certificate, schemasDir })).toThrow(expect.objectContaining({ field: 'documentos.nfe[1].chave' }));
    const other = loadA1(makeTestCertificate({ cnpj: EMIT_CNPJ, password: 'x' }).pfx, 'x');
    expect(() => emitCte(freight(), { certificate: other, schemasDir })).toThrow(expect.objectContaining({ code: 'CERT_CNPJ_MISMATCH' }));
  });
});
