import Decimal from 'decimal.js';
import { mod11 } from '../../src/core/printing/contingency';
import type { DanfeData, DanfeItem } from '../../src/core/printing/danfe-model';

/** A valid chave (cDV by the mod-11 rule) for the fixture's emitter, number and tpEmis. */
export function fixtureChave(nNF: number, tpEmis = '1', serie = 1): string {
  const body = `3524051122233300018155${String(serie).padStart(3, '0')}${String(nNF).padStart(9, '0')}${tpEmis}${String(10_000_000 + nNF).slice(-8)}`;
  return body + mod11(body);
}

const PRODUCTS = [
  { codigo: 'GC-001', descricao: 'GASOLINA C COMUM', ncm: '27101259', anp: '320102001', un: 'L', preco: '5.8790' },
  { codigo: 'DS10-02', descricao: 'ÓLEO DIESEL B S10 - AÇÃO ÉPICA', ncm: '27101921', anp: '820101034', un: 'L', preco: '6.0125' },
  { codigo: 'ETH-03', descricao: 'ETANOL HIDRATADO COMBUSTÍVEL (AEHC)', ncm: '22071090', anp: '810101001', un: 'L', preco: '4.1990' },
];

/**
 * DanfeData for tests (fixture, not from SEFAZ): `items` fuel items with accents that
 * CP850 carries (ÇÃÕÉ), quantities with 4 decimals and totals summed with decimal.js.
 */
export function danfeFixture(opts: { items?: number; nNF?: number; tpEmis?: string; withProtocol?: boolean } = {}): DanfeData {
  const n = opts.items ?? 1;
  const nNF = opts.nNF ?? 1234;
  const tpEmis = opts.tpEmis ?? '1';
  const itens: DanfeItem[] = [];
  let vProd = new Decimal(0);
  let vIcms = new Decimal(0);
  for (let i = 0; i < n; i++) {
    const p = PRODUCTS[i % PRODUCTS.length]!;
    const q = new Decimal(1000 + i * 37).plus(new Decimal(i % 7).dividedBy(4));
    const total = q.times(p.preco).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const icms = total.times('0.18').toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    vProd = vProd.plus(total);
    vIcms = vIcms.plus(icms);
    itens.push({
      codigo: `${p.codigo}-${String(i + 1).padStart(3, '0')}`,
      descricao: `${p.descricao} ITEM ${i + 1}`,
      ncm: p.ncm,
      cst: '061',
      cfop: '5656',
      unidade: p.un,
      quantidade: q.toFixed(4),
      valorUnitario: p.preco,
      valorTotal: total.toFixed(2),
      baseIcms: total.toFixed(2),
      valorIcms: icms.toFixed(2),
      aliquotaIcms: '18.00',
      informacoes: `ANP ${p.anp}`,
    });
  }
  const data: DanfeData = {
    chave: fixtureChave(nNF, tpEmis),
    numero: String(nNF),
    serie: '1',
    tpNF: '1',
    tpEmis,
    tpAmb: '2',
    naturezaOperacao: 'VENDA DE COMBUSTÍVEL ADQUIRIDO DE TERCEIROS',
    dhEmi: '2024-05-14T10:20:30-03:00',
    dhSaiEnt: '2024-05-14T11:00:00-03:00',
    emitente: {
      nome: 'DISTRIBUIDORA DE COMBUSTÍVEIS AÇAÍ LTDA',
      documento: '11222333000181',
      ie: '110042490114',
      endereco: { logradouro: 'RODOVIA DOS BANDEIRANTES', numero: 'KM 42', bairro: 'JARDIM SÃO JOÃO', municipio: 'CAIEIRAS', uf: 'SP', cep: '07700000', fone: '1144445555' },
    },
    destinatario: {
      nome: 'AUTO POSTO CORAÇÃO DE MARIA LTDA',
      documento: '44555666000199',
      ie: '123456789110',
      endereco: { logradouro: 'AVENIDA BRASIL', numero: '1500', complemento: 'SALA 2', bairro: 'CENTRO', municipio: 'SÃO PAULO', uf: 'SP', cep: '01010000', fone: '1133332222' },
    },
    itens,
    totais: {
      baseIcms: vProd.toFixed(2),
      valorIcms: vIcms.toFixed(2),
      baseIcmsSt: '0.00',
      valorIcmsSt: '0.00',
      valorProdutos: vProd.toFixed(2),
      valorFrete: '0.00',
      valorSeguro: '0.00',
      valorDesconto: '0.00',
      outrasDespesas: '0.00',
      valorIpi: '0.00',
      valorNota: vProd.toFixed(2),
    },
    transporte: {
      modalidade: '0',
      transportador: { nome: 'TRANSPORTES ÔNIBUS & CIA', documento: '99888777000166', ie: '998877665544', endereco: { logradouro: 'RUA DAS FLORES', numero: '10', bairro: 'VILA NOVA', municipio: 'JUNDIAÍ', uf: 'SP' } },
      placa: 'ABC1D23',
      ufVeiculo: 'SP',
      volumes: [{ quantidade: '1', especie: 'GRANEL', pesoLiquido: '25000.000', pesoBruto: '25400.000' }],
    },
    duplicatas: [
      { numero: '001', vencimento: '2024-06-13', valor: vProd.dividedBy(2).toDecimalPlaces(2).toFixed(2) },
      { numero: '002', vencimento: '2024-07-13', valor: vProd.minus(vProd.dividedBy(2).toDecimalPlaces(2)).toFixed(2) },
    ],
    pagamentos: [{ forma: '15', valor: vProd.toFixed(2) }],
    informacoesComplementares: 'PEDIDO 778899. PRODUTO ENTREGUE A GRANEL “SEM” EMBALAGEM – CONFERIR LACRES…',
  };
  if (opts.withProtocol ?? tpEmis === '1') data.protocolo = { nProt: '135240000012345', dhRecbto: '2024-05-14T10:21:02-03:00', cStat: '100' };
  if (tpEmis !== '1') data.contingencia = { dhCont: '2024-05-14T09:00:00-03:00', xJust: 'SEFAZ FORA DO AR DESDE AS 08H, CONTINGÊNCIA FS-DA' };
  return data;
}
