import { DOMParser, type Element } from '@xmldom/xmldom';
import { FiscalErrors, fiscalError } from './errors';

/**
 * Text escaping exactly as @xmldom/xmldom serialises (only & < >), so the text we build is
 * the text xml-crypto writes back after signing: one byte different and signXml refuses.
 */
export function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function escapeAttr(s: string): string {
  return s.replace(/[&<"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&quot;'));
}

/**
 * Writes an ordered object as XML without any whitespace between tags (SEFAZ rejects
 * documents with formatting, 297/588). Keys starting with "@" are attributes; undefined
 * values are skipped; arrays repeat the tag.
 */
export function writeElement(tag: string, value: unknown, out: string[] = []): string[] {
  if (value === undefined || value === null) return out;
  if (Array.isArray(value)) {
    for (const v of value) writeElement(tag, v, out);
    return out;
  }
  if (typeof value !== 'object') {
    out.push(`<${tag}>${escapeText(String(value))}</${tag}>`);
    return out;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  let open = `<${tag}`;
  for (const [k, v] of entries) if (k.startsWith('@') && v !== undefined) open += ` ${k.slice(1)}="${escapeAttr(String(v))}"`;
  out.push(open + '>');
  for (const [k, v] of entries) if (!k.startsWith('@')) writeElement(k, v, out);
  out.push(`</${tag}>`);
  return out;
}

export function toXml(tag: string, value: unknown): string {
  return writeElement(tag, value).join('');
}

/** Tags that repeat inside an NF-e: always read as arrays. */
const REPEATED = new Set(['det', 'detPag', 'vol', 'lacres', 'obsCont', 'obsFisco', 'NFref', 'autXML', 'reboque', 'origComb', 'dup', 'procRef', 'gCred', 'rastro', 'DI', 'adi', 'detExport', 'NVE', 'arma']);

/** Reads an element into an ordered object (inverse of writeElement). */
export function readElement(el: Element, repeated: ReadonlySet<string> = REPEATED): unknown {
  const obj: Record<string, unknown> = {};
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!;
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
    obj[`@${a.name}`] = a.value;
  }
  let hasChildElements = false;
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue;
    hasChildElements = true;
    const child = n as Element;
    const name = child.localName ?? child.nodeName;
    const value = readElement(child, repeated);
    if (repeated.has(name)) ((obj[name] ??= []) as unknown[]).push(value);
    else obj[name] = value;
  }
  if (!hasChildElements && Object.keys(obj).length === 0) return el.textContent ?? '';
  return obj;
}

export function parseXmlDocument(xml: string) {
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') errors.push(msg);
    },
  }).parseFromString(xml, 'text/xml');
  if (errors.length > 0 || !doc.documentElement) {
    throw fiscalError(FiscalErrors.XML_INVALID, `XML mal formado: ${errors[0] ?? 'documento vazio'}`);
  }
  return doc;
}

export function childElement(el: Element, localName: string): Element | undefined {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && ((n as Element).localName ?? n.nodeName) === localName) return n as Element;
  }
  return undefined;
}
