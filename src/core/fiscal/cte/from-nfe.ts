import { orderError } from '../errors';
import type { Endereco, NfeModel } from '../model';
import { centsToText, D, fixed, textToCents } from '../money';
import type { OrderEndereco } from '../order';
import type { CteOrder, CteParty } from './order';

/** What the carrier decides; parties, cargo and documents come from the billed NF-e. */
export type CteFromNfeBase = Omit<CteOrder, 'remetente' | 'destinatario' | 'documentos' | 'carga' | 'cfop' | 'natureza' | 'tomador'> & {
  cfop?: string;
  natureza?: string;
  tomador?: CteOrder['tomador'];
  carga?: Partial<CteOrder['carga']>;
};

function orderAddress(e: Endereco | undefined): OrderEndereco {
  if (!e) throw orderError('nfe', 'NF-e sem endereço do emitente/destinatário.');
  return { logradouro: e.xLgr, numero: e.nro, complemento: e.xCpl, bairro: e.xBairro, codigoMunicipio: e.cMun, municipio: e.xMun, uf: e.UF, cep: e.CEP, telefone: e.fone };
}

/** UN numbers of the fuels a distributor carries (ABNT NBR 7500 / Resolução ANTT 5.998). */
const DANGEROUS: Array<[RegExp, { onu: string; nomeEmbarque: string; classe: string; grupoEmbalagem: string }]> = [
  [/DIESEL/, { onu: '1202', nomeEmbarque: 'OLEO DIESEL', classe: '3', grupoEmbalagem: 'III' }],
  [/GASOLINA/, { onu: '1203', nomeEmbarque: 'GASOLINA', classe: '3', grupoEmbalagem: 'II' }],
  [/ETANOL|ALCOOL/, { onu: '1170', nomeEmbarque: 'ETANOL', classe: '3', grupoEmbalagem: 'II' }],
];

/**
 * One freight order from one or several billed NF-e of the same remetente and destinatário:
 * the keys are taken from the documents (never retyped), cargo value is Σ vNF, litres are
 * Σ qCom of the items sold in L, the predominant product is the item of largest value, and
 * the vehicle of the NF-e is the default vehicle.
 */
export function cteOrderFromNfes(nfes: NfeModel[], base: CteFromNfeBase): CteOrder {
  if (nfes.length === 0) throw orderError('documentos.nfe', 'Escolha ao menos uma NF-e faturada.');
  const first = nfes[0]!.infNFe;
  const emitId = (m: NfeModel) => m.infNFe.emit.CNPJ ?? m.infNFe.emit.CPF;
  const destId = (m: NfeModel) => m.infNFe.dest?.CNPJ ?? m.infNFe.dest?.CPF;
  for (const m of nfes) {
    if (emitId(m) !== emitId(nfes[0]!) || destId(m) !== destId(nfes[0]!)) {
      throw orderError('documentos.nfe', `A NF-e ${m.chave} tem outro emitente ou destinatário: um CT-e leva NF-e do mesmo remetente para o mesmo destinatário.`);
    }
    if (m.protNFe && m.protNFe.infProt.cStat !== '100' && m.protNFe.infProt.cStat !== '150') {
      throw orderError('documentos.nfe', `A NF-e ${m.chave} não está autorizada (cStat ${m.protNFe.infProt.cStat}).`);
    }
  }
  if (!first.dest?.enderDest) throw orderError('documentos.nfe', 'A NF-e não tem destinatário com endereço.');
  const remetente: CteParty = {
    ...(first.emit.CNPJ ? { cnpj: first.emit.CNPJ } : { cpf: first.emit.CPF! }),
    razaoSocial: first.emit.xNome,
    nomeFantasia: first.emit.xFant,
    ie: first.emit.IE,
    endereco: orderAddress(first.emit.enderEmit),
  };
  const d = first.dest;
  const destinatario: CteParty = {
    ...(d.CNPJ ? { cnpj: d.CNPJ } : { cpf: d.CPF! }),
    razaoSocial: d.xNome ?? '',
    ie: d.IE ?? (d.indIEDest === '2' ? 'ISENTO' : undefined),
    email: d.email,
    endereco: orderAddress(d.enderDest),
  };
  let vCargaCents = 0;
  let litres = new D(0);
  const byProduct = new Map<string, number>();
  for (const m of nfes) {
    vCargaCents += textToCents(m.infNFe.total.ICMSTot.vNF);
    for (const det of m.infNFe.det) {
      if (/^L(T|ITROS?)?$/i.test(det.prod.uCom)) litres = litres.plus(det.prod.qCom);
      const name = det.prod.comb?.descANP ?? det.prod.xProd;
      byProduct.set(name, (byProduct.get(name) ?? 0) + textToCents(det.prod.vProd));
    }
  }
  const proPred = [...byProduct.entries()].sort((a, b) => b[1] - a[1])[0]![0].slice(0, 60);
  // The service starts where the expedidor (else the remetente) hands the cargo over and ends at the recebedor (else the destinatário).
  const startUf = base.inicio?.uf ?? base.expedidor?.endereco.uf ?? first.emit.enderEmit.UF;
  const endUf = base.fim?.uf ?? base.recebedor?.endereco.uf ?? d.enderDest!.UF;
  const sameUf = startUf === endUf;
  const veic = first.transp?.veicTransp;
  const produtosPerigosos = [...byProduct.keys()]
    .map((name) => DANGEROUS.find(([re]) => re.test(name.toUpperCase()))?.[1])
    .filter((p, i, all): p is NonNullable<typeof p> => !!p && all.findIndex((q) => q?.onu === p.onu) === i);
  return {
    ...base,
    cfop: base.cfop ?? (sameUf ? '5353' : '6353'),
    natureza: base.natureza ?? 'PRESTACAO DE SERVICO DE TRANSPORTE',
    remetente,
    destinatario,
    tomador: base.tomador ?? { tipo: 'remetente' },
    carga: {
      valor: base.carga?.valor ?? centsToText(vCargaCents),
      produtoPredominante: base.carga?.produtoPredominante ?? proPred,
      ...(base.carga?.outrasCaracteristicas ? { outrasCaracteristicas: base.carga.outrasCaracteristicas } : {}),
      quantidades: base.carga?.quantidades ?? (litres.gt(0) ? [{ unidade: 'LITROS', tipoMedida: 'VOLUME', quantidade: fixed(litres, 4) }] : []),
    },
    documentos: { nfe: nfes.map((m) => ({ chave: m.chave })) },
    ...(base.veiculo || !veic ? {} : { veiculo: { placa: veic.placa, ...(veic.UF ? { uf: veic.UF } : {}) } }),
    ...(base.produtosPerigosos || produtosPerigosos.length === 0 ? {} : { produtosPerigosos }),
  };
}
