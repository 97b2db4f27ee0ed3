import { FiscalErrors, fiscalError } from '../errors';
import { childElement, parseXmlDocument, readElement } from '../xml';
import { CTE_REPEATED, type CteModel, type InfCte } from './model';

/** Reads a CTe or cteProc document (DACTE, reprint, CT-e from NF-e screens). */
export function parseCte(xml: string): CteModel {
  const doc = parseXmlDocument(xml);
  const root = doc.documentElement!;
  const rootName = root.localName ?? root.nodeName;
  const cte = rootName === 'CTe' ? root : rootName === 'cteProc' ? childElement(root, 'CTe') : undefined;
  if (!cte) throw fiscalError(FiscalErrors.XML_INVALID, `Documento não é um CT-e (raiz "${rootName}").`);
  const inf = childElement(cte, 'infCte');
  if (!inf) throw fiscalError(FiscalErrors.XML_INVALID, 'CT-e sem infCte.');
  const infCte = readElement(inf, CTE_REPEATED) as InfCte;
  const chave = String(infCte['@Id'] ?? '').replace(/^CTe/, '');
  const model: CteModel = { chave, infCte };
  const supl = childElement(cte, 'infCTeSupl');
  const qr = supl ? childElement(supl, 'qrCodCTe') : undefined;
  if (qr) model.qrCodCTe = qr.textContent ?? '';
  const prot = rootName === 'cteProc' ? childElement(root, 'protCTe') : undefined;
  if (prot) model.protCTe = readElement(prot, CTE_REPEATED) as CteModel['protCTe'];
  return model;
}
