/**
 * One formatter per kind of value, shared by every screen and the DANFE: a CNPJ, a CEP or a
 * telephone reads the same wherever a person meets it. Pure string work (no Intl, no floats),
 * so the renderer, the core and tests agree digit for digit.
 */

/** CNPJ (numeric or alphanumeric) "11.222.333/0001-81", CPF "123.456.789-09"; other text as is. */
export function formatDocumento(doc: string | null | undefined): string {
  if (!doc) return '';
  const d = doc.trim();
  if (/^\d{11}$/.test(d)) return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
  if (/^[0-9A-Za-z]{12}\d{2}$/.test(d)) return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-${d.slice(12)}`;
  return d;
}

/** "01310100" → "01310-100". */
export function formatCep(cep: string | null | undefined): string {
  if (!cep) return '';
  return /^\d{8}$/.test(cep) ? `${cep.slice(0, 5)}-${cep.slice(5)}` : cep;
}

/**
 * Brazilian telephone with area code: "(11) 3456-7890", mobile "(11) 98765-4321"; 0800 and
 * 0300 numbers "0800 123 4567". Anything else (extensions, foreign) stays as typed.
 */
export function formatTelefone(fone: string | null | undefined): string {
  if (!fone) return '';
  const d = fone.replace(/\D/g, '');
  if (/^0[38]00\d{7}$/.test(d)) return `${d.slice(0, 4)} ${d.slice(4, 7)} ${d.slice(7)}`;
  if (d.length === 10) return `(${d.slice(0, 2)}) ${d.slice(2, 6)}-${d.slice(6)}`;
  if (d.length === 11) return `(${d.slice(0, 2)}) ${d.slice(2, 7)}-${d.slice(7)}`;
  return fone;
}

/** Chave de acesso in groups of four, as printed on the DANFE. */
export function formatChave(chave: string): string {
  return chave.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * What an input keeps of a typed CNPJ/CPF, CEP or telephone: the characters that carry the
 * value (digits; letters too for the alphanumeric CNPJ), so the mask can be typed or pasted.
 */
export function documentoDigits(text: string): string {
  return text.replace(/[^0-9A-Za-z]/g, '').toUpperCase().slice(0, 14);
}
export function cepDigits(text: string): string {
  return text.replace(/\D/g, '').slice(0, 8);
}
export function telefoneDigits(text: string): string {
  return text.replace(/\D/g, '').slice(0, 12);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/**
 * Contract decimal string ("15000.5000") → pt-BR ("15.000,5"), keeping every significant digit
 * and at least `minScale` decimals. Thousands are always grouped: what the faturista typed as
 * "5.000" comes back as "5.000", never "5000,0000".
 */
export function formatDecimal(value: string, minScale = 0): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return value;
  let frac = m[3] ?? '';
  while (frac.length > minScale && frac.endsWith('0')) frac = frac.slice(0, -1);
  frac = frac.padEnd(minScale, '0');
  const int = m[2]!.replace(/^0+(?=\d)/, '');
  return `${m[1] ? '\u2212' : ''}${groupThousands(int)}${frac ? `,${frac}` : ''}`;
}

/**
 * Liters as a faturista writes them: "5.000", "15.000,5" (the NF-e keeps 4 decimals; the
 * screen shows only those that say something, so round volumes read as round volumes).
 */
export const formatLitros = (value: string): string => formatDecimal(value, 0);

/** Unit price per liter with the 4 decimals fuel prices are quoted in: "5,8790". */
export const formatPrecoUnitario = (value: string): string => formatDecimal(value, 4);

/** A percentage without trailing zeros: "10", "2,5". */
export const formatPercentual = (value: string): string => formatDecimal(value, 0);

/**
 * The person or company a certificate belongs to, from its subject: ICP-Brasil e-CNPJ
 * certificates carry "CN=RAZAO SOCIAL:11222333000181"; the screen shows "RAZAO SOCIAL ·
 * 11.222.333/0001-81" rather than the whole distinguished name.
 */
export function certificateHolder(subject: string | null | undefined, cnpj?: string | null): string {
  if (!subject) return '';
  const cn = /(?:^|[,/]\s*)CN\s*=\s*([^,/]+)/i.exec(subject)?.[1]?.trim();
  const [name = subject, doc] = (cn ?? subject).split(':');
  const id = (doc ?? cnpj ?? '').trim();
  return id ? `${name.trim()} · ${formatDocumento(id)}` : name.trim();
}

/** ISO calendar day "2025-03-10" → "10/03/2025"; anything else ''. */
export function isoDayToBr(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/**
 * A typed "dd/mm/aaaa" (or "ddmmaaaa") → ISO "aaaa-mm-dd"; null when it is not a real day.
 */
export function brToIsoDay(text: string): string | null {
  const m = /^(\d{2})\/?(\d{2})\/?(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  return `${m[3]}-${m[2]}-${m[1]}`;
}

/** "Pedido 1234" — or "Novo pedido" before its first save gives it a number (#22 item 10). */
export function orderLabel(numeroPedido: string | null | undefined): string {
  return numeroPedido ? `Pedido ${numeroPedido}` : 'Novo pedido';
}
