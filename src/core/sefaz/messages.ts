import { SefazErrors, sefazError } from './errors';
import { NFE_NS, findElement, findElements, requireDefaultNamespace, stripXmlDeclaration, textOf, type RawElement } from './xml';

/**
 * Request builders and reply readers for the NF-e 4.00 messages. Requests are assembled
 * by concatenation around already-signed bytes; replies are read without re-serialising,
 * so protNFe / retEvento / retInutNFe can be stored exactly as SEFAZ sent them.
 */

export type TpAmb = '1' | '2';

export function consStatServ(tpAmb: TpAmb, cUF: string): string {
  return `<consStatServ xmlns="${NFE_NS}" versao="4.00"><tpAmb>${tpAmb}</tpAmb><cUF>${cUF}</cUF><xServ>STATUS</xServ></consStatServ>`;
}

export function consSitNFe(tpAmb: TpAmb, chNFe: string): string {
  return `<consSitNFe xmlns="${NFE_NS}" versao="4.00"><tpAmb>${tpAmb}</tpAmb><xServ>CONSULTAR</xServ><chNFe>${chNFe}</chNFe></consSitNFe>`;
}

export function consReciNFe(tpAmb: TpAmb, nRec: string): string {
  return `<consReciNFe xmlns="${NFE_NS}" versao="4.00"><tpAmb>${tpAmb}</tpAmb><nRec>${nRec}</nRec></consReciNFe>`;
}

/** enviNFe around signed NFe documents, byte for byte (indSinc=1 allows a single NF-e). */
export function enviNFe(idLote: string, indSinc: '0' | '1', signedNFes: string[]): string {
  if (signedNFes.length < 1 || signedNFes.length > 50) throw sefazError(SefazErrors.SEFAZ_INVALID_REQUEST, 'Um lote leva de 1 a 50 NF-e.');
  if (indSinc === '1' && signedNFes.length !== 1) throw sefazError(SefazErrors.SEFAZ_INVALID_REQUEST, 'O envio síncrono aceita uma única NF-e por lote.');
  return `<enviNFe xmlns="${NFE_NS}" versao="4.00"><idLote>${idLote}</idLote><indSinc>${indSinc}</indSinc>${signedNFes.map(stripXmlDeclaration).join('')}</enviNFe>`;
}

export function envEvento(idLote: string, signedEventos: string[]): string {
  if (signedEventos.length < 1 || signedEventos.length > 20) throw sefazError(SefazErrors.SEFAZ_INVALID_REQUEST, 'Um lote de eventos leva de 1 a 20 eventos.');
  return `<envEvento xmlns="${NFE_NS}" versao="1.00"><idLote>${idLote}</idLote>${signedEventos.map(stripXmlDeclaration).join('')}</envEvento>`;
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/** nfeProc = the signed NFe bytes + the protNFe bytes SEFAZ returned, nothing re-serialised. */
export function nfeProc(signedNFe: string, protNFeRaw: string): string {
  return `${XML_DECL}<nfeProc xmlns="${NFE_NS}" versao="4.00">${stripXmlDeclaration(signedNFe)}${protNFeRaw}</nfeProc>`;
}

export function procEventoNFe(signedEvento: string, retEventoRaw: string): string {
  return `${XML_DECL}<procEventoNFe xmlns="${NFE_NS}" versao="1.00">${stripXmlDeclaration(signedEvento)}${retEventoRaw}</procEventoNFe>`;
}

/** The official schema (procInutNFe_v4.00.xsd) names this root "ProcInutNFe", capital P. */
export function procInutNFe(signedInut: string, retInutRaw: string): string {
  return `${XML_DECL}<ProcInutNFe xmlns="${NFE_NS}" versao="4.00">${stripXmlDeclaration(signedInut)}${retInutRaw}</ProcInutNFe>`;
}

// ---------------------------------------------------------------------------------------
// Replies

export interface BasicReply {
  cStat: string;
  xMotivo: string;
  dhRecbto?: string;
}

function root(payload: string, name: string): RawElement {
  const el = findElement(payload, name);
  if (!el) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, `Resposta da SEFAZ sem ${name}.`);
  return el;
}

/** cStat/xMotivo of the element itself, ignoring those of nested protocols. */
function ownStatus(inner: string, nestedNames: string[]): BasicReply {
  let own = inner;
  for (const n of nestedNames) for (const el of findElements(own, n)) own = own.replace(el.raw, '');
  const cStat = textOf(own, 'cStat');
  if (!cStat) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, 'Resposta da SEFAZ sem cStat.');
  const dhRecbto = textOf(own, 'dhRecbto');
  return { cStat, xMotivo: textOf(own, 'xMotivo') ?? '', ...(dhRecbto ? { dhRecbto } : {}) };
}

export interface StatusReply extends BasicReply {
  tpAmb: string;
  cUF: string;
  tMed?: number;
  dhRetorno?: string;
  xObs?: string;
}

export function readRetConsStatServ(payload: string): StatusReply {
  const el = root(payload, 'retConsStatServ');
  const s = ownStatus(el.inner, []);
  const tMed = textOf(el.inner, 'tMed');
  const dhRetorno = textOf(el.inner, 'dhRetorno');
  const xObs = textOf(el.inner, 'xObs');
  return {
    ...s,
    tpAmb: textOf(el.inner, 'tpAmb') ?? '',
    cUF: textOf(el.inner, 'cUF') ?? '',
    ...(tMed ? { tMed: Number(tMed) } : {}),
    ...(dhRetorno ? { dhRetorno } : {}),
    ...(xObs ? { xObs } : {}),
  };
}

export interface ProtNFe {
  /** Exact bytes as received, for nfeProc. */
  raw: string;
  chNFe: string;
  cStat: string;
  xMotivo: string;
  nProt?: string;
  dhRecbto?: string;
  digVal?: string;
}

export function readProtNFe(el: RawElement): ProtNFe {
  const raw = requireDefaultNamespace(el, 'protNFe');
  const inf = findElement(el.inner, 'infProt');
  if (!inf) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, 'protNFe sem infProt.');
  const nProt = textOf(inf.inner, 'nProt');
  const dhRecbto = textOf(inf.inner, 'dhRecbto');
  const digVal = textOf(inf.inner, 'digVal');
  return {
    raw,
    chNFe: textOf(inf.inner, 'chNFe') ?? '',
    cStat: textOf(inf.inner, 'cStat') ?? '',
    xMotivo: textOf(inf.inner, 'xMotivo') ?? '',
    ...(nProt ? { nProt } : {}),
    ...(dhRecbto ? { dhRecbto } : {}),
    ...(digVal ? { digVal } : {}),
  };
}

export interface RetEnviNFe extends BasicReply {
  nRec?: string;
  tMed?: number;
  prot?: ProtNFe;
}

export function readRetEnviNFe(payload: string): RetEnviNFe {
  const el = root(payload, 'retEnviNFe');
  const s = ownStatus(el.inner, ['protNFe']);
  const prot = findElement(el.inner, 'protNFe');
  const infRec = findElement(el.inner, 'infRec');
  const tMed = infRec ? textOf(infRec.inner, 'tMed') : undefined;
  const nRec = infRec ? textOf(infRec.inner, 'nRec') : undefined;
  return { ...s, ...(nRec ? { nRec } : {}), ...(tMed ? { tMed: Number(tMed) } : {}), ...(prot ? { prot: readProtNFe(prot) } : {}) };
}

export interface RetConsReciNFe extends BasicReply {
  nRec: string;
  prots: ProtNFe[];
}

export function readRetConsReciNFe(payload: string): RetConsReciNFe {
  const el = root(payload, 'retConsReciNFe');
  const s = ownStatus(el.inner, ['protNFe']);
  return { ...s, nRec: textOf(el.inner, 'nRec') ?? '', prots: findElements(el.inner, 'protNFe').map(readProtNFe) };
}

export interface RetEvento {
  raw: string;
  chNFe?: string;
  tpEvento?: string;
  nSeqEvento?: string;
  cStat: string;
  xMotivo: string;
  nProt?: string;
  dhRegEvento?: string;
}

function readRetEvento(el: RawElement): RetEvento {
  const raw = requireDefaultNamespace(el, 'retEvento');
  const inf = findElement(el.inner, 'infEvento');
  if (!inf) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, 'retEvento sem infEvento.');
  const pick = (n: string) => textOf(inf.inner, n);
  const out: RetEvento = { raw, cStat: pick('cStat') ?? '', xMotivo: pick('xMotivo') ?? '' };
  for (const k of ['chNFe', 'tpEvento', 'nSeqEvento', 'nProt', 'dhRegEvento'] as const) {
    const v = pick(k);
    if (v) out[k] = v;
  }
  return out;
}

export interface ProcEvento {
  /** The procEventoNFe element as SEFAZ returned it in a consulta. */
  raw: string;
  eventoRaw: string;
  ret: RetEvento;
}

export interface RetConsSitNFe extends BasicReply {
  chNFe: string;
  prot?: ProtNFe;
  events: ProcEvento[];
}

export function readRetConsSitNFe(payload: string): RetConsSitNFe {
  const el = root(payload, 'retConsSitNFe');
  const s = ownStatus(el.inner, ['protNFe', 'procEventoNFe', 'retCancNFe']);
  const prot = findElement(el.inner, 'protNFe');
  const events = findElements(el.inner, 'procEventoNFe').map((p): ProcEvento => {
    const evento = findElement(p.inner, 'evento');
    const ret = findElement(p.inner, 'retEvento');
    if (!evento || !ret) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, 'procEventoNFe incompleto na consulta.');
    return { raw: p.raw, eventoRaw: evento.raw, ret: readRetEvento(ret) };
  });
  return { ...s, chNFe: textOf(el.inner, 'chNFe') ?? '', ...(prot ? { prot: readProtNFe(prot) } : {}), events };
}

export interface RetEnvEvento extends BasicReply {
  idLote: string;
  retEventos: RetEvento[];
}

export function readRetEnvEvento(payload: string): RetEnvEvento {
  const el = root(payload, 'retEnvEvento');
  const s = ownStatus(el.inner, ['retEvento']);
  return { ...s, idLote: textOf(el.inner, 'idLote') ?? '', retEventos: findElements(el.inner, 'retEvento').map(readRetEvento) };
}

export interface RetInutNFe extends BasicReply {
  raw: string;
  nProt?: string;
}

export function readRetInutNFe(payload: string): RetInutNFe {
  const el = root(payload, 'retInutNFe');
  const raw = requireDefaultNamespace(el, 'retInutNFe');
  const s = ownStatus(el.inner, []);
  const nProt = textOf(el.inner, 'nProt');
  return { ...s, raw, ...(nProt ? { nProt } : {}) };
}

