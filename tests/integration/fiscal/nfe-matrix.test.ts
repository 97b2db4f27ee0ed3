import { describe, expect, it } from 'vitest';
import { loadA1, makeTestCertificate } from '../../../src/core/fiscal/certificate';
import { emitNfe } from '../../../src/core/fiscal/emit';
import { NFE_NAMESPACE } from '../../../src/core/fiscal/build';
import type { Order } from '../../../src/core/fiscal/order';
import { parseNfe } from '../../../src/core/fiscal/parse';
import { validateXml, type NfeLayout } from '../../../src/core/fiscal/schema-validate';
import { verifyXmlSignature } from '../../../src/core/fiscal/sign';
import { toXml } from '../../../src/core/fiscal/xml';
import { schemasDir } from '../../helpers/proc';
import { AppError } from '../../../src/core/errors';
import type { IcmsRule, OrderProduto } from '../../../src/core/fiscal/order';
import { EMIT_CNPJ, EXAMPLES, exampleOrder, fuelOrder, lubrificante } from '../../unit/fiscal/helpers/orders';
import { xmlsecVerify } from '../../unit/fiscal/helpers/xmlsec';

const cert = makeTestCertificate({ cnpj: EMIT_CNPJ, password: 'matriz' });
const certificate = loadA1(cert.pfx, 'matriz', { expectedCnpj: EMIT_CNPJ });
const cents = (s: string | undefined) => Math.round(Number(s ?? '0') * 100);

interface Case {
  name: string;
  layout: NfeLayout;
  order: () => Order;
}

const layouts: NfeLayout[] = ['PL_009_V4', 'PL_010_V1.30'];
const cases: Case[] = [];
for (const layout of layouts) {
  for (const cst of ['02', '15', '53', '61']) {
    for (const recipient of ['cnpj', 'cpf'] as const) {
      cases.push({ name: `CST ${cst}, ${recipient.toUpperCase()}`, layout, order: () => fuelOrder({ cst, recipient, product: cst === '53' ? 'gasolina' : 'diesel' }) });
    }
  }
  const discounts: Array<[string, (o: Order) => void]> = [
    ['item discount per liter', (o) => (o.itens[0]!.desconto = { porLitro: '0.0350' })],
    ['item discount %', (o) => (o.itens[0]!.desconto = { percentual: '2.75' })],
    ['order discount (especial)', (o) => (o.descontoEspecial = { valor: '123.45' })],
    ['customer discount (pagador)', (o) => (o.descontoPagador = { percentual: '1.3333' })],
    ['all three discounts', (o) => {
      o.itens.forEach((it, i) => (it.desconto = { porLitro: (0.01 * (i % 3)).toFixed(4) }));
      o.descontoEspecial = { valor: '77.77' };
      o.descontoPagador = { percentual: '0.5' };
    }],
  ];
  for (const [label, apply] of discounts) {
    cases.push({ name: `${label}, 3 items`, layout, order: () => { const o = fuelOrder({ cst: '61', items: 3 }); apply(o); return o; } });
  }
  cases.push({ name: '50 items, all discounts', layout, order: () => { const o = fuelOrder({ cst: '61', items: 50 }); o.descontoEspecial = { valor: '999.99' }; o.descontoPagador = { percentual: '2' }; return o; } });
  cases.push({ name: '990 items', layout, order: () => fuelOrder({ cst: '02', items: 990 }) });
  cases.push({ name: 'lubricant only, without transport', layout, order: () => {
    const o = fuelOrder({ cst: '61', transport: false });
    o.itens = [{ produto: lubrificante, quantidade: '24', valorUnitario: '45.90' }];
    return o;
  } });
  for (const ex of EXAMPLES) cases.push({ name: `example ${ex}`, layout, order: () => exampleOrder(ex) });
  // ICMS situations beyond the monofásico ones (issue #23), on a lubricant and on hydrated ethanol.
  const st = { modalidade: 4 as const, mva: '71.15', aliquota: '18', fcp: '2' };
  const icmsCases: Array<[string, IcmsRule]> = [
    ['CST 00 with FCP', { cst: '00', aliquota: '18', fcp: '2' }],
    ['CST 10, MVA, FCP-ST', { cst: '10', aliquota: '12', st }],
    ['CST 10, PMPF (pauta) with pRedBCST', { cst: '10', aliquota: '12', st: { modalidade: 5, valorPorUnidade: '4.87', reducaoBase: '10', aliquota: '25' } }],
    ['CST 20', { cst: '20', aliquota: '18', reducaoBase: '33.33' }],
    ['CST 30', { cst: '30', st: { ...st, aliquotaPropria: '12' } }],
    ['CST 40', { cst: '40' }],
    ['CST 41', { cst: '41' }],
    ['CST 50', { cst: '50' }],
    ['CST 51 with deferral', { cst: '51', aliquota: '18', diferimento: '33.3333' }],
    ['CST 60 with retained ST and FCP', { cst: '60', retido: { basePorUnidade: '45.1234', aliquota: '20', icmsSubstitutoPorUnidade: '4.1', fcp: '2' } }],
    ['CST 70', { cst: '70', aliquota: '18', reducaoBase: '20', st: { modalidade: 6, aliquota: '18', reducaoBase: '20' } }],
    ['CST 90 own + ST', { cst: '90', aliquota: '18', st }],
  ];
  for (const [label, icms] of icmsCases) {
    cases.push({ name: label, layout, order: () => { const o = fuelOrder({ cst: '61', transport: false }); o.itens = [{ produto: { ...lubrificante, icms, pisSt: { aliquota: '0.65', somaNoTotal: true }, cofinsSt: { valorPorUnidade: '0.1234', somaNoTotal: false }, cargaTributaria: '31.45' }, quantidade: '37', valorUnitario: '45.9071', frete: '12.34' }]; o.outrasDespesas = '7.77'; return o; } });
  }
  const csosnCases: Array<[string, IcmsRule]> = [
    ['CSOSN 101', { cst: '101', creditoSimples: '2.56' }],
    ['CSOSN 102', { cst: '102' }],
    ['CSOSN 201', { cst: '201', st, creditoSimples: '1.25' }],
    ['CSOSN 202', { cst: '202', st }],
    ['CSOSN 500', { cst: '500', retido: { basePorUnidade: '50', aliquota: '18' } }],
    ['CSOSN 900', { cst: '900', aliquota: '12', st, creditoSimples: '3' }],
  ];
  for (const [label, icms] of csosnCases) {
    cases.push({ name: `Simples Nacional ${label}`, layout, order: () => { const o = fuelOrder({ cst: '61', transport: false }); o.emitente.crt = 1; o.itens = [{ produto: { ...lubrificante, icms }, quantidade: '10', valorUnitario: '45.90' }]; return o; } });
  }
  cases.push({ name: 'CST 15 with pRedAdRem', layout, order: () => { const o = fuelOrder({ cst: '15', items: 2 }); o.natureza.icms = { cst: '15', reducaoAdRem: { percentual: '12.5', motivo: 1 } }; return o; } });
  cases.push({ name: 'CST 53 with partial deferral (qBCMonoDif)', layout, order: () => { const o = fuelOrder({ cst: '53', product: 'gasolina', items: 2 }); o.itens.forEach((it) => (it.produto.pDif = '40')); return o; } });
  cases.push({ name: 'ajuste (finNFe 3) without payment', layout, order: () => { const o = fuelOrder({ cst: '61' }); o.finalidade = 3; o.pagamentos = [{ tPag: '90' }]; return o; } });
  cases.push({ name: 'charges on 7 items apportioned in centavos', layout, order: () => { const o = fuelOrder({ cst: '15', items: 7 }); o.frete = '100.01'; o.seguro = '0.05'; o.outrasDespesas = '33.33'; o.itens[2]!.frete = '9.99'; return o; } });
}
cases.push({ name: 'alphanumeric CNPJ recipient, CST 61', layout: 'PL_010_V1.30', order: () => fuelOrder({ cst: '61', recipient: 'cnpjAlfa' }) });
cases.push({ name: 'alphanumeric CNPJ recipient, CST 15, 50 items', layout: 'PL_010_V1.30', order: () => fuelOrder({ cst: '15', recipient: 'cnpjAlfa', items: 50 }) });
cases.push({ name: 'IBS/CBS regular group', layout: 'PL_010_V1.30', order: () => { const o = fuelOrder({ cst: '61', items: 2 }); o.natureza.ibsCbs = { cst: '000', cClassTrib: '000001', pIBSUF: '0.1', pIBSMun: '0', pCBS: '0.9' }; return o; } });
for (const cst of ['02', '15', '53', '61']) {
  cases.push({ name: `IBS/CBS monofásico (CST 620) with ICMS ${cst}`, layout: 'PL_010_V1.30', order: () => { const o = fuelOrder({ cst, items: 2, product: cst === '53' ? 'gasolina' : 'diesel' }); o.itens.forEach((it) => Object.assign(it.produto, { adRemIbs: '0.0100', adRemCbs: '0.0200', pDif: '30' })); o.natureza.ibsCbs = { cst: '620', cClassTrib: '620001' }; return o; } });
}

describe('NF-e matrix: built, signed, valid against the official schemas, verified by xmlsec1', () => {
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases.map((c) => [`${c.layout}: ${c.name}`, c] as const))('%s', (_label, c) => {
    const order = c.order();
    const nfe = emitNfe(order, { layout: c.layout, certificate, schemasDir });
    const xml = nfe.signedXml;

    // Independent checks on the signed bytes.
    const schema = validateXml(xml, { schemasDir, layout: c.layout });
    expect(schema.issues).toEqual([]);
    const xmlsec = xmlsecVerify(xml, cert.certPem);
    expect(xmlsec.output).toContain('OK');
    expect(xmlsec.code).toBe(0);
    expect(verifyXmlSignature(xml)).toMatchObject({ valid: true, referenceId: `NFe${nfe.chave}` });
    expect(xml).not.toMatch(/>\s+</);

    // Totals are the sum of the items, in centavos.
    const inf = nfe.model.infNFe;
    const tot = inf.total.ICMSTot;
    expect(inf.det).toHaveLength(order.itens.length);
    expect(cents(tot.vProd)).toBe(inf.det.reduce((a, d) => a + cents(d.prod.vProd), 0));
    expect(cents(tot.vDesc)).toBe(inf.det.reduce((a, d) => a + cents(d.prod.vDesc), 0));
    const sumOf = (pick: (d: (typeof inf.det)[number]) => string | undefined) => inf.det.reduce((a, d) => a + cents(pick(d)), 0);
    const icmsOf = (d: (typeof inf.det)[number]) => Object.values(d.imposto.ICMS)[0]!;
    for (const name of ['vFrete', 'vSeg', 'vOutro'] as const) expect(cents(tot[name])).toBe(sumOf((d) => d.prod[name]));
    for (const [totName, itemName] of [['vBCST', 'vBCST'], ['vST', 'vICMSST'], ['vFCPST', 'vFCPST'], ['vFCPSTRet', 'vFCPSTRet'], ['vBC', 'vBC'], ['vICMS', 'vICMS'], ['vFCP', 'vFCP']] as const) {
      expect(cents(tot[totName])).toBe(sumOf((d) => icmsOf(d)[itemName]));
    }
    const pisCofinsSt = sumOf((d) => (d.imposto.PISST?.indSomaPISST === '1' ? d.imposto.PISST.vPIS : undefined)) + sumOf((d) => (d.imposto.COFINSST?.indSomaCOFINSST === '1' ? d.imposto.COFINSST.vCOFINS : undefined));
    // Rule 610: vNF = vProd − vDesc + vST + vFCPST + vFrete + vSeg + vOutro + vICMSMonoReten (+ PIS/COFINS-ST when summed).
    expect(cents(tot.vNF)).toBe(cents(tot.vProd) - cents(tot.vDesc) + cents(tot.vST) + cents(tot.vFCPST) + cents(tot.vFrete) + cents(tot.vSeg) + cents(tot.vOutro) + cents(tot.vICMSMonoReten) + pisCofinsSt);
    if (inf.total.vNFTot !== undefined) expect(cents(inf.total.vNFTot)).toBe(sumOf((d) => d.vItem));
    if (inf.det.some((d) => d.imposto.vTotTrib)) expect(cents(tot.vTotTrib)).toBe(sumOf((d) => d.imposto.vTotTrib));
    for (const d of inf.det) {
      // vProd = qCom × vUnCom to 2 decimals (computed here with integers: 4 + up to 10 decimals).
      const [qi, qf = ''] = d.prod.qCom.split('.');
      const [ui, uf = ''] = d.prod.vUnCom.split('.');
      const prod = BigInt(qi + qf) * BigInt(ui + uf);
      const scale = 10n ** BigInt(qf.length + uf.length - 2);
      expect(BigInt(cents(d.prod.vProd))).toBe((prod + scale / 2n) / scale);
    }
    expect(cents(inf.pag.detPag[0]!.vPag)).toBe(inf.pag.detPag[0]!.tPag === '90' ? 0 : cents(tot.vNF));
    if (['3', '4'].includes(inf.ide.finNFe)) expect(inf.pag.detPag.map((d) => d.tPag)).toEqual(['90']);
    if (inf.ide.idDest === '2') expect(inf.transp.veicTransp ?? inf.transp.reboque).toBeUndefined();

    // Parsing the signed document gives back the same model and the same bytes.
    const parsed = parseNfe(xml);
    expect(parsed.chave).toBe(nfe.chave);
    expect(`<NFe xmlns="${NFE_NAMESPACE}">${toXml('infNFe', parsed.infNFe)}</NFe>`).toBe(nfe.xml);
  });

  it('validates with the xmllint engine too (fallback)', () => {
    const nfe = emitNfe(fuelOrder({ cst: '61', items: 3 }), { layout: 'PL_009_V4', certificate, schemasDir, engine: 'xmllint' });
    expect(validateXml(nfe.signedXml, { schemasDir, layout: 'PL_009_V4', engine: 'xmllint' }).valid).toBe(true);
    const broken = nfe.signedXml.replace('<CFOP>5655</CFOP>', '<CFOP>56555</CFOP>');
    const r = validateXml(broken, { schemasDir, layout: 'PL_009_V4', engine: 'xmllint' });
    expect(r.valid).toBe(false);
    expect(r.issues[0]!.message).toMatch(/^Item 1, CFOP \(CFOP\): valor "56555" fora do formato exigido/);
    expect(r.issues[0]!.path).toBe('NFe/infNFe/det[1]/prod/CFOP');
  });
});

describe('NF-e matrix: refused before signing, naming the field and the rejection', () => {
  const glpOrder = () => exampleOrder('glp-granel');
  const refusals: Array<[string, () => Order, string, RegExp]> = [
    ['fuel sale whose transportador has no CNPJ/CPF', () => { const o = exampleOrder('diesel-cst61-cnpj'); delete o.transporte.transportador!.cnpj; return o; }, 'transporte.transportador.cnpj', /CNPJ ou o CPF do transportador \(rejeição 362\)/],
    ['transporter IE without UF', () => { const o = exampleOrder('diesel-cst61-cnpj'); delete o.transporte.transportador!.uf; return o; }, 'transporte.transportador.uf', /UF do transportador.*\(rejeição 559\)/],
    ['GLP without percentages', () => { const o = glpOrder(); delete o.itens[0]!.produto.glp; return o; }, 'itens[0].produto.glp', /pGLP, pGNn e pGNi.*\(rejeição 855\)/],
    ['GLP percentages not adding to 100', () => { const o = glpOrder(); o.itens[0]!.produto.glp!.pGNn = '8'; return o; }, 'itens[0].produto.glp', /somar 100% \(somam 100\.5%\) \(rejeição 855\)/],
    ['GLP without vPart', () => { const o = glpOrder(); delete (o.itens[0]!.produto.glp as Partial<NonNullable<OrderProduto['glp']>>).vPart; return o; }, 'itens[0].produto.glp.vPart', /vPart.*\(rejeição 856\)/],
    ['devolução without reference', () => { const o = exampleOrder('devolucao-diesel-cpf'); delete o.referencias; return o; }, 'referencias', /devolução exige o documento fiscal referenciado.*\(rejeição 321\)/],
    ['devolução with a sale payment', () => { const o = exampleOrder('devolucao-diesel-cpf'); o.pagamentos = [{ tPag: '15' }]; return o; }, 'pagamentos', /forma 90 \(sem pagamento\) \(rejeição 871\)/],
    ['devolução with a sale CFOP', () => { const o = exampleOrder('devolucao-diesel-cpf'); o.tipo = 'saida'; o.itens[0]!.produto.cfop = { interna: '5656', interestadual: '6656' }; return o; }, 'itens[0].cfop', /CFOP 5656, que não é de devolução.*\(rejeição 327\)/],
    ['ajuste with a payment', () => { const o = fuelOrder({ cst: '61' }); o.finalidade = 3; return o; }, 'pagamentos', /ajuste não tem pagamento.*\(rejeição 871\)/],
    ['complementar without reference', () => { const o = exampleOrder('complementar-preco-lubrificante'); o.referencias = []; return o; }, 'referencias', /complementar exige a nota complementada.*\(rejeição 254\)/],
    ['complementar with two references', () => { const o = exampleOrder('complementar-preco-lubrificante'); o.referencias!.push({ nfe: '35240511222333000181550010000012341123456789' }); return o; }, 'referencias', /\(rejeição 255\)/],
    ['referenced key of a CT-e given as NF-e', () => { const o = exampleOrder('complementar-preco-lubrificante'); o.referencias = [{ nfe: '35240511222333000181570010000007891876543210' }]; return o; }, 'referencias[0].nfe', /modelo 57, não de NF-e/],
    ['ANP description differing from the ANP table', () => { const o = exampleOrder('diesel-bitrem-lacres'); o.itens[0]!.produto.anp!.descricao = 'DIESEL S10'; return o; }, 'itens[0].produto.anp.descricao', /deve ser "OLEO DIESEL B S10 - COMUM" \(tabela da ANP\)/],
    ['six trailers', () => { const o = exampleOrder('diesel-bitrem-lacres'); o.transporte.reboques = Array.from({ length: 6 }, (_, i) => ({ placa: `BTM${i}C11` })); return o; }, 'transporte.reboques', /no máximo 5 reboques/],
    ['CST 10 without ST data', () => { const o = fuelOrder({ cst: '61', transport: false }); o.itens = [{ produto: { ...lubrificante, icms: { cst: '10', aliquota: '18' } }, quantidade: '1', valorUnitario: '10' }]; return o; }, 'itens[0].icms.st', /exige os dados do ICMS-ST/],
    ['entrada with a sale CFOP', () => { const o = exampleOrder('entrada-vasilhames'); o.natureza.cfop = { interna: '5920', interestadual: '6920' }; return o; }, 'itens[0].cfop', /não é de entrada interna \(1xxx\)/],
  ];
  it.each(refusals)('%s', (_label, make, field, message) => {
    let error: AppError | undefined;
    try {
      emitNfe(make(), { layout: 'PL_010_V1.30', certificate, schemasDir });
    } catch (err) {
      error = err as AppError;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error!.code).toBe('ORDER_INVALID');
    expect(error!.field).toBe(field);
    expect(error!.message).toMatch(message);
  });

  it('leaves veicTransp/reboque out of an interstate note (868) and keeps the plates in infCpl', () => {
    const o = exampleOrder('diesel-bitrem-lacres');
    o.destinatario = exampleOrder('gasolina-lubrificante-descontos').destinatario;
    const nfe = emitNfe(o, { layout: 'PL_009_V4', certificate, schemasDir });
    expect(nfe.model.infNFe.ide.idDest).toBe('2');
    expect(nfe.signedXml).not.toMatch(/<veicTransp>|<reboque>/);
    expect(nfe.model.infNFe.infAdic!.infCpl).toContain('Veiculo: FTR4A21/SP; reboques: BTM1C11/SP, BTM2C22/SP.');
    expect(nfe.notices.join(' ')).toMatch(/rejeição 868/);
    expect(nfe.model.infNFe.transp.vol![0]!.lacres).toHaveLength(9);
  });
});
