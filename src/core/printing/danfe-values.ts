import { contingencyText, fsdaBarcodeData, isFsDa } from './contingency';
import type { DanfeData, DanfeItem } from './danfe-model';
import type { Values } from './form-engine';
import { formatChave } from '../fiscal/chave';
import {
  formatAddressLine,
  formatCep,
  formatDate,
  formatDateTime,
  formatDecimal,
  formatDocumento,
  formatFormaPagamento,
  formatModFrete,
  formatNumeroNota,
  formatTime,
  money,
} from './format';

/** What the item line carries besides its columns: ST values and its charges (issue #23). */
function itemExtras(item: DanfeItem): string {
  const st = item.icmsSt;
  const e = item.encargos;
  const parts = [
    st?.valor ? `BC ST R$ ${money(st.base)} ICMS-ST R$ ${money(st.valor)}` : '',
    st?.fcp ? `FCP-ST R$ ${money(st.fcp)}` : '',
    st?.valorRetido ? `ST retido ant.: BC R$ ${money(st.baseRetido)} ICMS R$ ${money(st.valorRetido)}` : '',
    e?.frete ? `Frete R$ ${money(e.frete)}` : '',
    e?.seguro ? `Seguro R$ ${money(e.seguro)}` : '',
    e?.outras ? `Outras R$ ${money(e.outras)}` : '',
  ];
  return parts.filter(Boolean).join('; ');
}

/** Item columns as both the form and the PDF print them. */
export function itemValues(item: DanfeItem): Values {
  const extra = [item.informacoes, itemExtras(item)].filter(Boolean).join(' - ');
  return {
    codigo: item.codigo,
    descricao: extra ? `${item.descricao} - ${extra}` : item.descricao,
    ncm: item.ncm,
    cst: item.cst,
    cfop: item.cfop,
    unidade: item.unidade,
    quantidade: formatDecimal(item.quantidade, 4),
    valorUnitario: formatDecimal(item.valorUnitario, 4),
    valorTotal: money(item.valorTotal),
    valorDesconto: money(item.valorDesconto),
    baseIcms: money(item.baseIcms),
    valorIcms: money(item.valorIcms),
    aliquotaIcms: formatDecimal(item.aliquotaIcms, 2),
    valorIpi: money(item.valorIpi),
    aliquotaIpi: formatDecimal(item.aliquotaIpi, 2),
  };
}

export function faturaResumo(d: DanfeData): string {
  const dups = d.duplicatas.map((p) => `${p.numero} ${formatDate(p.vencimento)} R$ ${money(p.valor)}`);
  if (dups.length > 0) return `DUPLICATAS: ${dups.join('; ')}`;
  const pags = d.pagamentos.map((p) => `${formatFormaPagamento(p.forma)} R$ ${money(p.valor)}`);
  return pags.length > 0 ? `PAGAMENTO: ${pags.join('; ')}` : '';
}

export function protocoloText(d: DanfeData): string {
  return d.protocolo ? `${d.protocolo.nProt} ${formatDateTime(d.protocolo.dhRecbto)}` : '';
}

export function informacoesComplementares(d: DanfeData): string {
  const parts = [d.informacoesComplementares];
  if (d.contingencia) parts.push(`Contingência desde ${formatDateTime(d.contingencia.dhCont)}: ${d.contingencia.xJust}`);
  if (d.totais.valorTributos) parts.push(`Valor aproximado dos tributos: R$ ${money(d.totais.valorTributos)}`);
  if (d.totais.valorIcmsMonoRetido) parts.push(`ICMS monofásico retido anteriormente: R$ ${money(d.totais.valorIcmsMonoRetido)}`);
  if (d.totais.valorFcpSt) parts.push(`FCP retido por ST: R$ ${money(d.totais.valorFcpSt)}`);
  const t = d.transporte;
  if (t.reboques?.length) parts.push(`Reboques: ${t.reboques.map((r) => [r.placa, r.uf, r.rntc ? `RNTC ${r.rntc}` : ''].filter(Boolean).join(' ')).join('; ')}`);
  const lacres = t.volumes.flatMap((v) => v.lacres ?? []);
  if (lacres.length) parts.push(`Lacres: ${lacres.join(', ')}`);
  return parts.filter(Boolean).join(' | ');
}

export const homologacaoAviso = (d: DanfeData): string | undefined =>
  d.tpAmb === '2' ? 'SEM VALOR FISCAL - EMITIDA EM HOMOLOGAÇÃO' : undefined;

/** Flat values for the form layouts (keys match resources/forms/danfe-*.json). */
export function danfeFormValues(d: DanfeData): { values: Values; items: Values[]; barcodes: Values } {
  const e = d.emitente;
  const dest = d.destinatario;
  const t = d.transporte;
  const vol = t.volumes[0];
  const tr = t.transportador;
  const values: Values = {
    'canhoto.texto': `RECEBEMOS DE ${e.nome} OS PRODUTOS CONSTANTES DA NOTA FISCAL INDICADA AO LADO. EMISSÃO: ${formatDate(d.dhEmi)} DEST.: ${dest.nome} VALOR TOTAL: R$ ${money(d.totais.valorNota)}`,
    'nota.numero': `Nº ${formatNumeroNota(d.numero)}`,
    'nota.serie': `SÉRIE ${d.serie}`,
    'nota.tpNF': d.tpNF,
    'emitente.nome': e.nome,
    'emitente.endereco': formatAddressLine(e.endereco),
    'emitente.bairroMunicipio': e.endereco
      ? [`${e.endereco.bairro} - ${e.endereco.municipio}/${e.endereco.uf}`, `CEP ${formatCep(e.endereco.cep)}`, e.endereco.fone ? `FONE ${e.endereco.fone}` : ''].filter(Boolean).join(' - ')
      : '',
    'emitente.ie': e.ie,
    'emitente.ieSt': e.ieSt,
    'emitente.cnpj': formatDocumento(e.documento),
    'chave.formatada': formatChave(d.chave),
    'ambiente.aviso': homologacaoAviso(d),
    'contingencia.texto': contingencyText(d),
    natureza: d.naturezaOperacao,
    protocolo: protocoloText(d),
    'dest.nome': dest.nome,
    'dest.documento': formatDocumento(dest.documento),
    'dest.endereco': formatAddressLine(dest.endereco),
    'dest.bairro': dest.endereco?.bairro,
    'dest.cep': formatCep(dest.endereco?.cep),
    'dest.municipio': dest.endereco?.municipio,
    'dest.fone': dest.endereco?.fone,
    'dest.uf': dest.endereco?.uf,
    'dest.ie': dest.ie,
    'nota.dataEmissao': formatDate(d.dhEmi),
    'nota.dataSaida': formatDate(d.dhSaiEnt),
    'nota.horaSaida': formatTime(d.dhSaiEnt),
    'fatura.resumo': faturaResumo(d),
    'totais.baseIcms': money(d.totais.baseIcms),
    'totais.valorIcms': money(d.totais.valorIcms),
    'totais.baseIcmsSt': money(d.totais.baseIcmsSt),
    'totais.valorIcmsSt': money(d.totais.valorIcmsSt),
    'totais.valorProdutos': money(d.totais.valorProdutos),
    'totais.valorFrete': money(d.totais.valorFrete),
    'totais.valorSeguro': money(d.totais.valorSeguro),
    'totais.valorDesconto': money(d.totais.valorDesconto),
    'totais.outrasDespesas': money(d.totais.outrasDespesas),
    'totais.valorIpi': money(d.totais.valorIpi),
    'totais.valorNota': money(d.totais.valorNota),
    'transp.nome': tr?.nome,
    'transp.modalidade': formatModFrete(t.modalidade),
    'transp.rntc': t.rntc,
    'transp.placa': t.placa,
    'transp.ufVeiculo': t.ufVeiculo,
    'transp.documento': formatDocumento(tr?.documento),
    'transp.endereco': tr?.endereco ? formatAddressLine(tr.endereco) : undefined,
    'transp.municipio': tr?.endereco?.municipio,
    'transp.uf': tr?.endereco?.uf,
    'transp.ie': tr?.ie,
    'volumes.quantidade': vol?.quantidade,
    'volumes.especie': vol?.especie,
    'volumes.marca': vol?.marca,
    'volumes.numeracao': vol?.numeracao,
    'volumes.pesoBruto': formatDecimal(vol?.pesoBruto, 3),
    'volumes.pesoLiquido': formatDecimal(vol?.pesoLiquido, 3),
    'adicionais.complementares': informacoesComplementares(d),
    'adicionais.fisco': d.informacoesFisco,
    'adicionais.continua': 'CONTINUAÇÃO DA FOLHA ANTERIOR',
  };
  const barcodes: Values = { chave: d.chave, fsda: isFsDa(d) ? fsdaBarcodeData(d) : undefined };
  return { values, items: d.itens.map(itemValues), barcodes };
}
