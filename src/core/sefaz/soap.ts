import { SefazErrors, sefazError } from './errors';
import { findElement, stripXmlDeclaration, textOf } from './xml';

/** The six NF-e 4.00 web services (their WSDL names, used in the SOAP body namespace). */
export const NfeServices = {
  autorizacao: 'NFeAutorizacao4',
  retAutorizacao: 'NFeRetAutorizacao4',
  consultaProtocolo: 'NFeConsultaProtocolo4',
  inutilizacao: 'NFeInutilizacao4',
  recepcaoEvento: 'NFeRecepcaoEvento4',
  statusServico: 'NFeStatusServico4',
} as const;

export type NfeServiceKey = keyof typeof NfeServices;
export type NfeServiceName = (typeof NfeServices)[NfeServiceKey];

export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const SOAP_CONTENT_TYPE = 'application/soap+xml; charset=utf-8';

export function wsdlNamespace(service: NfeServiceName): string {
  return `http://www.portalfiscal.inf.br/nfe/wsdl/${service}`;
}

function envelope(tag: 'nfeDadosMsg' | 'nfeResultMsg', service: NfeServiceName, body: string): string {
  // 4.00 has no SOAP header (nfeCabecMsg was dropped); the payload goes in as is, no whitespace.
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap12:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap12="${SOAP12_NS}">` +
    `<soap12:Body><${tag} xmlns="${wsdlNamespace(service)}">${stripXmlDeclaration(body)}</${tag}></soap12:Body></soap12:Envelope>`
  );
}

/** Request envelope: `soap12:Envelope/soap12:Body/nfeDadosMsg` with the message inside. */
export function buildSoapRequest(service: NfeServiceName, body: string): string {
  return envelope('nfeDadosMsg', service, body);
}

/** Reply envelope (simulator side): `nfeResultMsg`. */
export function buildSoapResponse(service: NfeServiceName, body: string): string {
  return envelope('nfeResultMsg', service, body);
}

export function buildSoapFault(reason: string, code: 'soap12:Sender' | 'soap12:Receiver' = 'soap12:Sender'): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap12:Envelope xmlns:soap12="${SOAP12_NS}"><soap12:Body><soap12:Fault>` +
    `<soap12:Code><soap12:Value>${code}</soap12:Value></soap12:Code>` +
    `<soap12:Reason><soap12:Text xml:lang="pt-BR">${reason}</soap12:Text></soap12:Reason>` +
    '</soap12:Fault></soap12:Body></soap12:Envelope>'
  );
}

export interface SoapMessage {
  kind: 'nfeDadosMsg' | 'nfeResultMsg';
  /** The service named by the body element's namespace (…/wsdl/<Service>). */
  service: string;
  /** The exact text inside nfeDadosMsg/nfeResultMsg. */
  payload: string;
}

/** Cuts the payload out of a SOAP 1.2 envelope, keeping its bytes. Faults become errors. */
export function parseSoap(xml: string): SoapMessage {
  const body = findElement(xml, 'Body');
  if (!body) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, 'Mensagem SOAP sem Body.');
  const fault = findElement(body.inner, 'Fault');
  if (fault) {
    const reason = textOf(fault.inner, 'Text') ?? textOf(fault.inner, 'faultstring') ?? 'sem descrição';
    throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, `A SEFAZ respondeu com erro SOAP: ${reason}`);
  }
  for (const kind of ['nfeDadosMsg', 'nfeResultMsg'] as const) {
    const el = findElement(body.inner, kind);
    if (!el) continue;
    const ns = el.startTag.match(/xmlns(?::\w+)?\s*=\s*"([^"]*)"/)?.[1] ?? '';
    const service = ns.replace(/^.*\/wsdl\//, '');
    return { kind, service, payload: el.inner };
  }
  throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, 'Mensagem SOAP sem nfeDadosMsg/nfeResultMsg.');
}
