import { createSign } from 'node:crypto';
import { escapeXml, findElement, textOf } from '../sefaz/xml';
import { buildChave, isValidChave } from './chave';
import { qrCodeUrl } from './cte/build';
import { FiscalErrors, fiscalError } from './errors';
import { buildCteEvento, CTE_EVENTO } from './cte/events';
import { buildEpec, normalizeFiscalText } from './events';
import { escapeText } from './xml';
import { signXml, type SigningMaterial } from './sign';

/**
 * Contingency emission: tpEmis is part of the chave, so switching a document to SVC, EPEC
 * or FS-DA means a new key (tpEmis digit and cDV), dhCont + xJust in ide, and a new
 * signature. The number stays the same; the document built for normal emission must never
 * be transmitted once its contingency twin exists (and vice versa).
 */

/** NF-e tpEmis (MOC 7.0, ide/tpEmis): 1 normal, 4 EPEC, 5 FS-DA, 6 SVC-AN, 7 SVC-RS. */
export const NFE_TP_EMIS = { normal: 1, epec: 4, fsda: 5, 'svc-an': 6, 'svc-rs': 7 } as const;
/** CT-e tpEmis (PL_CTe_400 enumerates 1, 3, 4, 7, 8): 4 EPEC pela SVC, 7 SVC-RS, 8 SVC-SP; no FS-DA in CT-e 4.00. */
export const CTE_TP_EMIS = { normal: 1, epec: 4, 'svc-rs': 7, 'svc-sp': 8 } as const;

export interface ContingencyEntry {
  /** When the emitente entered contingency (ISO 8601 with offset). */
  dhCont: string;
  /** Why (15–256 characters). */
  xJust: string;
}

export interface RekeyChange {
  tpEmis: number;
  /** Required for any tpEmis other than 1. */
  contingencia?: ContingencyEntry;
  /**
   * Another number (the "108" rule: the document whose send may or may not have reached
   * SEFAZ is billed again under the next number). `reference` is added to the free text.
   */
  nNF?: number;
  reference?: string;
}

export interface Rekeyed {
  /** Unsigned document (CT-e: without infCTeSupl) under the new key. */
  xml: string;
  chave: string;
  previousChave: string;
  model: 'nfe' | 'cte';
}

const ISO_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[+-]\d{2}:\d{2})$/;

function replaceTag(inner: string, tag: string, value: string): string {
  const re = new RegExp(`<${tag}>[^<]*</${tag}>`);
  if (!re.test(inner)) throw fiscalError(FiscalErrors.XML_INVALID, `Documento sem o campo ${tag} em ide.`, tag);
  return inner.replace(re, `<${tag}>${value}</${tag}>`);
}

/**
 * The same document under another tpEmis: ide gets tpEmis, cDV, dhCont and xJust (in the
 * schema's positions), infNFe/infCte gets the new Id, the old Signature goes away. Works on
 * the signed document (the stored record) without touching anything else in it.
 */
export function rekeyDocument(xml: string, change: RekeyChange): Rekeyed {
  const cte = findElement(xml, 'infCte');
  const inf = cte ?? findElement(xml, 'infNFe');
  if (!inf) throw fiscalError(FiscalErrors.XML_INVALID, 'O arquivo não é uma NF-e nem um CT-e.');
  const model = cte ? 'cte' : 'nfe';
  const allowed: readonly number[] = Object.values(model === 'cte' ? CTE_TP_EMIS : NFE_TP_EMIS);
  if (!allowed.includes(change.tpEmis)) {
    throw fiscalError(FiscalErrors.XML_INVALID, `tpEmis ${change.tpEmis} não existe para ${model === 'cte' ? 'CT-e' : 'NF-e'} (use ${allowed.join(', ')}).`, 'tpEmis');
  }
  const ideEl = findElement(inf.inner, 'ide');
  if (!ideEl) throw fiscalError(FiscalErrors.XML_INVALID, 'Documento sem o grupo ide.', 'ide');
  let ide = ideEl.inner;
  const field = (tag: string) => textOf(ide, tag) ?? '';
  let dhEmi = field('dhEmi');
  // dhCont/xJust: present exactly when tpEmis ≠ 1 (NF-e rules 556/557, CT-e 586/587).
  ide = ide.replace(/<dhCont>[^<]*<\/dhCont>/, '').replace(/<xJust>[^<]*<\/xJust>/, '');
  let contXml = '';
  if (change.tpEmis !== 1) {
    const c = change.contingencia;
    if (!c) throw fiscalError(FiscalErrors.XML_INVALID, 'Emissão em contingência exige a data/hora de entrada (dhCont) e a justificativa (xJust).', 'contingencia');
    if (!ISO_OFFSET.test(c.dhCont)) throw fiscalError(FiscalErrors.XML_INVALID, `dhCont deve ser ISO com fuso (AAAA-MM-DDThh:mm:ss-03:00): "${c.dhCont}".`, 'contingencia.dhCont');
    const xJust = normalizeFiscalText(c.xJust, 'contingencia.xJust', 'A justificativa da contingência', 15, 256);
    // The entry into contingency cannot come after the emission (CT-e 588; SEFAZ NF-e alike):
    // a document issued before the outage is re-issued at the moment of entry.
    if (new Date(c.dhCont).getTime() > new Date(dhEmi).getTime()) {
      dhEmi = c.dhCont;
      ide = replaceTag(ide, 'dhEmi', dhEmi);
      if (model === 'nfe') ide = ide.replace(/<dhSaiEnt>[^<]*<\/dhSaiEnt>/, (s) => (new Date(textOf(s, 'dhSaiEnt') ?? '').getTime() < new Date(dhEmi).getTime() ? `<dhSaiEnt>${dhEmi}</dhSaiEnt>` : s));
    }
    contXml = `<dhCont>${c.dhCont}</dhCont><xJust>${escapeXml(xJust)}</xJust>`;
  }
  if (change.nNF !== undefined) {
    const tag = model === 'cte' ? 'nCT' : 'nNF';
    if (!Number.isInteger(change.nNF) || change.nNF < 1 || change.nNF > 999_999_999) throw fiscalError(FiscalErrors.XML_INVALID, `Número inválido: ${change.nNF}.`, tag);
    // cNF must differ from the number (MOC); the code is the emitente's, any other 8 digits do.
    if (Number(field(model === 'cte' ? 'cCT' : 'cNF')) === change.nNF) ide = replaceTag(ide, model === 'cte' ? 'cCT' : 'cNF', String((change.nNF + 1) % 100_000_000).padStart(8, '0'));
    ide = replaceTag(ide, tag, String(change.nNF));
  }
  const emit = findElement(inf.inner, 'emit')?.inner ?? '';
  // Re-read after the number change (nNF, cNF).
  const chave = buildChave({
    cUF: field('cUF'),
    aamm: dhEmi.slice(2, 4) + dhEmi.slice(5, 7),
    emitente: textOf(emit, 'CNPJ') ?? textOf(emit, 'CPF') ?? '',
    mod: field('mod'),
    serie: Number(field('serie')),
    nNF: Number(field(model === 'cte' ? 'nCT' : 'nNF')),
    tpEmis: change.tpEmis,
    cNF: field(model === 'cte' ? 'cCT' : 'cNF'),
  });
  ide = replaceTag(ide, 'tpEmis', String(change.tpEmis));
  ide = replaceTag(ide, 'cDV', chave.slice(-1));
  if (contXml) {
    if (model === 'nfe') ide = ide.replace(/(<\/verProc>)/, `$1${contXml}`);
    else ide += contXml;
  }
  const previousChave = (inf.startTag.match(/Id="(?:NFe|CTe)([^"]+)"/) ?? [])[1] ?? '';
  const prefix = model === 'cte' ? 'CTe' : 'NFe';
  const startTag = inf.startTag.replace(/Id="[^"]*"/, `Id="${prefix}${chave}"`);
  const ideClose = ideEl.raw.slice(ideEl.startTag.length + ideEl.inner.length);
  const newInner = inf.inner.slice(0, ideEl.start) + ideEl.startTag + ide + ideClose + inf.inner.slice(ideEl.end);
  const newInf = startTag + newInner + inf.raw.slice(inf.startTag.length + inf.inner.length);
  let out = xml.slice(0, inf.start) + (change.reference ? withReference(newInf, model, change.reference) : newInf) + xml.slice(inf.end);
  out = out.replace(/<Signature[\s>][\s\S]*?<\/Signature>/, '');
  // The CT-e QR code carries the chave: it is rebuilt after signing (cteQrCode).
  if (model === 'cte') out = out.replace(/<infCTeSupl>[\s\S]*?<\/infCTeSupl>/, '');
  if (!isValidChave(chave)) throw fiscalError(FiscalErrors.CHAVE_INVALID, `Chave gerada inválida: ${chave}.`);
  return { xml: out, chave, previousChave, model };
}

/** Appends a note to infCpl (NF-e, ≤ 5000) / compl/xObs (CT-e, ≤ 2000), creating the group where absent. */
function withReference(inf: string, model: 'nfe' | 'cte', note: string): string {
  const text = escapeXml(note);
  if (model === 'nfe') {
    if (/<infCpl>/.test(inf)) return inf.replace(/<infCpl>([^<]*)<\/infCpl>/, (_m, t: string) => `<infCpl>${`${t} ${text}`.slice(0, 5000)}</infCpl>`);
    if (/<infAdic>/.test(inf)) return inf.replace(/<infAdic>(<infAdFisco>[^<]*<\/infAdFisco>)?/, (m) => `${m}<infCpl>${text}</infCpl>`);
    // infAdic follows pag (and infIntermed) in the NF-e sequence.
    const at = /<\/infIntermed>/.test(inf) ? inf.indexOf('</infIntermed>') + '</infIntermed>'.length : inf.indexOf('</pag>') + '</pag>'.length;
    return `${inf.slice(0, at)}<infAdic><infCpl>${text}</infCpl></infAdic>${inf.slice(at)}`;
  }
  if (/<xObs>/.test(inf)) return inf.replace(/<xObs>([^<]*)<\/xObs>/, (_m, t: string) => `<xObs>${`${t} ${text}`.slice(0, 2000)}</xObs>`);
  if (/<compl>/.test(inf)) return inf.replace(/(<compl>(?:(?!<\/compl>)[\s\S])*?)(<ObsCont|<ObsFisco|<\/compl>)/, (_m, a: string, b: string) => `${a}<xObs>${text}</xObs>${b}`);
  return inf.replace(/<\/ide>/, `</ide><compl><xObs>${text}</xObs></compl>`);
}

/**
 * CT-e QR code (MOC CT-e 4.00, infCTeSupl): in EPEC (tpEmis 4) the URL carries `sign`, the
 * base64 RSA-SHA1 signature of the chave by the emitente's certificate.
 */
export function cteQrCode(chave: string, tpAmb: string, tpEmis: number, key: SigningMaterial): string {
  let url = qrCodeUrl(chave, tpAmb);
  if (tpEmis === CTE_TP_EMIS.epec) {
    const sign = createSign('RSA-SHA1').update(chave, 'utf8').sign(key.keyPem, 'base64');
    url += `&sign=${sign}`;
  }
  return `<infCTeSupl><qrCodCTe>${url.replace(/&/g, '&amp;')}</qrCodCTe></infCTeSupl>`;
}

/** The signed contingency twin of a document: rebuild under the new key and sign it. */
export function resignInContingency(xml: string, change: RekeyChange, key: SigningMaterial): { signedXml: string; chave: string; previousChave: string; model: 'nfe' | 'cte' } {
  const r = rekeyDocument(xml, change);
  if (r.model === 'nfe') return { signedXml: signXml(r.xml, 'infNFe', key), chave: r.chave, previousChave: r.previousChave, model: 'nfe' };
  const signed = signXml(r.xml, 'infCte', key);
  const tpAmb = textOf(findElement(r.xml, 'ide')?.inner ?? '', 'tpAmb') ?? '2';
  const at = signed.indexOf('<Signature');
  return { signedXml: signed.slice(0, at) + cteQrCode(r.chave, tpAmb, change.tpEmis, key) + signed.slice(at), chave: r.chave, previousChave: r.previousChave, model: 'cte' };
}

/**
 * The 110140 EPEC of an NF-e issued with tpEmis 4, read from the signed document itself so
 * the Ambiente Nacional registers exactly what the NF-e says (dhEmi, IE, destinatário, vNF,
 * vICMS, vST): a difference is rejection 467 at the reconciliation.
 */
export function buildEpecOfNfe(signedNfe: string, p: { verAplic: string; dhEvento: string }): string {
  const inf = findElement(signedNfe, 'infNFe');
  if (!inf) throw fiscalError(FiscalErrors.XML_INVALID, 'EPEC: o arquivo não é uma NF-e.');
  const chave = (inf.startTag.match(/Id="NFe([^"]+)"/) ?? [])[1] ?? '';
  const ide = findElement(inf.inner, 'ide')?.inner ?? '';
  if (textOf(ide, 'tpEmis') !== String(NFE_TP_EMIS.epec)) throw fiscalError(FiscalErrors.XML_INVALID, 'O EPEC só pode ser registrado para NF-e emitida com tpEmis 4.', 'tpEmis');
  const emit = findElement(inf.inner, 'emit')?.inner ?? '';
  const dest = findElement(inf.inner, 'dest')?.inner ?? '';
  const tot = findElement(inf.inner, 'ICMSTot')?.inner ?? '';
  const enderDest = findElement(dest, 'enderDest')?.inner ?? '';
  const destCnpj = textOf(dest, 'CNPJ');
  const destCpf = textOf(dest, 'CPF');
  const destIe = textOf(dest, 'IE');
  return buildEpec({
    tpAmb: textOf(ide, 'tpAmb') === '1' ? '1' : '2',
    autor: textOf(emit, 'CNPJ') ?? textOf(emit, 'CPF') ?? '',
    chNFe: chave,
    dhEvento: p.dhEvento,
    cOrgaoAutor: textOf(ide, 'cUF') ?? '',
    verAplic: p.verAplic,
    dhEmi: textOf(ide, 'dhEmi') ?? '',
    tpNF: textOf(ide, 'tpNF') === '0' ? '0' : '1',
    ie: textOf(emit, 'IE') ?? '',
    dest: {
      uf: textOf(enderDest, 'UF') ?? '',
      ...(destCnpj ? { cnpj: destCnpj } : {}),
      ...(destCpf ? { cpf: destCpf } : {}),
      ...(destIe ? { ie: destIe } : {}),
      vNF: textOf(tot, 'vNF') ?? '0.00',
      vICMS: textOf(tot, 'vICMS') ?? '0.00',
      vST: textOf(tot, 'vST') ?? '0.00',
    },
  });
}

/**
 * The CT-e EPEC (110113, evEPECCTe) of a CT-e issued with tpEmis 4, sent to the UF's SVC
 * (MOC CT-e 4.00: "EPEC pela SVC"); values and tomador read from the signed CT-e.
 */
export function buildEpecOfCte(signedCte: string, p: { dhEvento: string; xJust: string }): string {
  const inf = findElement(signedCte, 'infCte');
  if (!inf) throw fiscalError(FiscalErrors.XML_INVALID, 'EPEC: o arquivo não é um CT-e.');
  const chave = (inf.startTag.match(/Id="CTe([^"]+)"/) ?? [])[1] ?? '';
  const ide = findElement(inf.inner, 'ide')?.inner ?? '';
  if (textOf(ide, 'tpEmis') !== String(CTE_TP_EMIS.epec)) throw fiscalError(FiscalErrors.XML_INVALID, 'O EPEC só pode ser registrado para CT-e emitido com tpEmis 4.', 'tpEmis');
  const emit = findElement(inf.inner, 'emit')?.inner ?? '';
  const vPrest = findElement(inf.inner, 'vPrest')?.inner ?? '';
  const imp = findElement(inf.inner, 'imp')?.inner ?? '';
  const infCarga = findElement(inf.inner, 'infCarga')?.inner ?? '';
  // toma3 names a party of the CT-e (0 remetente … 3 destinatário); toma4 carries it inline.
  const toma4 = findElement(ide, 'toma4');
  const toma = toma4 ? '4' : textOf(findElement(ide, 'toma3')?.inner ?? '', 'toma') ?? '0';
  const party = toma4?.inner ?? findElement(inf.inner, ['rem', 'exped', 'receb', 'dest'][Number(toma)] ?? 'rem')?.inner ?? '';
  const partyUf = textOf(findElement(party, toma4 ? 'enderToma' : ({ '0': 'enderReme', '1': 'enderExped', '2': 'enderReceb', '3': 'enderDest' } as Record<string, string>)[toma] ?? 'enderReme')?.inner ?? '', 'UF');
  const doc = textOf(party, 'CNPJ') ? `<CNPJ>${textOf(party, 'CNPJ')}</CNPJ>` : `<CPF>${textOf(party, 'CPF') ?? ''}</CPF>`;
  const ie = textOf(party, 'IE');
  const vICMS = textOf(imp, 'vICMS') ?? '0.00';
  const vICMSST = textOf(imp, 'vICMSSTRet');
  const xJust = normalizeFiscalText(p.xJust, 'xJust', 'A justificativa do EPEC', 15, 255);
  return buildCteEvento(
    {
      cOrgao: textOf(ide, 'cUF') ?? '',
      tpAmb: textOf(ide, 'tpAmb') === '1' ? '1' : '2',
      autor: textOf(emit, 'CNPJ') ?? textOf(emit, 'CPF') ?? '',
      chCTe: chave,
      dhEvento: p.dhEvento,
      nSeqEvento: 1,
    },
    CTE_EVENTO.epec,
    `<descEvento>EPEC</descEvento><xJust>${escapeText(xJust)}</xJust><vICMS>${vICMS}</vICMS>${vICMSST ? `<vICMSST>${vICMSST}</vICMSST>` : ''}` +
      `<vTPrest>${textOf(vPrest, 'vTPrest') ?? '0.00'}</vTPrest><vCarga>${textOf(infCarga, 'vCarga') ?? '0.00'}</vCarga>` +
      `<toma4><toma>${toma}</toma><UF>${partyUf ?? ''}</UF>${doc}${ie ? `<IE>${ie}</IE>` : ''}</toma4>` +
      `<modal>${textOf(ide, 'modal') ?? '01'}</modal><UFIni>${textOf(ide, 'UFIni') ?? ''}</UFIni><UFFim>${textOf(ide, 'UFFim') ?? ''}</UFFim>` +
      `<tpCTe>0</tpCTe><dhEmi>${textOf(ide, 'dhEmi') ?? ''}</dhEmi>`,
  );
}
