import type { DacteData, DacteParty } from './dacte-model';
import { renderForm, type Calibration, type FormData, type RenderedForm, type Values } from './form-engine';
import type { FormLayout } from './layout';

function partyValues(prefix: string, p: DacteParty | undefined): Values {
  if (!p) return {};
  return {
    [`${prefix}.nome`]: p.nome,
    [`${prefix}.endereco`]: p.endereco,
    [`${prefix}.municipio`]: `${p.municipio} - ${p.uf}  CEP ${p.cep}`,
    [`${prefix}.documentos`]: `CNPJ/CPF ${p.documento}  IE ${p.ie}`,
  };
}

/** DACTE values for a continuous-form layout: the same formatted data the PDF prints; documents are the item band. */
export function dacteFormValues(d: DacteData): FormData {
  const values: Values = {
    'emitente.nome': d.emitente.nome,
    'emitente.endereco': d.emitente.endereco,
    'emitente.municipio': `${d.emitente.municipio} - ${d.emitente.uf}  CEP ${d.emitente.cep}${d.emitente.fone ? `  FONE ${d.emitente.fone}` : ''}`,
    'emitente.documentos': `CNPJ/CPF ${d.emitente.documento}  IE ${d.emitente.ie}`,
    'dacte.modeloSerieNumero': `MOD ${d.modelo} SÉRIE ${d.serie} Nº ${d.numero}`,
    'dacte.emissao': `EMISSÃO ${d.emissao}`,
    'dacte.modal': `MODAL ${d.modal}`,
    'chave.formatada': d.chaveFormatada,
    protocolo: d.protocolo ? `PROTOCOLO ${d.protocolo}` : 'CT-e NÃO AUTORIZADO',
    'ambiente.aviso': d.homologacao ? 'SEM VALOR FISCAL - HOMOLOGAÇÃO' : undefined,
    contingencia: d.contingencia,
    'tipo.cte': `CT-e ${d.tipoCte}`,
    'tipo.servico': `SERVIÇO ${d.tipoServico}`,
    'tomador.papel': `TOMADOR: ${d.tomadorPapel.toUpperCase()}`,
    'forma.emissao': d.contingencia ? 'CONTINGÊNCIA' : 'EMISSÃO NORMAL',
    'cfop.natureza': d.cfopNatureza,
    'prestacao.inicio': `INÍCIO ${d.inicio}`,
    'prestacao.fim': `TÉRMINO ${d.fim}`,
    ...partyValues('remetente', d.remetente),
    ...partyValues('destinatario', d.destinatario),
    ...partyValues('expedidor', d.expedidor),
    ...partyValues('recebedor', d.recebedor),
    ...partyValues('tomador', d.tomador),
    'carga.produto': `PRODUTO ${d.produtoPredominante}`,
    'carga.valor': `VALOR DA CARGA R$ ${d.valorCarga}`,
    'carga.quantidades': d.quantidades.join('   '),
    'prestacao.componentes': d.componentes.map((c) => `${c.nome} ${c.valor}`).join('   '),
    'prestacao.total': `VALOR TOTAL DA PRESTAÇÃO R$ ${d.valorTotal}`,
    'prestacao.receber': `VALOR A RECEBER R$ ${d.valorReceber}`,
    'icms.linha': `ICMS ${d.icms.situacao}  BC ${d.icms.base}  ALÍQ ${d.icms.aliquota}  VALOR ${d.icms.valor}${d.icms.st ? `  ST ${d.icms.st}` : ''}`,
    observacoes: d.observacoes.join(' | '),
    'rodoviario.rntrc': `RNTRC ${d.rntrc}`,
  };
  return { values, items: d.documentos.map((documento) => ({ documento })), barcodes: { chave: d.chave } };
}

/** The DACTE as ESC/P for the pre-printed continuous form (layout `dacte-continuo`), same engine as the DANFE. */
export function renderDacteEscp(data: DacteData, layout: FormLayout, calibration?: Calibration): RenderedForm {
  return renderForm(layout, dacteFormValues(data), calibration);
}
