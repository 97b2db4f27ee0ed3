/**
 * ANP product codes (cProdANP) and their exact descriptions (descANP): SEFAZ compares descANP
 * with the ANP table, so the text comes from here, never from the order. This is the part of
 * the table a fuel distributor bills; a code outside it needs its description in the order and
 * is flagged as not checked.
 */
export const ANP_PRODUCTS: Readonly<Record<string, string>> = {
  '210203001': 'GLP',
  '320101001': 'GASOLINA A COMUM',
  '320101002': 'GASOLINA A PREMIUM',
  '320102001': 'GASOLINA C COMUM',
  '320102002': 'GASOLINA C ADITIVADA',
  '320102003': 'GASOLINA C PREMIUM',
  '810101001': 'ETANOL HIDRATADO COMUM',
  '810101002': 'ETANOL HIDRATADO ADITIVADO',
  '810102001': 'ETANOL ANIDRO',
  '820101011': 'OLEO DIESEL B S500 - ADITIVADO',
  '820101012': 'OLEO DIESEL B S500 - COMUM',
  '820101033': 'OLEO DIESEL B S10 - ADITIVADO',
  '820101034': 'OLEO DIESEL B S10 - COMUM',
};

/** GLP (cProdANP 210203001): pGLP, pGNn, pGNi and vPart are required (rejections 855/856). */
export const GLP_ANP_CODES: ReadonlySet<string> = new Set(['210203001']);

export function anpDescription(code: string): string | undefined {
  return ANP_PRODUCTS[code];
}

/** Comparison that ignores case, accents and repeated blanks (the table is printed in capitals without accents). */
export function sameAnpText(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, ' ').trim().toUpperCase();
  return norm(a) === norm(b);
}
