import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { FiscalErrors, fiscalError } from './errors';

/**
 * The algorithms SEFAZ accepts (Manual de Orientação do Contribuinte, 4.00): inclusive C14N
 * 2001 without comments, RSA-SHA1, SHA1 digests, transforms enveloped-signature then C14N.
 * xml-crypto ≥5 has no defaults, so every one of them is set here explicitly.
 */
export const DSIG = {
  c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  ns: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

export interface SigningMaterial {
  /** Leaf certificate only: SEFAZ wants exactly one X509Certificate. */
  certPem: string;
  keyPem: string;
}

function pemBody(pem: string): string {
  const m = pem.match(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/);
  if (!m) throw fiscalError(FiscalErrors.SIGNATURE_FAILED, 'Certificado inválido para assinatura (PEM esperado).');
  return m[1]!.replace(/\s+/g, '');
}

function findSignedElementId(xml: string, tag: string): string {
  const re = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${tag}(?=[\\s/>])([^>]*)>`, 'g');
  const found = [...xml.matchAll(re)];
  if (found.length !== 1) {
    throw fiscalError(
      FiscalErrors.SIGNATURE_FAILED,
      found.length === 0 ? `Elemento ${tag} não encontrado para assinar.` : `Há ${found.length} elementos ${tag}; assine cada documento separadamente.`,
    );
  }
  const id = found[0]![1]!.match(/\sId="([^"]+)"/)?.[1];
  // Without an Id xml-crypto would inject Id="_0", which SEFAZ rejects.
  if (!id) throw fiscalError(FiscalErrors.SIGNATURE_FAILED, `O elemento ${tag} não tem o atributo Id exigido para a assinatura.`);
  return id;
}

/**
 * Signs the element `elementTagName` (infNFe, infEvento, infInut, infCte…) of a standalone
 * document and places `<Signature>` right after it. Returns the signed text, which is the
 * record: store and send it byte for byte (rejections 297/588 follow any reformatting).
 * Throws if the serialiser would change a single byte of the input besides the signature.
 */
export function signXml(xml: string, elementTagName: string, key: SigningMaterial): string {
  const id = findSignedElementId(xml, elementTagName);
  const certBody = pemBody(key.certPem);
  const sig = new SignedXml({
    privateKey: key.keyPem,
    publicCert: key.certPem,
    canonicalizationAlgorithm: DSIG.c14n,
    signatureAlgorithm: DSIG.rsaSha1,
    getKeyInfoContent: () => `<X509Data><X509Certificate>${certBody}</X509Certificate></X509Data>`,
  });
  // Standalone documents (NFe, evento, inutNFe) carry the signed element as a child of the
  // root: a rooted path is far cheaper for xml-crypto than scanning the whole tree with //.
  const xpath = `/*/*[local-name(.)='${elementTagName}' and @Id='${id}']`;
  sig.addReference({ xpath, transforms: [DSIG.enveloped, DSIG.c14n], digestAlgorithm: DSIG.sha1 });
  try {
    sig.computeSignature(xml, { location: { reference: xpath, action: 'after' } });
  } catch (err) {
    throw fiscalError(FiscalErrors.SIGNATURE_FAILED, `Falha ao assinar o XML: ${(err as Error).message}`, undefined, err);
  }
  const signed = sig.getSignedXml();
  const signatureXml = sig.getSignatureXml();
  // The digest covers the re-parsed document; a serialiser that rewrote any byte would make
  // the stored text differ from what was signed and hashed.
  if (signed.replace(signatureXml, '') !== xml) {
    throw fiscalError(
      FiscalErrors.SIGNATURE_FAILED,
      'O XML gerado não é estável na serialização (escape ou espaços); a assinatura não foi aplicada.',
    );
  }
  return signed;
}

export interface SignatureCheck {
  valid: boolean;
  /** pt-BR reason when invalid. */
  reason?: string;
  /** Id of the element the signature covers ("NFe3524…"). */
  referenceId?: string;
  /** The signer's certificate from KeyInfo, PEM. */
  certPem?: string;
}

function toPem(b64: string): string {
  const body = b64.replace(/\s+/g, '').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

function elementsByLocalName(node: Element | Document, ns: string, local: string): Element[] {
  return Array.from(node.getElementsByTagNameNS(ns, local));
}

/**
 * Verifies every XML-DSig signature in a document the way SEFAZ does: exact algorithms,
 * the reference pointing at the parent's signed element by Id, and the signature value
 * against the X509Certificate carried in KeyInfo. Used by the SEFAZ simulator and tests.
 */
export function verifyXmlSignatures(xml: string): SignatureCheck[] {
  let doc: Document;
  try {
    doc = new DOMParser().parseFromString(xml, 'text/xml');
  } catch (err) {
    return [{ valid: false, reason: `XML mal formado: ${(err as Error).message}` }];
  }
  const signatures = elementsByLocalName(doc, DSIG.ns, 'Signature');
  if (signatures.length === 0) return [{ valid: false, reason: 'Documento sem assinatura digital.' }];
  return signatures.map((sigNode) => checkOne(xml, sigNode));
}

/** The single signature of a standalone document (NFe, evento, inutNFe). */
export function verifyXmlSignature(xml: string): SignatureCheck {
  const all = verifyXmlSignatures(xml);
  if (all.length !== 1) return { valid: false, reason: `Esperada uma assinatura, encontradas ${all.length}.` };
  return all[0]!;
}

function checkOne(xml: string, sigNode: Element): SignatureCheck {
  const text = (local: string, attr?: string): string[] =>
    elementsByLocalName(sigNode, DSIG.ns, local).map((e) => (attr ? e.getAttribute(attr) ?? '' : e.textContent ?? ''));
  const certs = text('X509Certificate');
  if (certs.length !== 1) return { valid: false, reason: `A assinatura deve conter exatamente um X509Certificate (encontrados ${certs.length}).` };
  const certPem = toPem(certs[0]!);
  const refs = text('Reference', 'URI');
  if (refs.length !== 1 || !refs[0]!.startsWith('#')) return { valid: false, certPem, reason: 'A assinatura deve ter uma única Reference com URI "#Id".' };
  const referenceId = refs[0]!.slice(1);
  const expectAlg = (local: string, values: string[]): boolean => {
    const got = text(local, 'Algorithm');
    return got.length === values.length && got.every((g, i) => g === values[i]);
  };
  if (!expectAlg('CanonicalizationMethod', [DSIG.c14n]) || !expectAlg('SignatureMethod', [DSIG.rsaSha1]) || !expectAlg('DigestMethod', [DSIG.sha1]) || !expectAlg('Transform', [DSIG.enveloped, DSIG.c14n])) {
    return { valid: false, certPem, referenceId, reason: 'Algoritmos da assinatura diferentes dos exigidos (C14N, RSA-SHA1, SHA1, enveloped).' };
  }
  // Guards signature wrapping: the signed element must be the Signature's preceding sibling.
  let prev = sigNode.previousSibling;
  // CT-e (infCTeSupl) and NFC-e (infNFeSupl) carry an unsigned QR-code block between the
  // signed element and the Signature, as their schemas order them.
  while (prev && (prev.nodeType !== 1 || /^inf(CTe|NFe)Supl$/.test((prev as Element).localName ?? ''))) prev = prev.previousSibling;
  if (!prev || (prev as Element).getAttribute('Id') !== referenceId) {
    return { valid: false, certPem, referenceId, reason: 'A assinatura não se refere ao elemento que a antecede.' };
  }
  const verifier = new SignedXml({ publicCert: certPem, canonicalizationAlgorithm: DSIG.c14n, signatureAlgorithm: DSIG.rsaSha1 });
  try {
    verifier.loadSignature(sigNode as unknown as Parameters<SignedXml['loadSignature']>[0]);
    const ok = verifier.checkSignature(xml);
    if (!ok) return { valid: false, certPem, referenceId, reason: 'Valor do resumo (DigestValue) não confere: o documento foi alterado após a assinatura.' };
  } catch (err) {
    const msg = (err as Error).message;
    const reason = /signature value/i.test(msg) ? 'Valor da assinatura (SignatureValue) não confere.' : `Assinatura inválida: ${msg}`;
    return { valid: false, certPem, referenceId, reason };
  }
  return { valid: true, certPem, referenceId };
}
