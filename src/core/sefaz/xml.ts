import { SefazErrors, sefazError } from './errors';

/**
 * String-level XML helpers for SEFAZ messages. Signed documents and SEFAZ protocols are
 * kept as the exact bytes received or signed: cutting elements out of a reply (instead of
 * parsing and re-serialising) is what keeps digests valid (rejections 297/588).
 */

/** Text-node escaping exactly as the DOM serialiser writes it (signing checks byte stability). */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

export interface RawElement {
  /** The element's exact text, from "<" of the start tag to ">" of the end tag. */
  raw: string;
  /** Namespace prefix used in the tag ('' for the default namespace). */
  prefix: string;
  /** Text between the start and end tags. */
  inner: string;
  /** The start tag itself (attributes included). */
  startTag: string;
  start: number;
  end: number;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Every occurrence of element `localName` (any prefix) in document order. Nested elements
 * of the same name are matched by depth, so an outer element is returned whole.
 */
export function findElements(xml: string, localName: string, from = 0, to = xml.length): RawElement[] {
  const out: RawElement[] = [];
  const open = new RegExp(`<(?:([A-Za-z_][\\w.-]*):)?${escapeRe(localName)}(?=[\\s/>])[^>]*>`, 'g');
  open.lastIndex = from;
  for (;;) {
    const m = open.exec(xml);
    if (!m || m.index >= to) break;
    const prefix = m[1] ?? '';
    const qname = prefix ? `${prefix}:${localName}` : localName;
    const startTag = m[0];
    if (startTag.endsWith('/>')) {
      out.push({ raw: startTag, prefix, inner: '', startTag, start: m.index, end: m.index + startTag.length });
      continue;
    }
    const tagRe = new RegExp(`<(/?)${escapeRe(qname)}(?=[\\s/>])[^>]*>`, 'g');
    tagRe.lastIndex = m.index + startTag.length;
    let depth = 1;
    let close: RegExpExecArray | null = null;
    while (depth > 0) {
      close = tagRe.exec(xml);
      if (!close) break;
      if (close[1] === '/') depth--;
      else if (!close[0].endsWith('/>')) depth++;
    }
    if (!close || depth > 0) break;
    const end = close.index + close[0].length;
    out.push({ raw: xml.slice(m.index, end), prefix, inner: xml.slice(m.index + startTag.length, close.index), startTag, start: m.index, end });
    open.lastIndex = end;
  }
  return out;
}

export function findElement(xml: string, localName: string): RawElement | undefined {
  return findElements(xml, localName)[0];
}

/** Unescaped text content of the first `localName` element (no nested markup expected). */
export function textOf(xml: string, localName: string): string | undefined {
  const el = findElement(xml, localName);
  return el === undefined ? undefined : unescapeXml(el.inner.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1'));
}

export function attrOf(startTag: string, name: string): string | undefined {
  const m = startTag.match(new RegExp(`\\s${escapeRe(name)}\\s*=\\s*("([^"]*)"|'([^']*)')`));
  if (!m) return undefined;
  return unescapeXml(m[2] ?? m[3] ?? '');
}

/** Drops a leading XML declaration (a document embedded in another must not carry one). */
export function stripXmlDeclaration(xml: string): string {
  return xml.replace(/^\uFEFF?\s*<\?xml[^?]*\?>\s*/, '');
}

export const NFE_NS = 'http://www.portalfiscal.inf.br/nfe';

/**
 * An element cut from a reply keeps its meaning inside our wrapper only if it lives in the
 * default namespace; a prefixed one (`<ns2:protNFe>`) would need its prefix declaration,
 * which is on an ancestor we are not copying.
 */
export function requireDefaultNamespace(el: RawElement, what: string): string {
  if (el.prefix) throw sefazError(SefazErrors.SEFAZ_BAD_REPLY, `${what} veio com prefixo de namespace "${el.prefix}"; resposta da SEFAZ não suportada.`);
  return el.raw;
}
