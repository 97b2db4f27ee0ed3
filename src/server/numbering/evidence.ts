import { X509Certificate } from 'node:crypto';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { AppError } from '../../core/errors';
import { isValidChave, parseChave } from '../../core/fiscal/chave';
import { cnpjFromCertificate } from '../../core/fiscal/certificate';
import { verifyXmlSignatures } from '../../core/fiscal/sign';
import { seriesLabel, type SeriesKey } from '../../core/numbering/protocol';
import forge from 'node-forge';

/**
 * Proof a station must hand the server before a number changes for good on its word:
 * the SEFAZ inutilização protocol (procInutNFe) before `inutilizada`, the signed NF-e
 * before `imported`. The server reads the fields from the signed elements themselves,
 * never from what the station declares beside them.
 */
export const EvidenceErrors = {
  EVIDENCE_REQUIRED: 'EVIDENCE_REQUIRED',
  EVIDENCE_INVALID: 'EVIDENCE_INVALID',
  EVIDENCE_MISMATCH: 'EVIDENCE_MISMATCH',
  FISCAL_TRUST_MISSING: 'FISCAL_TRUST_MISSING',
} as const;

const NFE_NS = 'http://www.portalfiscal.inf.br/nfe';
export const MAX_EVIDENCE_CHARS = 2_000_000;

const invalid = (why: string) => new AppError(EvidenceErrors.EVIDENCE_INVALID, `Comprovante fiscal recusado: ${why}`);
const mismatch = (why: string) => new AppError(EvidenceErrors.EVIDENCE_MISMATCH, `Comprovante fiscal não confere: ${why}`);

function parse(xml: string): Document {
  if (xml.length > MAX_EVIDENCE_CHARS) throw invalid('arquivo grande demais.');
  // Entities and DOCTYPEs have no place in NF-e documents (and are how parsers get abused).
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw invalid('o XML contém DOCTYPE/ENTITY.');
  let failed: string | null = null;
  let doc: Document | null = null;
  try {
    doc = new DOMParser({ onError: (level, msg) => void (level !== 'warning' && (failed ??= msg)) }).parseFromString(xml, 'text/xml');
  } catch (err) {
    failed ??= (err as Error).message;
  }
  if (failed || !doc?.documentElement) throw invalid(`XML mal formado (${String(failed ?? 'vazio').slice(0, 120)}).`);
  return doc;
}

/** Every element with an Id must be unique: a duplicate Id is how signature wrapping starts. */
function signedElements(doc: Document, xml: string): Map<string, { el: Element; certPem: string }> {
  const seen = new Set<string>();
  const all = doc.getElementsByTagName('*');
  for (let i = 0; i < all.length; i++) {
    const id = all[i]!.getAttribute('Id');
    if (!id) continue;
    if (seen.has(id)) throw invalid(`Id "${id.slice(0, 60)}" repetido no documento.`);
    seen.add(id);
  }
  const out = new Map<string, { el: Element; certPem: string }>();
  for (const check of verifyXmlSignatures(xml)) {
    if (!check.valid || !check.referenceId || !check.certPem) continue;
    const el = [...Array.from(all)].find((e) => e.getAttribute('Id') === check.referenceId);
    if (el) out.set(check.referenceId, { el, certPem: check.certPem });
  }
  return out;
}

function child(el: Element, local: string): Element | null {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === local && (n as Element).namespaceURI === NFE_NS) return n as Element;
  }
  return null;
}

function text(el: Element, local: string): string {
  return child(el, local)?.textContent?.trim() ?? '';
}

function only(doc: Document, local: string): Element {
  const found = doc.getElementsByTagNameNS(NFE_NS, local);
  if (found.length !== 1) throw invalid(found.length === 0 ? `falta o elemento ${local}.` : `há ${found.length} elementos ${local}.`);
  return found[0]!;
}

/** The signed element named `local` under `parent`, or why it is not acceptable. */
function signedChild(signed: Map<string, { el: Element; certPem: string }>, parent: Element, local: string, who: string): { el: Element; certPem: string } {
  const el = child(parent, local);
  if (!el) throw invalid(`falta ${parent.localName}/${local}.`);
  const s = signed.get(el.getAttribute('Id') ?? '');
  if (!s || s.el !== el) throw invalid(`a assinatura ${who} não confere (documento alterado ou sem assinatura).`);
  return s;
}

/**
 * True when `leafPem` chains to one of `trustPems` (roots and intermediates of ICP-Brasil,
 * or the simulator's CA): each link checked by issuer name and signature.
 */
export function chainsTo(leafPem: string, trustPems: readonly string[]): boolean {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(leafPem);
  } catch {
    return false;
  }
  const pool = trustPems.flatMap((p) => {
    try {
      return [new X509Certificate(p)];
    } catch {
      return [];
    }
  });
  for (let depth = 0; depth < 8; depth++) {
    if (pool.some((t) => t.fingerprint256 === cert.fingerprint256)) return true;
    const issuer = pool.find((t) => cert.checkIssued(t) && cert.verify(t.publicKey));
    if (!issuer) return false;
    if (issuer.checkIssued(issuer)) return true;
    cert = issuer;
  }
  return false;
}

function certCnpj(pem: string): string | null {
  try {
    return cnpjFromCertificate(forge.pki.certificateFromPem(pem));
  } catch {
    return null;
  }
}

export interface InutEvidenceExpect {
  series: SeriesKey;
  first: number;
  last: number;
}

/**
 * A procInutNFe (inutNFe signed by the emitter + retInutNFe signed by SEFAZ) proves that
 * SEFAZ inutilizou exactly [first, last] of this series: cStat 102, the emitter's signature
 * over its request, SEFAZ's signature over its answer by a certificate that chains to the
 * fiscal roots the server trusts, and the same CNPJ, model, série and range on both.
 */
export function verifyInutEvidence(xml: string | undefined, want: InutEvidenceExpect, trustPems: readonly string[]): { nProt: string } {
  if (!xml) {
    throw new AppError(
      EvidenceErrors.EVIDENCE_REQUIRED,
      `Para marcar números como inutilizados o servidor precisa do protocolo de inutilização da SEFAZ (procInutNFe) da ${seriesLabel(want.series)}, nº ${want.first}–${want.last}.`,
    );
  }
  if (trustPems.length === 0) {
    throw new AppError(
      EvidenceErrors.FISCAL_TRUST_MISSING,
      'O servidor LAN não tem as autoridades certificadoras da SEFAZ (pasta resources/icp-brasil ou --sefaz-ca) para conferir o protocolo de inutilização.',
    );
  }
  const doc = parse(xml);
  const signed = signedElements(doc, xml);
  const inutNFe = only(doc, 'inutNFe');
  const retInutNFe = only(doc, 'retInutNFe');
  const req = signedChild(signed, inutNFe, 'infInut', 'do emitente').el;
  const ret = signedChild(signed, retInutNFe, 'infInut', 'da SEFAZ');
  if (!chainsTo(ret.certPem, trustPems)) throw invalid('a resposta não foi assinada por um certificado da SEFAZ (cadeia ICP-Brasil).');
  const cStat = text(ret.el, 'cStat');
  if (cStat !== '102') throw invalid(`a SEFAZ não homologou a inutilização (cStat ${cStat || 'ausente'}).`);
  const nProt = text(ret.el, 'nProt');
  if (!/^\d{15}$/.test(nProt)) throw invalid('protocolo (nProt) ausente ou inválido.');
  const model = String(want.series.model);
  for (const [el, who] of [
    [req, 'pedido'],
    [ret.el, 'resposta'],
  ] as const) {
    const got = { CNPJ: text(el, 'CNPJ').toUpperCase(), mod: text(el, 'mod'), serie: Number(text(el, 'serie')), ini: Number(text(el, 'nNFIni')), fin: Number(text(el, 'nNFFin')) };
    if (got.CNPJ !== want.series.cnpj || got.mod !== model || got.serie !== want.series.serie) {
      throw mismatch(`o ${who} é do CNPJ ${got.CNPJ || '?'} modelo ${got.mod || '?'} série ${got.serie}, não da ${seriesLabel(want.series)}.`);
    }
    if (got.ini !== want.first || got.fin !== want.last) throw mismatch(`o ${who} inutiliza ${got.ini}–${got.fin}, não ${want.first}–${want.last}.`);
  }
  return { nProt };
}

export interface ImportEvidenceExpect {
  series: SeriesKey;
  number: number;
}

/**
 * An own-emission NF-e claims its number only with its signed XML: the emitter's signature
 * over infNFe verifies, by a certificate of the same CNPJ base (rejection 213), and the
 * chave in the signed Id carries this CNPJ, model, série and number (with a valid DV), as
 * ide and emit repeat them. A series can no longer be blocked by a number alone.
 */
export function verifyImportEvidence(xml: string | undefined, want: ImportEvidenceExpect): { chave: string } {
  if (!xml) {
    throw new AppError(EvidenceErrors.EVIDENCE_REQUIRED, `Para importar o número ${want.number} da ${seriesLabel(want.series)} o servidor precisa do XML assinado da nota.`);
  }
  const doc = parse(xml);
  const signed = signedElements(doc, xml);
  const nfe = only(doc, 'NFe');
  const { el: inf, certPem } = signedChild(signed, nfe, 'infNFe', 'do emitente');
  const chave = (inf.getAttribute('Id') ?? '').replace(/^NFe/, '');
  if (!isValidChave(chave)) throw invalid(`chave de acesso ${chave.slice(0, 44)} inválida (dígito verificador).`);
  const k = parseChave(chave);
  const ide = child(inf, 'ide');
  const emit = child(inf, 'emit');
  if (!ide || !emit) throw invalid('faltam ide/emit na nota.');
  const emitCnpj = text(emit, 'CNPJ').toUpperCase();
  const fields = { cnpj: k.emitente, mod: k.mod, serie: k.serie, nNF: k.nNF };
  if (emitCnpj !== fields.cnpj || text(ide, 'mod') !== fields.mod || Number(text(ide, 'serie')) !== fields.serie || Number(text(ide, 'nNF')) !== fields.nNF) {
    throw invalid('a chave de acesso não confere com ide/emit da própria nota.');
  }
  if (fields.cnpj !== want.series.cnpj || fields.mod !== String(want.series.model) || fields.serie !== want.series.serie || fields.nNF !== want.number) {
    throw mismatch(`a nota é ${fields.mod === '57' ? 'CT-e' : 'NF-e'} nº ${fields.nNF} série ${fields.serie} do CNPJ ${fields.cnpj}, não o nº ${want.number} da ${seriesLabel(want.series)}.`);
  }
  const signer = certCnpj(certPem);
  if (!signer || signer.slice(0, 8) !== fields.cnpj.slice(0, 8)) throw mismatch('a nota não foi assinada por um certificado do CNPJ emitente.');
  return { chave };
}
