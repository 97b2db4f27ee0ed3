import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Order, OrderItem, OrderProduto } from '../../../../src/core/fiscal/order';
import { repoRoot } from '../../../helpers/proc';

export const EMIT_CNPJ = '11222333000181';

/** Every order in resources/examples (each is emitted by the matrix and by the CLI test). */
export const EXAMPLES = [
  'diesel-cst61-cnpj',
  'gasolina-lubrificante-descontos',
  'diesel-cpf',
  'etanol-hidratado-st',
  'lubrificante-st-interestadual',
  'diesel-bitrem-lacres',
  'glp-granel',
  'encargos-por-item',
  'devolucao-diesel-cpf',
  'complementar-preco-lubrificante',
  'entrada-vasilhames',
] as const;

export function exampleOrder(name: string): Order {
  return JSON.parse(readFileSync(join(repoRoot, 'resources', 'examples', `${name}.json`), 'utf8')) as Order;
}

export const fuels = {
  diesel: { codigo: 'DS10', descricao: 'OLEO DIESEL B S10', ncm: '27101921', unidade: 'L', anp: { codigo: '820101034', descricao: 'OLEO DIESEL B S10 - COMUM' }, pBio: '14', adRemIcms: '1.1200', adRemIcmsReten: '1.1200', adRemIbs: '0.0100', adRemCbs: '0.0200' },
  gasolina: { codigo: 'GC', descricao: 'GASOLINA C COMUM', ncm: '27101259', unidade: 'L', anp: { codigo: '320102001', descricao: 'GASOLINA C COMUM' }, adRemIcms: '1.4700', adRemIcmsReten: '1.4700', pDif: '100' },
};

export const lubrificante: OrderProduto = {
  codigo: 'LUB',
  descricao: 'OLEO LUBRIFICANTE 15W40',
  ncm: '27101932',
  unidade: 'UN',
  icms: { cst: '60' },
  cfop: { interna: '5405', interestadual: '6404' },
};

export type Recipient = 'cnpj' | 'cpf' | 'cnpjAlfa';

export function recipient(kind: Recipient): Order['destinatario'] {
  const endereco = { logradouro: 'RUA DO CLIENTE', numero: '10', bairro: 'CENTRO', codigoMunicipio: '3550308', municipio: 'SAO PAULO', uf: 'SP', cep: '01001000' };
  if (kind === 'cpf') return { cpf: '52998224725', razaoSocial: 'JOSE DA SILVA', endereco };
  if (kind === 'cnpjAlfa') return { cnpj: '12ABC34501DE35', razaoSocial: 'CLIENTE ALFANUMERICO LTDA', ie: '123456785016', endereco };
  return { cnpj: '99888777000100', razaoSocial: 'AUTO POSTO CLIENTE LTDA', ie: '123456785016', endereco };
}

/** A distributor order with `n` items of the given fuel (quantities vary to exercise rounding). */
export function fuelOrder(opts: { cst: string; items?: number; recipient?: Recipient; product?: keyof typeof fuels; transport?: boolean } = { cst: '61' }): Order {
  const base = exampleOrder('diesel-cst61-cnpj');
  const n = opts.items ?? 1;
  const product = fuels[opts.product ?? 'diesel'];
  const itens: OrderItem[] = Array.from({ length: n }, (_, i) => ({
    produto: { ...product, codigo: `${product.codigo}-${i + 1}` },
    quantidade: (1000 + i * 37.1234).toFixed(4),
    valorUnitario: (5.8 + (i % 7) * 0.0137).toFixed(4),
  }));
  const order: Order = {
    ...base,
    destinatario: recipient(opts.recipient ?? 'cnpj'),
    natureza: { ...base.natureza, icms: { cst: opts.cst, orig: '0' } },
    itens,
  };
  if (opts.transport === false) order.transporte = { modFrete: 9 };
  return order;
}
