import { gunzipSync, gzipSync } from 'node:zlib';
import { SefazErrors, sefazError } from './errors';
import type { ProcEvento, ProtNFe, RetConsSitNFe, RetEnviNFe, RetEvento, StatusReply, TpAmb } from './messages';
import { SOAP12_NS } from './soap';
import { findElement, findElements, requireDefaultNamespace, stripXmlDeclaration, textOf, type RawElement } from './xml';

/**
 * CT-e 4.00 web services (MOC CT-e 4.00): synchronous reception only (CTeRecepcaoSincV4,
 * the CTe gzip-compressed and base64-encoded in cteDadosMsg), consulta, status, eventos.
 * Replies are read without re-serialising: protCTe and retEventoCTe are stored as sent.
 */
export const CteServices = {
  recepcaoSinc: 'CTeRecepcaoSincV4',
  consulta: 'CTeConsultaV4',
  statusServico: 'CTeStatusServicoV4',
  recepcaoEvento: 'CTeRecepcaoEventoV4',
} as const;
export type CteServiceKey = keyof typeof CteServices;
export type CteServiceName = (typeof CteServices)[CteServiceKey];

/** The element carrying each service's reply inside soap12:Body. */
export const CTE_RESULT_TAG: Record<CteServiceName, string> = {
  CTeRecepcaoSincV4: 'cteRecepcaoSincResult',
  CTeConsultaV4: 'cteConsultaCTResult',
  CTeStatusServicoV4: 'cteStatusServicoCTResult',
  CTeRecepcaoEventoV4: 'cteRecepcaoEventoResult',
};

export const CTE_NS = 'http://www.portalfiscal.inf.br/cte';
export const cteWsdlNamespace = (service: CteServiceName) => `${CTE_NS}/wsdl/${service}`;

function envelope(tag: string, service: CteServiceName, body: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap12:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap12="${SOAP12_NS}">` +
    `<soap12:Body><${tag} xmlns="${cteWsdlNamespace(service)}">${body}</${tag}></soap12:Body></soap12:Envelope>`
  );
}

export function buildCteSoapRequest(service: CteServiceName, body: string): string {
  return envelope('cteDadosMsg', service, stripXmlDeclaration(body));
}

export function buildCteSoapResponse(service: CteServiceName, body: string): string {
  return envelope(CTE_RESULT_TAG[service], service, stripXmlDeclaration(body));
}

export interface CteSoapMessage {
  kind: 'request' | 'reply';
  service: string;
  payload: string;
}

/** Cuts cteDadosMsg (request) or the *Result element (reply) out of a SOAP 1.2 envelope. */
export function parseCteSoap(xml: string): CteSoapMessage {
  const body = findElement(xml, 'Body');
  if (!body) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, 'Mensagem SOAP sem Body.');
  const fault = findElement(body.inner, 'Fault');
  if (fault) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, `A SEFAZ respondeu com erro SOAP: ${textOf(fault.inner, 'Text') ?? 'sem descrição'}`);
  const first = body.inner.match(/<(?:[\w.-]+:)?([\w.-]+)[\s>]/);
  const name = first?.[1] ?? '';
  if (name !== 'cteDadosMsg' && !name.endsWith('Result')) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, `Mensagem SOAP sem cteDadosMsg ou resultado (encontrado "${name}").`);
  const el = findElement(body.inner, name)!;
  const ns = el.startTag.match(/xmlns(?::\w+)?\s*=\s*"([^"]*)"/)?.[1] ?? '';
  return { kind: name === 'cteDadosMsg' ? 'request' : 'reply', service: ns.replace(/^.*\/wsdl\//, ''), payload: el.inner };
}

/** CTeRecepcaoSincV4 payload: the signed CTe bytes, gzip, base64 (no XML declaration). */
export function compressCte(signedCte: string): string {
  return gzipSync(Buffer.from(stripXmlDeclaration(signedCte), 'utf8')).toString('base64');
}

export function decompressCte(payload: string): string {
  const text = payload.trim();
  if (!/^[A-Za-z0-9+/=\s]+$/.test(text)) throw sefazError(SefazErrors.SEFAZ_INVALID_REQUEST, 'O CT-e deve ir compactado (gzip) e em base64.');
  try {
    return gunzipSync(Buffer.from(text, 'base64')).toString('utf8');
  } catch {
    throw sefazError(SefazErrors.SEFAZ_INVALID_REQUEST, 'Conteúdo base64 não é um CT-e compactado com gzip.');
  }
}

export function consStatServCTe(tpAmb: TpAmb, cUF: string): string {
  return `<consStatServCTe xmlns="${CTE_NS}" versao="4.00"><tpAmb>${tpAmb}</tpAmb><cUF>${cUF}</cUF><xServ>STATUS</xServ></consStatServCTe>`;
}

export function consSitCTe(tpAmb: TpAmb, chCTe: string): string {
  return `<consSitCTe xmlns="${CTE_NS}" versao="4.00"><tpAmb>${tpAmb}</tpAmb><xServ>CONSULTAR</xServ><chCTe>${chCTe}</chCTe></consSitCTe>`;
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/** cteProc = the signed CTe bytes + the protCTe bytes SEFAZ returned, nothing re-serialised. */
export function cteProc(signedCte: string, protCTeRaw: string): string {
  return `${XML_DECL}<cteProc xmlns="${CTE_NS}" versao="4.00">${stripXmlDeclaration(signedCte)}${protCTeRaw}</cteProc>`;
}

export function procEventoCTe(signedEvento: string, retEventoRaw: string): string {
  return `${XML_DECL}<procEventoCTe xmlns="${CTE_NS}" versao="4.00">${stripXmlDeclaration(signedEvento)}${retEventoRaw}</procEventoCTe>`;
}

function root(payload: string, name: string): RawElement {
  const el = findElement(payload, name);
  if (!el) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, `Resposta da SEFAZ sem ${name}.`);
  return el;
}

function own(inner: string, nested: string[]): { cStat: string; xMotivo: string; dhRecbto?: string } {
  let rest = inner;
  for (const n of nested) for (const el of findElements(rest, n)) rest = rest.replace(el.raw, '');
  const cStat = textOf(rest, 'cStat');
  if (!cStat) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, 'Resposta da SEFAZ sem cStat.');
  const dhRecbto = textOf(rest, 'dhRecbto');
  return { cStat, xMotivo: textOf(rest, 'xMotivo') ?? '', ...(dhRecbto ? { dhRecbto } : {}) };
}

/** protCTe, in the shape the outbox reads for both models (chNFe carries chCTe). */
export function readProtCTe(el: RawElement): ProtNFe {
  const raw = requireDefaultNamespace(el, 'protCTe');
  const inf = findElement(el.inner, 'infProt');
  if (!inf) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, 'protCTe sem infProt.');
  const opt = (n: string) => textOf(inf.inner, n);
  return {
    raw,
    chNFe: opt('chCTe') ?? '',
    cStat: opt('cStat') ?? '',
    xMotivo: opt('xMotivo') ?? '',
    ...(opt('nProt') ? { nProt: opt('nProt')! } : {}),
    ...(opt('dhRecbto') ? { dhRecbto: opt('dhRecbto')! } : {}),
    ...(opt('digVal') ? { digVal: opt('digVal')! } : {}),
  };
}

/** retCTe (reply of CTeRecepcaoSincV4). */
export function readRetCTe(payload: string): RetEnviNFe {
  const el = root(payload, 'retCTe');
  const prot = findElement(el.inner, 'protCTe');
  return { ...own(el.inner, ['protCTe']), ...(prot ? { prot: readProtCTe(prot) } : {}) };
}

export function readRetEventoCTe(el: RawElement): RetEvento {
  const raw = requireDefaultNamespace(el, 'retEventoCTe');
  const inf = findElement(el.inner, 'infEvento');
  if (!inf) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, 'retEventoCTe sem infEvento.');
  const pick = (n: string) => textOf(inf.inner, n);
  const out: RetEvento = { raw, cStat: pick('cStat') ?? '', xMotivo: pick('xMotivo') ?? '' };
  const chCTe = pick('chCTe');
  if (chCTe) out.chNFe = chCTe;
  for (const k of ['tpEvento', 'nSeqEvento', 'nProt', 'dhRegEvento'] as const) {
    const v = pick(k);
    if (v) out[k] = v;
  }
  return out;
}

export function readRetEvento(payload: string): RetEvento {
  return readRetEventoCTe(root(payload, 'retEventoCTe'));
}

/** retConsSitCTe: protCTe and the registered events (procEventoCTe). */
export function readRetConsSitCTe(payload: string): RetConsSitNFe {
  const el = root(payload, 'retConsSitCTe');
  const s = own(el.inner, ['protCTe', 'procEventoCTe']);
  const prot = findElement(el.inner, 'protCTe');
  const events = findElements(el.inner, 'procEventoCTe').map((p): ProcEvento => {
    const evento = findElement(p.inner, 'eventoCTe');
    const ret = findElement(p.inner, 'retEventoCTe');
    if (!evento || !ret) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, 'procEventoCTe incompleto na consulta.');
    return { raw: p.raw, eventoRaw: evento.raw, ret: readRetEventoCTe(ret) };
  });
  const ch = prot ? readProtCTe(prot) : undefined;
  return { ...s, chNFe: ch?.chNFe ?? '', ...(ch ? { prot: ch } : {}), events };
}

export function readRetConsStatServCTe(payload: string): StatusReply {
  const el = root(payload, 'retConsStatServCTe');
  const tMed = textOf(el.inner, 'tMed');
  const xObs = textOf(el.inner, 'xObs');
  return { ...own(el.inner, []), tpAmb: textOf(el.inner, 'tpAmb') ?? '', cUF: textOf(el.inner, 'cUF') ?? '', ...(tMed ? { tMed: Number(tMed) } : {}), ...(xObs ? { xObs } : {}) };
}
