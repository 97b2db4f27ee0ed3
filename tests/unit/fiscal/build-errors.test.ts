import { describe, expect, it } from 'vitest';
import { buildNfe } from '../../../src/core/fiscal/build';
import { AppError } from '../../../src/core/errors';
import type { Order } from '../../../src/core/fiscal/order';
import { exampleOrder, fuelOrder } from './helpers/orders';

function failure(order: Order, layout: 'PL_009_V4' | 'PL_010_V1.30' = 'PL_009_V4'): AppError {
  try {
    buildNfe(order, { layout });
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected buildNfe to fail');
}

describe('buildNfe rejects bad orders with the field and a pt-BR message', () => {
  const cases: Array<[string, (o: Order) => void, string, RegExp]> = [
    ['invalid recipient CNPJ', (o) => (o.destinatario.cnpj = '99888777000101'), 'destinatario.cnpj', /^CNPJ do destinatário inválido/],
    ['invalid CPF', (o) => { delete o.destinatario.cnpj; delete o.destinatario.ie; o.destinatario.cpf = '52998224726'; }, 'destinatario.cpf', /^CPF do destinatário inválido/],
    ['invalid IE for the UF', (o) => (o.destinatario.ie = '123456785017'), 'destinatario.ie', /^Inscrição estadual do destinatário inválida para SP: .*campo destinatario\.ie/],
    ['invalid emitente IE', (o) => (o.emitente.ie = '110042490115'), 'emitente.ie', /^Inscrição estadual do emitente inválida/],
    ['fuel without ANP code', (o) => delete o.itens[0]!.produto.anp, 'itens[0].produto.anp.codigo', /sem código ANP/],
    ['zero quantity', (o) => (o.itens[0]!.quantidade = '0'), 'itens[0].quantidade', /^Quantidade do item 1 deve ser maior que zero\.$/],
    ['negative quantity', (o) => (o.itens[0]!.quantidade = '-10.5'), 'itens[0].quantidade', /maior que zero/],
    ['quantity with 5 decimals', (o) => (o.itens[0]!.quantidade = '1.00001'), 'itens[0].quantidade', /no máximo 4 casas/],
    // Issue #22 item 6: messages name the field as the screen labels it, never the JSON path.
    ['invalid transporter CNPJ', (o) => (o.transporte = { modFrete: 0, transportador: { nome: 'Transportes Rapido Ltda', cnpj: '11222333000100' } }), 'transporte.transportador.cnpj', /^CNPJ do transportador inválido/],
    ['observações too long', (o) => (o.observacoes = 'x'.repeat(5999)), 'observacoes', /^Informações complementares: \d+ caracteres, o máximo é 5000\. Encurte o texto\.$/],
    ['fuel without transportador (362)', (o) => (o.transporte = { modFrete: 9 }), 'transporte.transportador', /rejeição 362/],
    ['municipality of another UF', (o) => (o.destinatario.endereco.codigoMunicipio = '3106200'), 'destinatario.endereco.codigoMunicipio', /^Município do destinatário \(código IBGE 3106200\) não pertence à UF SP/],
    ['discount larger than the item', (o) => (o.itens[0]!.desconto = { valor: '999999.00' }), 'itens[0].desconto', /maior que o valor do produto/],
    ['two discount forms', (o) => (o.itens[0]!.desconto = { valor: '1.00', percentual: '1' }), 'itens[0].desconto', /única forma/],
    ['monofásico CST without ad rem rate', (o) => delete o.itens[0]!.produto.adRemIcms, 'itens[0].produto.adRemIcms', /alíquota ad rem/],
    ['bad emission date', (o) => (o.emissao = '2026-11-20 10:00'), 'emissao', /ISO com fuso/],
  ];
  it.each(cases)('%s', (_name, mutate, field, message) => {
    const order = exampleOrder('diesel-cst61-cnpj');
    mutate(order);
    const err = failure(order);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });

  it('more than 990 items', () => {
    const err = failure(fuelOrder({ cst: '61', items: 991 }));
    expect(err.field).toBe('itens');
    expect(err.message).toMatch(/no máximo 990 itens; o pedido tem 991/);
  });

  it('alphanumeric CNPJ needs PL_010_V1.30', () => {
    const err = failure(fuelOrder({ cst: '61', recipient: 'cnpjAlfa' }), 'PL_009_V4');
    expect(err.message).toMatch(/exige o leiaute PL_010_V1.30/);
  });
});

describe('buildNfe computes', () => {
  it('the three discounts in order and apportions them exactly', () => {
    const { model } = buildNfe(exampleOrder('gasolina-lubrificante-descontos'), { layout: 'PL_009_V4' });
    const [gas, lub] = model.infNFe.det;
    // gasoline 61990.00 − 300.00 (0.03/L); lubricant 4678.80 − 233.94 (5%): net 66134.86;
    // especial 250.00 → 65884.86; pagador 1.5% = 988.27 → 64896.59.
    expect(gas!.prod.vProd).toBe('61990.00');
    expect(lub!.prod.vProd).toBe('4678.80');
    expect(model.infNFe.total.ICMSTot.vDesc).toBe('1772.21');
    expect(model.infNFe.total.ICMSTot.vNF).toBe('64896.59');
    expect(Math.round(Number(gas!.prod.vDesc) * 100) + Math.round(Number(lub!.prod.vDesc) * 100)).toBe(177221);
    expect(model.infNFe.total.ICMSTot.vICMSMonoRet).toBe('14700.00');
    expect(model.infNFe.ide.idDest).toBe('2');
    expect(gas!.prod.CFOP).toBe('6655');
    expect(lub!.prod.CFOP).toBe('6404');
    expect(lub!.prod.comb).toBeUndefined();
  });

  it('rounds ICMSTot quantities to 2 decimals after summing at 4', () => {
    const o = fuelOrder({ cst: '61', items: 2 });
    o.itens[0]!.quantidade = '0.0049';
    o.itens[1]!.quantidade = '0.0049';
    const { model } = buildNfe(o, { layout: 'PL_009_V4' });
    expect(model.infNFe.total.ICMSTot.qBCMonoRet).toBe('0.01');
    expect(model.infNFe.det[0]!.imposto.ICMS.ICMS61!.qBCMonoRet).toBe('0.0049');
  });

  it('puts a random cNF different from nNF into a valid key, and the homologation name into dest', () => {
    const a = buildNfe(exampleOrder('diesel-cpf'), { layout: 'PL_009_V4' });
    const b = buildNfe(exampleOrder('diesel-cpf'), { layout: 'PL_009_V4' });
    expect(a.chave).not.toBe(b.chave);
    expect(a.model.infNFe.ide.cNF).not.toBe(String(a.model.infNFe.ide.nNF).padStart(8, '0'));
    expect(a.model.infNFe.dest!.xNome).toBe('NF-E EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL');
    expect(a.model.infNFe.ide.indFinal).toBe('1');
    expect(a.model.infNFe.dest!.indIEDest).toBe('9');
  });
});
