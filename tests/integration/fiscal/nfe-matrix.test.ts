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
import { EMIT_CNPJ, exampleOrder, fuelOrder, lubrificante } from '../../unit/fiscal/helpers/orders';
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
  for (const ex of ['diesel-cst61-cnpj', 'gasolina-lubrificante-descontos', 'diesel-cpf']) cases.push({ name: `example ${ex}`, layout, order: () => exampleOrder(ex) });
}
cases.push({ name: 'alphanumeric CNPJ recipient, CST 61', layout: 'PL_010_V1.30', order: () => fuelOrder({ cst: '61', recipient: 'cnpjAlfa' }) });
cases.push({ name: 'alphanumeric CNPJ recipient, CST 15, 50 items', layout: 'PL_010_V1.30', order: () => fuelOrder({ cst: '15', recipient: 'cnpjAlfa', items: 50 }) });
cases.push({ name: 'IBS/CBS regular group', layout: 'PL_010_V1.30', order: () => { const o = fuelOrder({ cst: '61', items: 2 }); o.natureza.ibsCbs = { cst: '000', cClassTrib: '000001', pIBSUF: '0.1', pIBSMun: '0', pCBS: '0.9' }; return o; } });
cases.push({ name: 'IBS/CBS monofásico (CST 620)', layout: 'PL_010_V1.30', order: () => { const o = fuelOrder({ cst: '02', items: 2 }); o.natureza.ibsCbs = { cst: '620', cClassTrib: '620001' }; return o; } });

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
    expect(cents(tot.vNF)).toBe(cents(tot.vProd) - cents(tot.vDesc) + cents(tot.vICMSMonoReten));
    for (const d of inf.det) {
      // vProd = qCom × vUnCom to 2 decimals (computed here with integers: 4 + up to 10 decimals).
      const [qi, qf = ''] = d.prod.qCom.split('.');
      const [ui, uf = ''] = d.prod.vUnCom.split('.');
      const prod = BigInt(qi + qf) * BigInt(ui + uf);
      const scale = 10n ** BigInt(qf.length + uf.length - 2);
      expect(BigInt(cents(d.prod.vProd))).toBe((prod + scale / 2n) / scale);
    }
    expect(cents(inf.pag.detPag[0]!.vPag)).toBe(inf.pag.detPag[0]!.tPag === '90' ? 0 : cents(tot.vNF));

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
