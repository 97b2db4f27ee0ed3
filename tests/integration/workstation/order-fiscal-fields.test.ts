import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNfe } from '../../../src/core/fiscal/parse';
import { renderDanfeEscp } from '../../../src/core/printing/danfe-escp';
import { renderDanfePdf } from '../../../src/core/printing/danfe-pdf';
import { loadLayout } from '../../../src/core/printing/layout';
import { danfeFromNfe } from '../../../src/core/printing/nfe-adapter';
import { decodeEscp, pageLines } from '../../helpers/escp-decoder';
import type { OrderDto, OrderItemDto } from '../../../src/shared/api/billing';
import type { EstablishmentDto } from '../../../src/shared/api/admin';
import { DEMO_CUSTOMERS, DEMO_ESTABLISHMENT, DEMO_NATUREZAS, DEMO_PRODUCTS } from '../../../src/core/demo/catalog';
import { loadA1, makeTestCertificate } from '../../../src/core/fiscal/certificate';
import { emitNfe } from '../../../src/core/fiscal/emit';
import { hashCsrt } from '../../../src/core/fiscal/resp-tec';
import type { NfeLayout } from '../../../src/core/fiscal/schema-validate';
import { verifyXmlSignature } from '../../../src/core/fiscal/sign';
import { respTecOf, toFiscalOrder, type OrderCatalog } from '../../../src/core/workstation/fiscal-order';
import { checkOrderFiscal } from '../../../src/core/workstation/order-input';
import { orderTotals } from '../../../src/core/workstation/order-totals';
import { checkedRespTec } from '../../../src/core/workstation/resp-tec-setting';
import type { AppError } from '../../../src/core/errors';
import { normalizeFieldPath } from '../../../src/renderer/src/lib/field-paths';
import { repoRoot, schemasDir } from '../../helpers/proc';
import { xmlsecVerify } from '../../unit/fiscal/helpers/xmlsec';

// Issue #23, the order screen's side: what the faturista types on the order (ST per item,
// fuel group, trailers, seals, charges, references, entries, the responsável técnico of the
// establishment) reaches a signed NF-e that both schema packages accept, with the real
// demo catalog and a real (generated) A1 certificate.
const cert = makeTestCertificate({ cnpj: DEMO_ESTABLISHMENT.cnpj, password: 'x' });
const certificate = loadA1(cert.pfx, 'x', { expectedCnpj: DEMO_ESTABLISHMENT.cnpj });
const catalog: OrderCatalog = {
  customer: (id) => DEMO_CUSTOMERS.find((c) => c.id === id) ?? null,
  product: (id) => DEMO_PRODUCTS.find((p) => p.id === id) ?? null,
  natureza: (id) => DEMO_NATUREZAS.find((n) => n.id === id) ?? null,
};
const none = { tipo: 'nenhum', valor: '0' } as const;
const noFiscal = { aliquotaICMS: null, icmsSt: null, icmsRetido: null, cfop: null, frete: null, seguro: null, outrasDespesas: null, qTemp: null, cide: null, glp: null, origem: [] };
const item = (productId: string, quantidade: string, precoUnitario: string, fiscal: Partial<OrderItemDto['fiscal'] & object> = {}, cstICMS: string | null = null): OrderItemDto => ({
  productId,
  quantidade,
  precoUnitario,
  desconto: none,
  cstICMS,
  adRemICMS: null,
  fiscal: { ...noFiscal, ...fiscal },
});
function order(p: Partial<OrderDto>): OrderDto {
  return {
    id: 'o1',
    numeroPedido: '1',
    customerId: 'cli-posto-estrela',
    naturezaId: 'nat-venda-comb-61',
    items: [],
    descontoEspecial: none,
    descontoPagador: none,
    transporte: { modFrete: 0, transportadorDocumento: '11444777000161', transportadorNome: 'TRANSPORTES RAPIDO LTDA', placa: 'ABC1D23', ufPlaca: 'SP' },
    tPag: '15',
    observacoes: '',
    status: 'rascunho',
    documentId: null,
    createdAt: '2026-12-07T10:00:00-03:00',
    updatedAt: '2026-12-07T10:00:00-03:00',
    ...p,
  };
}
const establishment: EstablishmentDto = {
  ...DEMO_ESTABLISHMENT,
  respTec: { cnpj: '11444777000161', contato: 'Suporte Comboio', email: 'suporte@comboio.example', fone: '1130001000', idCSRT: '01', csrt: 'G8063VRTNDMO886SFNK5LDUDEI24XJ22YIPO' },
};

function emit(o: OrderDto, layout: NfeLayout) {
  checkOrderFiscal(o);
  const fiscal = toFiscalOrder(o, catalog, establishment, { serie: 1, numero: 77, ambiente: 2, emissao: '2026-12-07T10:00:00-03:00' });
  const emitted = emitNfe(fiscal, { layout, cNF: '12345678', certificate, schemasDir, respTec: respTecOf(establishment)! });
  expect(verifyXmlSignature(emitted.signedXml).valid).toBe(true);
  return emitted;
}

const etanolSt = () =>
  order({
    naturezaId: 'nat-venda-st',
    pedidoCliente: 'PC-4471',
    frete: '150.00',
    items: [
      item('prod-etanol-hidratado', '10000', '3.8900', { aliquotaICMS: '12', icmsSt: { modalidade: 5, mva: null, valorPorUnidade: '4.8700', reducaoBase: null, aliquota: '12', fcp: '2' }, seguro: '12.50', outrasDespesas: '5.00' }),
      item('prod-lub-15w40', '24', '389.90', { cfop: '5405', icmsRetido: { basePorUnidade: '520.00', aliquota: '18', icmsSubstitutoPorUnidade: '46.79', fcp: null } }, '60'),
    ],
    transporte: {
      modFrete: 0,
      transportadorDocumento: '11444777000161',
      transportadorNome: 'TRANSPORTES RAPIDO LTDA',
      placa: 'ABC1D23',
      ufPlaca: 'SP',
      rntc: '12345678',
      reboques: [
        { placa: 'REB1A11', uf: 'SP', rntc: '12345678' },
        { placa: 'REB2B22', uf: 'SP', rntc: null },
      ],
      volume: { quantidade: '1', especie: 'GRANEL', pesoLiquido: '8090.000', pesoBruto: '8090.000', lacres: ['SP0011201', 'SP0011202', 'SP0011203'] },
    },
  });

describe('order screen fields → signed NF-e (issue #23)', () => {
  for (const layout of ['PL_009_V4', 'PL_010_V1.30'] as NfeLayout[]) {
    it(`ethanol with ICMS-ST and a lubricant with retained ST, on a bitrem with seals, charges per item and per order, compra, infRespTec with hashCSRT (${layout})`, () => {
      const { signedXml, chave } = emit(etanolSt(), layout);
      expect(signedXml).toMatch(/<ICMS10><orig>0<\/orig><CST>10<\/CST><modBC>3<\/modBC><vBC>[\d.]+<\/vBC><pICMS>12.0000<\/pICMS>/);
      // 10,000 L × R$ 4.87 PMPF = 48,700.00 × 12% = 5,844.00 less the own ICMS.
      expect(signedXml).toContain('<modBCST>5</modBCST><vBCST>48700.00</vBCST><pICMSST>12.0000</pICMSST>');
      expect(signedXml).toContain('<pFCPST>2.0000</pFCPST><vFCPST>974.00</vFCPST>');
      expect(signedXml).toMatch(/<ICMS60><orig>0<\/orig><CST>60<\/CST><vBCSTRet>12480.00<\/vBCSTRet><pST>18.0000<\/pST><vICMSSubstituto>1122.96<\/vICMSSubstituto>/);
      expect(signedXml).toMatch(/<CFOP>5405<\/CFOP>/);
      expect(signedXml).toMatch(/<vSeg>12.50<\/vSeg>/);
      expect(signedXml).toMatch(/<vOutro>5.00<\/vOutro>/);
      expect(signedXml).toMatch(/<ICMSTot>.*<vFrete>150.00<\/vFrete><vSeg>12.50<\/vSeg>/);
      expect(signedXml).toContain('<veicTransp><placa>ABC1D23</placa><UF>SP</UF><RNTC>12345678</RNTC></veicTransp><reboque><placa>REB1A11</placa><UF>SP</UF><RNTC>12345678</RNTC></reboque><reboque><placa>REB2B22</placa><UF>SP</UF></reboque>');
      expect(signedXml).toContain('<lacres><nLacre>SP0011201</nLacre></lacres><lacres><nLacre>SP0011202</nLacre></lacres><lacres><nLacre>SP0011203</nLacre></lacres>');
      expect(signedXml).toContain('<compra><xPed>PC-4471</xPed></compra>');
      expect(signedXml).toContain(`<infRespTec><CNPJ>11444777000161</CNPJ><xContato>Suporte Comboio</xContato><email>suporte@comboio.example</email><fone>1130001000</fone><idCSRT>01</idCSRT><hashCSRT>${hashCsrt(establishment.respTec!.csrt!, chave)}</hashCSRT></infRespTec>`);
      expect(signedXml).toContain('<descANP>ETANOL HIDRATADO COMUM</descANP>');
      expect(xmlsecVerify(signedXml, cert.certPem).code).toBe(0);
    });

    it(`GLP with its shares, CIDE, origin of the fuel and qTemp (${layout})`, () => {
      const o = order({
        items: [item('prod-glp-granel', '6500', '7.2100', { glp: { pGLP: '92.5', pGNn: '7.5', pGNi: '0', vPart: '4.85' }, origem: [{ importado: false, uf: 'SP', percentual: '100' }] })],
      });
      const { signedXml } = emit(o, layout);
      expect(signedXml).toContain('<cProdANP>210203001</cProdANP><descANP>GLP</descANP><pGLP>92.5000</pGLP><pGNn>7.5000</pGNn><pGNi>0.0000</pGNi><vPart>4.85</vPart>');
      expect(signedXml).toContain('<origComb><indImport>0</indImport><cUFOrig>35</cUFOrig><pOrig>100</pOrig></origComb>');
      const d = order({ items: [item('prod-diesel-s10', '15000', '5.8790', { qTemp: '15042.3100', cide: '0.0500' })] });
      const diesel = emit(d, layout).signedXml;
      expect(diesel).toContain('<qTemp>15042.3100</qTemp>');
      expect(diesel).toContain('<CIDE><qBCProd>15000.0000</qBCProd><vAliqProd>0.0500</vAliqProd><vCIDE>750.00</vCIDE></CIDE>');
    });

    it(`devolução from a customer who issues no note: entrada (tpNF 0), finNFe 4, the original NF-e referenced, tPag 90 (${layout})`, () => {
      const original = emit(order({ items: [item('prod-diesel-s500', '1000', '5.7390')] }), layout).chave;
      const o = order({
        naturezaId: 'nat-venda-devolucao',
        tipo: 'entrada',
        finalidade: 4,
        referencias: [{ modelo: '55', chave: original }],
        tPag: '90',
        transporte: { modFrete: 9, transportadorDocumento: null, transportadorNome: null, placa: null, ufPlaca: null },
        items: [item('prod-diesel-s500', '250', '5.7390')],
      });
      const { signedXml } = emit(o, layout);
      expect(signedXml).toContain('<tpNF>0</tpNF>');
      expect(signedXml).toContain('<finNFe>4</finNFe>');
      expect(signedXml).toContain(`<NFref><refNFe>${original}</refNFe></NFref>`);
      expect(signedXml).toContain('<CFOP>1662</CFOP>');
      expect(signedXml).toMatch(/<tPag>90<\/tPag><vPag>0.00<\/vPag>/);
    });
  }

  it('refusals name the rule and the field the editor shows them on', () => {
    const refusal = (o: OrderDto) => {
      try {
        emit(o, 'PL_009_V4');
      } catch (err) {
        const e = err as AppError;
        return { message: e.message, field: normalizeFieldPath(e.field) };
      }
      throw new Error('emitted');
    };
    const glp = refusal(order({ items: [item('prod-glp-granel', '6500', '7.2100')] }));
    expect(glp.message).toContain('855');
    expect(glp.field).toBe('items[0].glp');
    const st = refusal(order({ naturezaId: 'nat-venda-st', items: [item('prod-etanol-hidratado', '100', '3.89', { aliquotaICMS: '12' })] }));
    expect(st.field).toBe('items[0].icmsSt');
    expect(st.message).toMatch(/ICMS-ST/);
    const dev = refusal(order({ naturezaId: 'nat-venda-devolucao', tipo: 'entrada', finalidade: 4, tPag: '90', transporte: { modFrete: 9, transportadorDocumento: null, transportadorNome: null, placa: null, ufPlaca: null }, items: [item('prod-diesel-s500', '1', '5')] }));
    expect(dev.message).toContain('321');
    expect(dev.field).toBe('referencias');
    const trailer = refusal(order({ items: [item('prod-diesel-s10', '1', '5')], transporte: { ...etanolSt().transporte, reboques: [{ placa: 'X1', uf: 'SP', rntc: null }] } }));
    expect(trailer.field).toBe('transporte.reboques[0].placa');
    expect(trailer.message).toContain('Placa do reboque 1');
    expect(() => checkOrderFiscal(order({ referencias: [{ modelo: '55', chave: '123' }] }))).toThrow(/44 caracteres/);
  });

  it('interstate: veicTransp and reboques are left out (868) and the plates go to infCpl', () => {
    const o = etanolSt();
    o.customerId = 'cli-posto-mineiro';
    o.naturezaId = 'nat-venda-comb-61';
    o.items = [item('prod-diesel-s10', '30000', '5.8790')];
    const { signedXml } = emit(o, 'PL_009_V4');
    expect(signedXml).not.toContain('<veicTransp>');
    expect(signedXml).not.toContain('<reboque>');
    expect(signedXml).toMatch(/<infCpl>[^<]*ABC1D23\/SP; reboques: REB1A11\/SP, REB2B22\/SP/);
    expect(signedXml).toContain('<nLacre>SP0011203</nLacre>');
    // The editor's Totais panel tells the faturista, as a notice, not a blocker.
    const t = orderTotals(o, catalog, establishment, 'PL_009_V4');
    expect(t.pendencias).toEqual([]);
    expect(t.avisos?.join(' ')).toMatch(/interestadual.*868/);
  });

  it('totals show the ICMS-ST and the charges as the note carries them', () => {
    const t = orderTotals(etanolSt(), catalog, establishment, 'PL_009_V4');
    expect(t.pendencias).toEqual([]);
    expect(t.encargosCentavos).toBe(15000 + 1250 + 500);
    expect(t.icmsStCentavos).toBeGreaterThan(0);
    expect(t.totalCentavos).toBe(t.produtosCentavos + t.encargosCentavos + t.icmsStCentavos);
  });

  it('the DANFE (PDF and pre-printed form) of the screen\'s ST/bitrem note shows ST, retained ST, trailers, seals and charges (FIXTURE protocol, no SEFAZ)', async () => {
    const { signedXml, chave } = emit(etanolSt(), 'PL_009_V4');
    const prot =
      `<protNFe versao="4.00"><infProt><tpAmb>2</tpAmb><verAplic>FIXTURE-SEM-SEFAZ</verAplic><chNFe>${chave}</chNFe>` +
      `<dhRecbto>2026-12-07T10:20:00-03:00</dhRecbto><nProt>135260000012345</nProt><cStat>100</cStat><xMotivo>Autorizado o uso da NF-e</xMotivo></infProt></protNFe>`;
    const d = danfeFromNfe(parseNfe(`<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00">${signedXml}${prot}</nfeProc>`));
    const resources = join(repoRoot, 'resources');
    const out = join(repoRoot, 'tests', '.artifacts');
    mkdirSync(out, { recursive: true });
    const pdf = join(out, 'issue23-danfe-st-bitrem.pdf');
    writeFileSync(pdf, await renderDanfePdf(d, { resourcesDir: resources }));
    // Looked at as PNG (pdftoppm) in the issue note; the text is what the test holds.
    execFileSync('pdftoppm', ['-png', '-r', '110', '-f', '1', '-l', '1', pdf, join(out, 'issue23-danfe-st-bitrem')]);
    const pdfText = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    const form = decodeEscp(renderDanfeEscp(d, loadLayout(resources, 'danfe-continuo')).bytes).pages.flatMap(pageLines).join('\n');
    for (const token of ['48.700,00', '974,00', '12.480,00', 'REB1A11', 'REB2B22', 'SP0011201', 'SP0011202', 'SP0011203', 'Seguro R$', '150,00']) {
      expect(pdfText, `PDF: ${token}`).toContain(token);
      expect(form, `form: ${token}`).toContain(token);
    }
  });

  it('hashCSRT is the NT 2018.005 example: base64(SHA-1(CSRT + chave))', () => {
    expect(hashCsrt('G8063VRTNDMO886SFNK5LDUDEI24XJ22YIPO', '41180678393592000146558900000006041028190697')).toBe('aWv6LeEM4X6u4+qBI2OYZ8grigw=');
  });

  it('the responsável técnico setting is checked by the builder\'s rules; the CSRT is write-only and kept when left blank', () => {
    expect(() => checkedRespTec({ cnpj: '123', contato: 'X Y', email: 'a@b.co', fone: '1130001000', idCSRT: null, csrt: null }, null)).toThrow(/CNPJ do responsável técnico/);
    expect(() => checkedRespTec({ ...establishment.respTec!, csrt: 'short' }, null)).toThrow(/16 a 36/);
    const kept = checkedRespTec({ ...establishment.respTec!, csrt: null }, establishment.respTec);
    expect(kept?.csrt).toBe(establishment.respTec!.csrt);
    expect(checkedRespTec({ cnpj: '', contato: '', email: '', fone: '', idCSRT: null, csrt: null }, establishment.respTec)).toBeNull();
  });
});
