import iconv from 'iconv-lite';

export type CodePage = 'pc850' | 'pc860';

/** ESC ( t table ids: slot 1 ← the code page, then ESC t 1 selects slot 1. */
export const CODE_PAGE_TABLE_ID: Record<CodePage, number> = { pc850: 3, pc860: 7 };

const ICONV_NAME: Record<CodePage, string> = { pc850: 'cp850', pc860: 'cp860' };

/** Typographic characters word processors and XML producers like, which DOS code pages lack. */
const REPLACEMENTS: Record<string, string> = {
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u20ac': 'EUR',
  '\u2022': '*',
  '\u00a0': ' ',
  '\u2122': 'TM',
  // Letters without a canonical decomposition, so NFD cannot strip them.
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Œ: 'OE',
  œ: 'oe',
  '\t': ' ',
};

const repertoires = new Map<CodePage, Set<string>>();

function repertoire(cp: CodePage): Set<string> {
  let set = repertoires.get(cp);
  if (!set) {
    const all = Buffer.alloc(224);
    for (let i = 0; i < 224; i++) all[i] = i + 32;
    set = new Set(iconv.decode(all, ICONV_NAME[cp]));
    set.delete('\u007f');
    repertoires.set(cp, set);
  }
  return set;
}

/**
 * Makes text printable in the code page: typographic punctuation becomes ASCII, letters the
 * page lacks lose their diacritics (NFD), control characters become spaces and anything
 * still unmapped becomes "?". UTF-8 must never reach the printer: it prints as garbage
 * and multi-byte sequences shift every column after them.
 */
export function normalizeForCodePage(text: string, cp: CodePage = 'pc850'): string {
  const rep = repertoire(cp);
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (rep.has(ch)) {
      out += ch;
      continue;
    }
    const replaced = REPLACEMENTS[ch];
    if (replaced !== undefined && [...replaced].every((c) => rep.has(c))) {
      out += replaced;
      continue;
    }
    if (ch < ' ' || ch === '\u007f') {
      out += ' ';
      continue;
    }
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    out += base.length > 0 && [...base].every((c) => rep.has(c)) ? base : '?';
  }
  return out;
}

/** One byte per character, never UTF-8. */
export function encodeText(text: string, cp: CodePage = 'pc850'): Buffer {
  return iconv.encode(normalizeForCodePage(text, cp), ICONV_NAME[cp]);
}

export function decodeText(bytes: Buffer, cp: CodePage = 'pc850'): string {
  return iconv.decode(bytes, ICONV_NAME[cp]);
}
