/**
 * Brazilian registration numbers: CNPJ (numeric and, since July 2026, alphanumeric), CPF and
 * Inscrição Estadual. Pure functions; callers turn `false` into a pt-BR error with the field.
 */

export function onlyCnpjChars(value: string): string {
  return value.replace(/[.\-/\s]/g, '').toUpperCase();
}

export function onlyDigits(value: string): string {
  return value.replace(/\D/g, '');
}

function mod11Dv(values: number[], weights: number[]): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * weights[i]!;
  const r = sum % 11;
  return r < 2 ? 0 : 11 - r;
}

/** Weights 2..9 repeating, applied from the right. */
function weightsFromRight(length: number, max = 9): number[] {
  const w: number[] = [];
  for (let i = 0; i < length; i++) w.unshift((i % (max - 1)) + 2);
  return w;
}

/**
 * CNPJ, numeric or alphanumeric (IN RFB 2.229/2024): 12 characters [0-9A-Z] plus two
 * numeric check digits; each character is worth its ASCII code minus 48.
 */
export function isValidCnpj(value: string): boolean {
  const c = onlyCnpjChars(value);
  if (!/^[0-9A-Z]{12}\d{2}$/.test(c)) return false;
  if (/^(\d)\1{13}$/.test(c)) return false;
  const vals = [...c].map((ch) => ch.charCodeAt(0) - 48);
  const dv1 = mod11Dv(vals.slice(0, 12), weightsFromRight(12));
  const dv2 = mod11Dv(vals.slice(0, 13), weightsFromRight(13));
  return vals[12] === dv1 && vals[13] === dv2;
}

export function isAlphanumericCnpj(value: string): boolean {
  return /[A-Z]/.test(onlyCnpjChars(value));
}

export function isValidCpf(value: string): boolean {
  const c = onlyDigits(value);
  if (c.length !== 11 || /^(\d)\1{10}$/.test(c)) return false;
  const d = [...c].map(Number);
  const dv = (n: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[i]! * (n + 1 - i);
    const r = (s * 10) % 11;
    return r === 10 ? 0 : r;
  };
  return dv(9) === d[9] && dv(10) === d[10];
}

// --- Inscrição Estadual -------------------------------------------------------------------

type IeRule = (d: number[]) => boolean;

const sumW = (d: number[], w: number[]) => w.reduce((s, wi, i) => s + d[i]! * wi, 0);
const r11 = (s: number) => {
  const r = s % 11;
  return r < 2 ? 0 : 11 - r;
};
/** 11 − r, where 10 and 11 become 0 (same as r11 except r = 1 → 0 too). */
const r11z = (s: number) => {
  const v = 11 - (s % 11);
  return v >= 10 ? 0 : v;
};

/** Weights 9..2 (or longer, from the right) over all but the last digit, mod 11. */
const simple9: IeRule = (d) => r11(sumW(d, weightsFromRight(d.length - 1))) === d[d.length - 1];

const len = (n: number, rule: IeRule): IeRule => (d) => d.length === n && rule(d);

/**
 * Rules from each SEFAZ's published routine (Sintegra "conferência de IE"). UFs missing here
 * get a format check only (digits, 2–14) rather than a wrong rejection.
 */
const IE_RULES: Record<string, IeRule> = {
  SP: len(12, (d) => {
    const d9 = (sumW(d, [1, 3, 4, 5, 6, 7, 8, 10]) % 11) % 10;
    const d12 = (sumW(d, [3, 2, 10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11) % 10;
    return d9 === d[8] && d12 === d[11];
  }),
  MG: len(13, (d) => {
    // First DV: the 3-digit municipality followed by "0", weights 1,2 alternating, digit sum.
    const base = [...d.slice(0, 3), 0, ...d.slice(3, 11)];
    const s = base.reduce((acc, v, i) => {
      const p = v * (i % 2 === 0 ? 1 : 2);
      return acc + Math.floor(p / 10) + (p % 10);
    }, 0);
    const dv1 = (10 - (s % 10)) % 10;
    const dv2 = r11(sumW([...d.slice(0, 11), dv1], [3, 2, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]));
    return dv1 === d[11] && dv2 === d[12];
  }),
  RJ: len(8, (d) => r11(sumW(d, [2, 7, 6, 5, 4, 3, 2])) === d[7]),
  PR: len(10, (d) => r11(sumW(d, [3, 2, 7, 6, 5, 4, 3, 2])) === d[8] && r11(sumW(d, [4, 3, 2, 7, 6, 5, 4, 3, 2])) === d[9]),
  RS: len(10, (d) => r11z(sumW(d, [2, 9, 8, 7, 6, 5, 4, 3, 2])) === d[9]),
  SC: len(9, simple9),
  ES: len(9, simple9),
  CE: len(9, (d) => r11z(sumW(d, [9, 8, 7, 6, 5, 4, 3, 2])) === d[8]),
  PB: len(9, (d) => r11z(sumW(d, [9, 8, 7, 6, 5, 4, 3, 2])) === d[8]),
  PI: len(9, (d) => r11z(sumW(d, [9, 8, 7, 6, 5, 4, 3, 2])) === d[8]),
  MA: len(9, (d) => d[0] === 1 && d[1] === 2 && r11(sumW(d, [9, 8, 7, 6, 5, 4, 3, 2])) === d[8]),
  MT: (d) => {
    const p = d.length <= 11 ? [...Array<number>(11 - d.length).fill(0), ...d] : d;
    return p.length === 11 && r11(sumW(p, [3, 2, 9, 8, 7, 6, 5, 4, 3, 2])) === p[10];
  },
  MS: len(9, (d) => {
    const prefix = d[0]! * 10 + d[1]!;
    if (prefix !== 28 && prefix !== 50) return false;
    const r = sumW(d, [9, 8, 7, 6, 5, 4, 3, 2]) % 11;
    const dv = r === 0 ? 0 : 11 - r > 9 ? 0 : 11 - r;
    return dv === d[8];
  }),
  GO: len(9, (d) => {
    const prefix = d[0]! * 10 + d[1]!;
    if (![10, 11, 15].includes(prefix) && !(prefix >= 20 && prefix <= 29)) return false;
    const r = sumW(d, [9, 8, 7, 6, 5, 4, 3, 2]) % 11;
    const n = Number(d.slice(0, 8).join(''));
    const dv = r === 0 ? 0 : r === 1 ? (n >= 10103105 && n <= 10119997 ? 1 : 0) : 11 - r;
    return dv === d[8];
  }),
  DF: len(13, (d) => d[0] === 0 && d[1] === 7 && r11z(sumW(d, [4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])) === d[11] && r11z(sumW(d, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])) === d[12]),
  PE: len(9, (d) => r11(sumW(d, [8, 7, 6, 5, 4, 3, 2])) === d[7] && r11(sumW(d, [9, 8, 7, 6, 5, 4, 3, 2])) === d[8]),
  BA: (d) => {
    if (d.length !== 8 && d.length !== 9) return false;
    // Módulo 10 or 11 depends on the first digit of the number (the second for 9 digits).
    const key = d.length === 8 ? d[0]! : d[1]!;
    const mod = [6, 7, 9].includes(key) ? 11 : 10;
    const dvOf = (s: number) => {
      const r = s % mod;
      if (mod === 10) return r === 0 ? 0 : 10 - r;
      return r < 2 ? 0 : 11 - r;
    };
    const n = d.length - 2;
    const base = d.slice(0, n);
    const dv2 = dvOf(sumW(base, weightsFromRight(n, n + 1)));
    const dv1 = dvOf(sumW([...base, dv2], weightsFromRight(n + 1, n + 2)));
    return dv1 === d[n] && dv2 === d[n + 1];
  },
};

export const IE_UFS_WITH_CHECK_DIGIT = Object.keys(IE_RULES);

export type IeCheck = 'valid' | 'invalid' | 'unchecked';

/**
 * Checks an Inscrição Estadual for its UF. "ISENTO" is not an IE (it becomes indIEDest=2);
 * for UFs without a coded rule the answer is 'unchecked' when the format is plausible.
 */
export function checkIe(ie: string, uf: string): IeCheck {
  const digitsOnly = onlyDigits(ie);
  if (digitsOnly.length !== ie.replace(/[.\-/\s]/g, '').length) return 'invalid';
  if (digitsOnly.length < 2 || digitsOnly.length > 14) return 'invalid';
  const rule = IE_RULES[uf.toUpperCase()];
  if (!rule) return 'unchecked';
  return rule([...digitsOnly].map(Number)) ? 'valid' : 'invalid';
}

export function isValidIe(ie: string, uf: string): boolean {
  return checkIe(ie, uf) !== 'invalid';
}

/** Computes CNPJ check digits for 12 base characters (tests and examples). */
export function cnpjWithDv(base12: string): string {
  const b = onlyCnpjChars(base12);
  const vals = [...b].map((ch) => ch.charCodeAt(0) - 48);
  const dv1 = mod11Dv(vals, weightsFromRight(12));
  const dv2 = mod11Dv([...vals, dv1], weightsFromRight(13));
  return `${b}${dv1}${dv2}`;
}

/** Computes CPF check digits for 9 base digits (tests and examples). */
export function cpfWithDv(base9: string): string {
  const d = [...onlyDigits(base9)].map(Number);
  for (const n of [9, 10]) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[i]! * (n + 1 - i);
    const r = (s * 10) % 11;
    d.push(r === 10 ? 0 : r);
  }
  return d.join('');
}
