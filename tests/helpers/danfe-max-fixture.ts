import { danfeFixture } from './danfe-fixture';
import type { DanfeData } from '../../src/core/printing/danfe-model';

/**
 * A DANFE whose every printed field is as long as the NF-e 4.00 schema allows (fixture,
 * not from SEFAZ): 60-character names and address parts, a 60-character cProd, 120-character
 * xProd with a 500-character infAdProd, 5,000 characters of infCpl and 2,000 of infAdFisco.
 * Each value is made of distinct words so a lost line or a cut word shows in the decoded page.
 */
const words = (tag: string, length: number): string => {
  let s = '';
  for (let i = 1; s.length < length; i++) s += `${s ? ' ' : ''}${tag}${i}`;
  return s.slice(0, length).trimEnd().padEnd(length, 'X');
};

export function maximalDanfe(items = 3): DanfeData {
  const d = danfeFixture({ items });
  d.naturezaOperacao = words('NAT', 60);
  d.emitente.nome = words('EMITENTE', 60);
  d.emitente.ieSt = '12345678901234';
  d.emitente.ie = '98765432109876';
  d.emitente.endereco = {
    logradouro: words('AVENIDA', 60),
    numero: words('N', 60),
    complemento: `${words('BLOCO', 50)} 9 ANDAR`,
    bairro: words('BAIRRO', 60),
    municipio: words('MUNICIPIO', 60),
    uf: 'SP',
    cep: '07700000',
    fone: '11999998888777',
  };
  d.destinatario.nome = words('DESTINATARIO', 60);
  d.destinatario.ie = '11223344556677';
  d.destinatario.endereco = {
    logradouro: words('RUA', 60),
    numero: words('NUM', 60),
    complemento: words('COMPL', 60),
    bairro: words('BAIRRODEST', 60),
    municipio: words('CIDADE', 60),
    uf: 'MG',
    cep: '30110000',
    fone: '31999998888777',
  };
  d.transporte.transportador = {
    nome: words('TRANSPORTADORA', 60),
    documento: '99888777000166',
    ie: '55443322110099',
    endereco: { logradouro: words('ESTRADA', 60), numero: '', bairro: '', municipio: words('MUNTRANSP', 60), uf: 'SP' },
  };
  d.transporte.rntc = '12345678901234567890';
  d.transporte.placa = 'ABC1D23';
  d.transporte.volumes = [
    { quantidade: '999999999999999', especie: words('ESPECIE', 60), marca: words('MARCA', 60), numeracao: words('NVOL', 60), pesoLiquido: '999999999999.999', pesoBruto: '999999999999.998' },
  ];
  d.itens.forEach((item, i) => {
    item.codigo = words(`COD${i}X`, 60);
    item.descricao = words(`PROD${i}X`, 120);
    item.informacoes = words(`INFO${i}X`, 500);
    item.unidade = 'LITROS';
    item.quantidade = '99999999999.9999';
    item.valorUnitario = '99999999999.1234567891';
    item.valorTotal = '9999999999999.99';
    item.baseIcms = '9999999999999.98';
    item.valorIcms = '9999999999999.97';
    item.aliquotaIcms = '100.00';
  });
  d.totais.valorNota = '9999999999999.99';
  d.totais.valorProdutos = '9999999999999.98';
  d.informacoesComplementares = `${words('COMPLEMENTAR', 4900)} FIM-DO-INFCPL`;
  d.informacoesFisco = `${words('FISCO', 1980)} FIM-DO-FISCO`;
  return d;
}
