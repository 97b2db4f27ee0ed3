import type { Element } from '@xmldom/xmldom';
import { isAlphanumericCnpj } from './documents';
import { FiscalErrors, fiscalError } from './errors';
import type { InfNFe, NfeModel, ProtNFe } from './model';
import { childElement, parseXmlDocument, readElement } from './xml';

/**
 * Reads an NFe or nfeProc document (import, reprint) into the same model buildNfe returns.
 * Values stay as the XML text; the layout is guessed from content (IBS/CBS groups or an
 * alphanumeric CNPJ mean PL_010_V1.30).
 */
export function parseNfe(xml: string): NfeModel {
  const root = parseXmlDocument(xml).documentElement!;
  const rootName = root.localName ?? root.nodeName;
  let nfe: Element | undefined;
  let prot: Element | undefined;
  if (rootName === 'nfeProc') {
    nfe = childElement(root, 'NFe');
    prot = childElement(root, 'protNFe');
  } else if (rootName === 'NFe') nfe = root;
  const inf = nfe && childElement(nfe, 'infNFe');
  if (!inf) throw fiscalError(FiscalErrors.XML_INVALID, `O arquivo não é uma NF-e (raiz "${rootName}"; esperado NFe ou nfeProc).`);
  const infNFe = readElement(inf) as InfNFe;
  if (!Array.isArray(infNFe.det) || !infNFe.ide || !infNFe.emit || !infNFe.total) {
    throw fiscalError(FiscalErrors.XML_INVALID, 'NF-e incompleta: faltam ide, emit, det ou total.');
  }
  const chave = (infNFe['@Id'] ?? '').replace(/^NFe/, '');
  const alnum = [infNFe.emit.CNPJ, infNFe.dest?.CNPJ].some((c) => c !== undefined && isAlphanumericCnpj(c));
  const model: NfeModel = {
    layout: alnum || infNFe.det.some((d) => d.imposto?.IBSCBS) || infNFe.total.IBSCBSTot ? 'PL_010_V1.30' : 'PL_009_V4',
    chave,
    infNFe,
  };
  if (prot) model.protNFe = readElement(prot) as ProtNFe;
  return model;
}
