import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CteOrder, CteParty } from '../../../../src/core/fiscal/cte/order';
import { repoRoot } from '../../../helpers/proc';

/** The carrier of the examples (another CNPJ than the distributor 11222333000181). */
export const CARRIER_CNPJ = '22333444000181';

export function cteExample(name: string): CteOrder {
  return JSON.parse(readFileSync(join(repoRoot, 'resources', 'examples', 'cte', `${name}.json`), 'utf8')) as CteOrder;
}

const address = (municipio: string, codigoMunicipio: string, uf: string) => ({ logradouro: 'RUA DA ENTREGA', numero: '77', bairro: 'CENTRO', codigoMunicipio, municipio, uf, cep: '13000000' });

export const parties = {
  expedidor: { cnpj: '44555666000181', razaoSocial: 'BASE DE CARREGAMENTO PAULINIA LTDA', ie: '206038010010', endereco: address('PAULINIA', '3536505', 'SP') } satisfies CteParty,
  recebedor: { cnpj: '99888777000100', razaoSocial: 'AUTO POSTO ESTRADA REAL LTDA', ie: '123456785016', endereco: address('JUNDIAI', '3525904', 'SP') } satisfies CteParty,
  outroCnpj: { cnpj: '11444777000161', razaoSocial: 'TRADING DE COMBUSTIVEIS SA', ie: 'ISENTO', endereco: address('SANTOS', '3548500', 'SP') } satisfies CteParty,
  outroCpf: { cpf: '52998224725', razaoSocial: 'JOSE DA SILVA', endereco: address('SOROCABA', '3552205', 'SP') } satisfies CteParty,
  destinatarioCpf: { cpf: '52998224725', razaoSocial: 'JOSE DA SILVA (CONSUMIDOR)', endereco: address('SAO PAULO', '3550308', 'SP') } satisfies CteParty,
  destinatarioMg: { cnpj: '99888777000100', razaoSocial: 'AUTO POSTO MINAS LTDA', endereco: address('UBERABA', '3170107', 'MG') } satisfies CteParty,
};

/** The example freight order with changes. */
export function freight(change: (o: CteOrder) => void = () => {}): CteOrder {
  const o = cteExample('frete-diesel-posto');
  change(o);
  return o;
}
