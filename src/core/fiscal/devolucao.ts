import { orderError } from './errors';
import type { Det, Endereco, NfeModel, TaxGroup } from './model';
import { D, parseDecimal, type Dec } from './money';
import type { CfopRule, IcmsRule, Order, OrderEndereco, OrderItem, OrderProduto, OrderTransporte, TaxRule } from './order';
import { parseNfe } from './parse';

/** Sale CFOP (last three digits) → return CFOP (last three digits), CFOP table of the SINIEF. */
const RETURN_OF: Record<string, string> = {
  // Fuels: industrialização 1660/5660, comercialização 1661/5661, consumidor final 1662/5662.
  '651': '660', '654': '660', '652': '661', '655': '661', '653': '662', '656': '662', '667': '662',
  '101': '201', '102': '202', '401': '410', '402': '410', '403': '410', '405': '411',
};

/** Purchase returns: the supplier's sale CFOP → our devolução de compra. */
const PURCHASE_RETURN_OF: Record<string, string> = {
  '651': '660', '654': '660', '652': '661', '655': '661', '653': '662', '656': '662', '667': '662',
  '101': '201', '102': '202', '401': '410', '402': '410', '403': '411', '405': '411',
};

export interface DevolucaoOptions {
  serie: number;
  numero: number;
  emissao?: string;
  ambiente?: 1 | 2;
  /** Items to return (nItem of the original) and quantities; default: everything. */
  itens?: Array<{ nItem: number; quantidade?: string }>;
  /** Reason, printed in infCpl. */
  motivo?: string;
  transporte?: OrderTransporte;
  /** Emitente's CNPJ: decides whether the original was our sale (entrada) or our purchase (saída). */
  cnpj: string;
  /** Needed when the original is a purchase (our data is not complete in its dest group). */
  emitente?: Order['emitente'];
}

function orderAddress(e: Endereco): OrderEndereco {
  return { logradouro: e.xLgr, numero: e.nro, complemento: e.xCpl, bairro: e.xBairro, codigoMunicipio: e.cMun, municipio: e.xMun, uf: e.UF, cep: e.CEP, telefone: e.fone };
}

function per(value: string | undefined, q: Dec): string | undefined {
  return value === undefined ? undefined : new D(value).div(q).toDecimalPlaces(4).toString();
}

function icmsRuleOf(det: Det, q: Dec): { rule: IcmsRule; produto: Partial<OrderProduto> } {
  const [tag, g] = Object.entries(det.imposto.ICMS)[0] as [string, TaxGroup];
  const cst = g.CST ?? g.CSOSN ?? '';
  const rule: IcmsRule = { cst, orig: g.orig };
  const produto: Partial<OrderProduto> = {};
  if (g.adRemICMS) produto.adRemIcms = g.adRemICMS;
  if (g.adRemICMSRet) produto.adRemIcms = g.adRemICMSRet;
  if (g.adRemICMSReten) produto.adRemIcmsReten = g.adRemICMSReten;
  if (tag === 'ICMS53' && g.pDif) produto.pDif = g.pDif;
  if (g.pICMS) rule.aliquota = g.pICMS;
  if (g.modBC) rule.modBC = Number(g.modBC) as IcmsRule['modBC'];
  if (g.pRedBC) rule.reducaoBase = g.pRedBC;
  if (g.pFCP) rule.fcp = g.pFCP;
  if (g.pCredSN) rule.creditoSimples = g.pCredSN;
  if (g.pRedAdRem && g.motRedAdRem) rule.reducaoAdRem = { percentual: g.pRedAdRem, motivo: Number(g.motRedAdRem) as 1 | 9 };
  if (g.modBCST) {
    const mod = Number(g.modBCST) as NonNullable<IcmsRule['st']>['modalidade'];
    const red = g.pRedBCST ? new D(100).minus(g.pRedBCST).div(100) : new D(1);
    rule.st = {
      modalidade: mod,
      aliquota: g.pICMSST!,
      ...(g.pMVAST ? { mva: g.pMVAST } : {}),
      ...(g.pRedBCST ? { reducaoBase: g.pRedBCST } : {}),
      ...(g.pFCPST ? { fcp: g.pFCPST } : {}),
      // Pauta/PMPF: the original's base per unit, before its reduction.
      ...(mod !== 4 && mod !== 6 ? { valorPorUnidade: new D(g.vBCST!).div(red).div(q).toDecimalPlaces(4).toString() } : {}),
    };
  }
  if (g.vBCSTRet && g.pST) {
    rule.retido = {
      basePorUnidade: per(g.vBCSTRet, q)!,
      aliquota: g.pST,
      ...(g.vICMSSubstituto ? { icmsSubstitutoPorUnidade: per(g.vICMSSubstituto, q)! } : {}),
      ...(g.pFCPSTRet ? { fcp: g.pFCPSTRet } : {}),
    };
  }
  return { rule, produto };
}

function taxRuleOf(groups: Record<string, TaxGroup> | undefined, tax: 'PIS' | 'COFINS'): TaxRule {
  const g = groups ? Object.values(groups)[0] : undefined;
  if (!g?.CST) return { cst: '08' };
  return { cst: g.CST, ...(g[`p${tax}`] ? { aliquota: g[`p${tax}`] } : {}), ...(g.vAliqProd ? { valorPorUnidade: g.vAliqProd } : {}) };
}

function scaledShare(value: string | undefined, q: Dec, qOrig: Dec): string | undefined {
  if (!value) return undefined;
  return new D(value).mul(q).div(qOrig).toDecimalPlaces(2).toFixed(2);
}

/**
 * The order of a devolução (finNFe 4) built from the original NF-e's XML: the chosen items at
 * the original prices and taxes, the return CFOP, the original referenced (321), no payment
 * (871). Our sale coming back is an entrada of own emission (tpNF 0); a purchase we return to
 * the supplier is a saída (tpNF 1).
 */
export function devolucaoFromNfe(xml: string, opts: DevolucaoOptions): Order {
  const model: NfeModel = parseNfe(xml);
  const inf = model.infNFe;
  if (inf.ide.finNFe !== '1') throw orderError('original', `A nota original ${inf.ide.serie}/${inf.ide.nNF} não é uma NF-e normal (finalidade ${inf.ide.finNFe}); devolva a partir da nota de venda.`);
  if (inf.ide.tpNF !== '1') throw orderError('original', 'A nota original é de entrada; a devolução parte de uma nota de saída.');
  const ours = (inf.emit.CNPJ ?? inf.emit.CPF) === opts.cnpj;
  const bought = (inf.dest?.CNPJ ?? inf.dest?.CPF) === opts.cnpj;
  if (!ours && !bought) throw orderError('original', `A NF-e ${model.chave} não foi emitida nem recebida pelo CNPJ ${opts.cnpj}.`);
  if (bought && !opts.emitente) throw orderError('emitente', 'Para devolver uma compra, informe os dados do emitente (a nota original só traz o destinatário).');
  const emitente: Order['emitente'] = ours
    ? {
        ...(inf.emit.CNPJ ? { cnpj: inf.emit.CNPJ } : { cpf: inf.emit.CPF! }),
        razaoSocial: inf.emit.xNome,
        nomeFantasia: inf.emit.xFant,
        ie: inf.emit.IE,
        crt: Number(inf.emit.CRT) as 1 | 2 | 3 | 4,
        endereco: orderAddress(inf.emit.enderEmit),
      }
    : opts.emitente!;
  const other = ours ? inf.dest : undefined;
  if (ours && (!other || !other.enderDest)) throw orderError('original', 'A nota original não tem destinatário com endereço.');
  const destinatario: Order['destinatario'] = ours
    ? {
        ...(other!.CNPJ ? { cnpj: other!.CNPJ } : { cpf: other!.CPF! }),
        razaoSocial: other!.xNome ?? 'DESTINATARIO',
        ...(other!.IE ? { ie: other!.IE } : other!.indIEDest === '2' ? { ie: 'ISENTO' } : {}),
        endereco: orderAddress(other!.enderDest!),
      }
    : {
        ...(inf.emit.CNPJ ? { cnpj: inf.emit.CNPJ } : { cpf: inf.emit.CPF! }),
        razaoSocial: inf.emit.xNome,
        ie: inf.emit.IE,
        endereco: orderAddress(inf.emit.enderEmit),
      };
  const table = ours ? RETURN_OF : PURCHASE_RETURN_OF;
  const [inDigit, outDigit] = ours ? ['1', '2'] : ['5', '6'];
  const picks: Array<{ nItem: number; quantidade?: string }> = opts.itens?.length ? opts.itens : inf.det.map((d) => ({ nItem: Number(d['@nItem']) }));
  const itens: OrderItem[] = picks.map((pick, i) => {
    const f = `itens[${i}]`;
    const det = inf.det.find((d) => Number(d['@nItem']) === pick.nItem);
    if (!det) throw orderError(`${f}.nItem`, `A nota original não tem o item ${pick.nItem}.`);
    const qOrig = new D(det.prod.qCom);
    const q = pick.quantidade === undefined ? qOrig : parseDecimal(pick.quantidade, `${f}.quantidade`, { maxDecimals: 4 });
    if (q.gt(qOrig)) throw orderError(`${f}.quantidade`, `Item ${pick.nItem}: devolução de ${q.toString()} maior que a quantidade vendida (${det.prod.qCom}).`);
    const suffix = table[det.prod.CFOP.slice(1)];
    if (!suffix) throw orderError(`${f}.cfop`, `Não há CFOP de devolução conhecido para o CFOP ${det.prod.CFOP} do item ${pick.nItem}; informe-o no pedido.`);
    const cfop: CfopRule = { interna: inDigit + suffix, interestadual: outDigit + suffix };
    const { rule, produto: rates } = icmsRuleOf(det, qOrig);
    const p = det.prod;
    const comb = p.comb;
    const produto: OrderProduto = {
      codigo: p.cProd,
      descricao: p.xProd,
      ncm: p.NCM,
      ...(p.CEST ? { cest: p.CEST } : {}),
      unidade: p.uCom,
      ...(p.cEAN && p.cEAN !== 'SEM GTIN' ? { gtin: p.cEAN } : {}),
      ...(comb ? { anp: { codigo: comb.cProdANP, descricao: comb.descANP } } : {}),
      ...(comb?.pBio ? { pBio: comb.pBio } : {}),
      ...(comb?.CODIF ? { codif: comb.CODIF } : {}),
      ...(comb?.pGLP !== undefined ? { glp: { pGLP: comb.pGLP, pGNn: comb.pGNn!, pGNi: comb.pGNi!, vPart: comb.vPart! } } : {}),
      ...rates,
      icms: rule,
      cfop,
      pis: taxRuleOf(det.imposto.PIS, 'PIS'),
      cofins: taxRuleOf(det.imposto.COFINS, 'COFINS'),
    };
    const desconto = scaledShare(p.vDesc, q, qOrig);
    const item: OrderItem = {
      produto,
      quantidade: q.toFixed(4),
      valorUnitario: p.vUnCom,
      ...(desconto && desconto !== '0.00' ? { desconto: { valor: desconto } } : {}),
    };
    const frete = scaledShare(p.vFrete, q, qOrig);
    const seguro = scaledShare(p.vSeg, q, qOrig);
    const outras = scaledShare(p.vOutro, q, qOrig);
    if (frete) item.frete = frete;
    if (seguro) item.seguro = seguro;
    if (outras) item.outrasDespesas = outras;
    return item;
  });
  const first = itens[0]!.produto;
  const data = inf.ide.dhEmi.slice(0, 10).split('-').reverse().join('/');
  return {
    serie: opts.serie,
    numero: opts.numero,
    ...(opts.emissao ? { emissao: opts.emissao } : {}),
    ambiente: opts.ambiente ?? (Number(inf.ide.tpAmb) as 1 | 2),
    finalidade: 4,
    tipo: ours ? 'entrada' : 'saida',
    referencias: [{ nfe: model.chave }],
    emitente,
    destinatario,
    natureza: {
      descricao: ours ? 'DEVOLUCAO DE VENDA' : 'DEVOLUCAO DE COMPRA',
      cfop: first.cfop!,
      icms: first.icms!,
      pis: first.pis!,
      cofins: first.cofins!,
    },
    itens,
    transporte: opts.transporte ?? { modFrete: 9 },
    pagamentos: [{ tPag: '90' }],
    observacoes: `Devolucao referente a NF-e ${inf.ide.serie}/${inf.ide.nNF} de ${data}, chave ${model.chave}.${opts.motivo ? ` Motivo: ${opts.motivo}` : ''}`,
  };
}
