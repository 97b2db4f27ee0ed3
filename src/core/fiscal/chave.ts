import { randomInt } from 'node:crypto';
import { FiscalErrors, fiscalError } from './errors';

/**
 * Chave de acesso: cUF(2) AAMM(4) CNPJ/CPF(14) mod(2) série(3) nNF(9) tpEmis(1) cNF(8) cDV(1).
 * Since the alphanumeric CNPJ (IN RFB 2.229/2024), the issuer part is `[0-9A-Z]{12}[0-9]{2}`.
 */
export interface ChaveParts {
  cUF: string;
  /** "AAMM" of dhEmi. */
  aamm: string;
  /** CNPJ (14) or CPF left-padded with zeros to 14. */
  emitente: string;
  mod: string;
  serie: number;
  nNF: number;
  tpEmis: number;
  cNF: string;
}

export const CHAVE_RE = /^\d{6}[0-9A-Z]{12}\d{2}\d{2}\d{3}\d{9}\d\d{8}\d$/;

/**
 * Módulo 11 over the first 43 characters, weights 2..9 from the right. Each character counts
 * as its ASCII code minus 48, the rule the alphanumeric CNPJ technical note fixed so that
 * digits keep their old value.
 */
export function chaveDv(first43: string): number {
  if (!/^[0-9A-Z]{43}$/.test(first43)) throw fiscalError(FiscalErrors.CHAVE_INVALID, 'Chave de acesso deve ter 43 caracteres antes do dígito verificador.');
  let sum = 0;
  let weight = 2;
  for (let i = first43.length - 1; i >= 0; i--) {
    sum += (first43.charCodeAt(i) - 48) * weight;
    weight = weight === 9 ? 2 : weight + 1;
  }
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

function digits(value: number | string, width: number, label: string): string {
  const s = String(value);
  if (!/^\d+$/.test(s) || s.length > width) throw fiscalError(FiscalErrors.CHAVE_INVALID, `${label} inválido para a chave de acesso: ${s}.`);
  return s.padStart(width, '0');
}

export function buildChave(p: ChaveParts): string {
  const emitente = p.emitente.toUpperCase();
  if (!/^[0-9A-Z]{12}\d{2}$/.test(emitente.padStart(14, '0'))) {
    throw fiscalError(FiscalErrors.CHAVE_INVALID, `CNPJ/CPF inválido para a chave de acesso: ${p.emitente}.`);
  }
  const first43 =
    digits(p.cUF, 2, 'cUF') +
    digits(p.aamm, 4, 'AAMM') +
    emitente.padStart(14, '0') +
    digits(p.mod, 2, 'Modelo') +
    digits(p.serie, 3, 'Série') +
    digits(p.nNF, 9, 'Número') +
    digits(p.tpEmis, 1, 'tpEmis') +
    digits(p.cNF, 8, 'cNF');
  return first43 + String(chaveDv(first43));
}

export function isValidChave(chave: string): boolean {
  return CHAVE_RE.test(chave) && chaveDv(chave.slice(0, 43)) === Number(chave[43]);
}

export function parseChave(chave: string): ChaveParts & { cDV: number } {
  if (!isValidChave(chave)) throw fiscalError(FiscalErrors.CHAVE_INVALID, `Chave de acesso inválida: ${chave}.`);
  return {
    cUF: chave.slice(0, 2),
    aamm: chave.slice(2, 6),
    emitente: chave.slice(6, 20),
    mod: chave.slice(20, 22),
    serie: Number(chave.slice(22, 25)),
    nNF: Number(chave.slice(25, 34)),
    tpEmis: Number(chave.slice(34, 35)),
    cNF: chave.slice(35, 43),
    cDV: Number(chave.slice(43)),
  };
}

/** cNF values SEFAZ refuses or that guessers try first. */
function weakCnf(cNF: string, nNF: number): boolean {
  return Number(cNF) === nNF || /^(\d)\1{7}$/.test(cNF) || cNF === '12345678' || cNF === '87654321';
}

/** A random 8-digit cNF that differs from nNF (the key must not be derivable from the number). */
export function randomCnf(nNF: number, rand: (maxExclusive: number) => number = (m) => randomInt(m)): string {
  for (;;) {
    const cNF = String(rand(100_000_000)).padStart(8, '0');
    if (!weakCnf(cNF, nNF)) return cNF;
  }
}

/** "3524 0511 2223 …": groups of four, as the DANFE prints it. */
export function formatChave(chave: string): string {
  return chave.replace(/(.{4})(?=.)/g, '$1 ');
}
