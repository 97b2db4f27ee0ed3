import { AppError } from '../errors';
import type { Endereco, NfeModel, TaxGroup } from '../fiscal/model';
import type { DanfeAddress, DanfeData, DanfeItem } from './danfe-model';
import { PrintingErrors } from './errors';

/** cStat of a protNFe that authorizes use (100, or 150 authorized late). */
const AUTHORIZED = new Set(['100', '150']);
/** Contingencies printed before authorization: FS-DA on security forms, EPEC. */
const PRINT_BEFORE_AUTHORIZATION = new Set(['4', '5']);

function address(e: Endereco | undefined): DanfeAddress | undefined {
  if (!e) return undefined;
  const a: DanfeAddress = { logradouro: e.xLgr, numero: e.nro, bairro: e.xBairro, municipio: e.xMun, uf: e.UF };
  if (e.xCpl) a.complemento = e.xCpl;
  if (e.CEP) a.cep = e.CEP;
  if (e.fone) a.fone = e.fone;
  return a;
}

const only = (groups: Record<string, TaxGroup> | undefined): TaxGroup | undefined => (groups ? Object.values(groups)[0] : undefined);

function setIf<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined && value !== '') obj[key] = value;
}

/**
 * Refuses what must not be printed as a DANFE: a plain NFe that SEFAZ never authorized
 * (except in FS-DA/EPEC contingency, printed before authorization by law), a protocol
 * for another key, or a denial/rejection protocol.
 */
export function assertPrintable(nfe: NfeModel): void {
  const tpEmis = nfe.infNFe.ide.tpEmis;
  const prot = nfe.protNFe?.infProt;
  if (!prot) {
    if (PRINT_BEFORE_AUTHORIZATION.has(tpEmis)) return;
    throw new AppError(
      PrintingErrors.NOT_AUTHORIZED,
      'Este XML não é uma NF-e autorizada: falta o protocolo de autorização (nfeProc com protNFe). Transmita a nota antes de imprimir o DANFE.',
    );
  }
  if (prot.chNFe !== nfe.chave) {
    throw new AppError(PrintingErrors.NOT_AUTHORIZED, `O protocolo é de outra chave (${prot.chNFe}); esta NF-e não está autorizada.`);
  }
  if (!AUTHORIZED.has(prot.cStat)) {
    throw new AppError(PrintingErrors.NOT_AUTHORIZED, `NF-e não autorizada pela SEFAZ (cStat ${prot.cStat}: ${prot.xMotivo}). O DANFE não pode ser impresso.`);
  }
}

/** The fiscal parser's model → what the DANFE shows. */
export function danfeFromNfe(nfe: NfeModel): DanfeData {
  assertPrintable(nfe);
  const inf = nfe.infNFe;
  const { ide, emit, dest, total, transp } = inf;
  const t = total.ICMSTot;
  const itens = inf.det.map((det): DanfeItem => {
    const p = det.prod;
    const icms = only(det.imposto.ICMS);
    const item: DanfeItem = {
      codigo: p.cProd,
      descricao: p.xProd,
      ncm: p.NCM,
      cst: icms ? `${icms.orig ?? ''}${icms.CST ?? icms.CSOSN ?? ''}` : '',
      cfop: p.CFOP,
      unidade: p.uCom,
      quantidade: p.qCom,
      valorUnitario: p.vUnCom,
      valorTotal: p.vProd,
    };
    setIf(item, 'valorDesconto', p.vDesc);
    setIf(item, 'baseIcms', icms?.vBC);
    setIf(item, 'valorIcms', icms?.vICMS);
    setIf(item, 'aliquotaIcms', icms?.pICMS);
    const st = {
      ...(icms?.vBCST ? { base: icms.vBCST } : {}),
      ...(icms?.vICMSST ? { valor: icms.vICMSST } : {}),
      ...(icms?.vFCPST ? { fcp: icms.vFCPST } : {}),
      ...(icms?.vBCSTRet ? { baseRetido: icms.vBCSTRet } : {}),
      ...(icms?.vICMSSTRet ? { valorRetido: icms.vICMSSTRet } : {}),
    };
    if (Object.keys(st).length) item.icmsSt = st;
    const encargos = { ...(p.vFrete ? { frete: p.vFrete } : {}), ...(p.vSeg ? { seguro: p.vSeg } : {}), ...(p.vOutro ? { outras: p.vOutro } : {}) };
    if (Object.keys(encargos).length) item.encargos = encargos;
    const info = [p.comb ? `ANP ${p.comb.cProdANP} ${p.comb.descANP}` : '', det.infAdProd ?? ''].filter(Boolean).join(' ');
    setIf(item, 'informacoes', info);
    return item;
  });
  const data: DanfeData = {
    chave: nfe.chave,
    numero: ide.nNF,
    serie: ide.serie,
    tpNF: ide.tpNF === '0' ? '0' : '1',
    tpEmis: ide.tpEmis,
    tpAmb: ide.tpAmb === '1' ? '1' : '2',
    naturezaOperacao: ide.natOp,
    dhEmi: ide.dhEmi,
    emitente: { nome: emit.xNome, documento: emit.CNPJ ?? emit.CPF ?? '', ie: emit.IE },
    destinatario: { nome: dest?.xNome ?? '', documento: dest?.CNPJ ?? dest?.CPF ?? dest?.idEstrangeiro ?? '' },
    itens,
    totais: {
      baseIcms: t.vBC,
      valorIcms: t.vICMS,
      baseIcmsSt: t.vBCST,
      valorIcmsSt: t.vST,
      valorProdutos: t.vProd,
      valorFrete: t.vFrete,
      valorSeguro: t.vSeg,
      valorDesconto: t.vDesc,
      outrasDespesas: t.vOutro,
      valorIpi: t.vIPI,
      valorNota: t.vNF,
    },
    transporte: {
      modalidade: transp.modFrete,
      volumes: (transp.vol ?? []).map((v) => ({
        ...(v.qVol ? { quantidade: v.qVol } : {}),
        ...(v.esp ? { especie: v.esp } : {}),
        ...(v.marca ? { marca: v.marca } : {}),
        ...(v.nVol ? { numeracao: v.nVol } : {}),
        ...(v.pesoL ? { pesoLiquido: v.pesoL } : {}),
        ...(v.pesoB ? { pesoBruto: v.pesoB } : {}),
        ...(v.lacres?.length ? { lacres: v.lacres.map((l) => l.nLacre) } : {}),
      })),
    },
    duplicatas: [],
    pagamentos: inf.pag.detPag.map((p) => ({ forma: p.tPag, valor: p.vPag })),
  };
  setIf(data, 'dhSaiEnt', ide.dhSaiEnt);
  setIf(data.emitente, 'ieSt', emit.IEST);
  const ea = address(emit.enderEmit);
  if (ea) data.emitente.endereco = ea;
  setIf(data.destinatario, 'ie', dest?.IE);
  const da = address(dest?.enderDest);
  if (da) data.destinatario.endereco = da;
  setIf(data.totais, 'valorTributos', t.vTotTrib);
  setIf(data.totais, 'valorIcmsMonoRetido', t.vICMSMonoRet);
  if (transp.transporta) {
    const tr = transp.transporta;
    data.transporte.transportador = { nome: tr.xNome ?? '', documento: tr.CNPJ ?? tr.CPF ?? '' };
    setIf(data.transporte.transportador, 'ie', tr.IE);
    if (tr.xEnder || tr.xMun) {
      data.transporte.transportador.endereco = { logradouro: tr.xEnder ?? '', numero: '', bairro: '', municipio: tr.xMun ?? '', uf: tr.UF ?? '' };
    }
  }
  setIf(data.transporte, 'placa', transp.veicTransp?.placa);
  setIf(data.transporte, 'ufVeiculo', transp.veicTransp?.UF);
  setIf(data.transporte, 'rntc', transp.veicTransp?.RNTC);
  if (transp.reboque?.length) data.transporte.reboques = transp.reboque.map((r) => ({ placa: r.placa, ...(r.UF ? { uf: r.UF } : {}), ...(r.RNTC ? { rntc: r.RNTC } : {}) }));
  if (t.vFCPST && t.vFCPST !== '0.00') data.totais.valorFcpSt = t.vFCPST;
  setIf(data, 'informacoesComplementares', inf.infAdic?.infCpl);
  setIf(data, 'informacoesFisco', inf.infAdic?.infAdFisco);
  const prot = nfe.protNFe?.infProt;
  if (prot?.nProt) data.protocolo = { nProt: prot.nProt, dhRecbto: prot.dhRecbto, cStat: prot.cStat };
  if (ide.dhCont && ide.xJust) data.contingencia = { dhCont: ide.dhCont, xJust: ide.xJust };
  return data;
}
