import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors';
import type { CodePage } from './encoding';
import { PrintingErrors } from './errors';

/** 10, 12, 15 cpi; 17 = condensed 10 (17.14 cpi); 20 = condensed 12. */
export type Pitch = 10 | 12 | 15 | 17 | 20;
export type Align = 'left' | 'right' | 'center';
/** Which pages carry a field: continuation pages repeat only the header ('all'). */
export type PageScope = 'all' | 'first' | 'rest' | 'last';

export interface TextSpec {
  /** Key into the values the document mapping supplies (e.g. "emitente.nome"). */
  id: string;
  /** Line on the form (1/lpi inch each, from the top of form); may be fractional. */
  row: number;
  /** Column on the layout grid (1/gridCpi inch each, from the left margin); may be fractional. */
  col: number;
  /** Characters at the field's own pitch. */
  width: number;
  align?: Align;
  pitch?: Pitch;
  bold?: boolean;
  /** Lines the text may wrap to (1 = a single line). */
  maxLines?: number;
  /**
   * Rows from one wrapped line to the next (default 1; 0.75 = 8 lpi), so a long value can
   * take more lines inside the same box of the pre-printed form.
   */
  lineSpacing?: number;
}

export interface FieldSpec extends TextSpec {
  on?: PageScope;
  /** The field's name as the printed form labels it (pt-BR), for the note of a value too long for its box. */
  label?: string;
  /**
   * Text that does not fit in maxLines (even at the narrowest pitch) continues on the next
   * sheets at `row` (maxLines lines each) instead of being cut; the last line of every sheet
   * but the final one says where it continues (DANFE manual: dados adicionais may continue
   * on further sheets).
   */
  continuation?: { row: number; maxLines: number };
}

export interface BarcodeSpec {
  id: string;
  row: number;
  col: number;
  /** Dots per module at 120 dpi (ESC * 1); 2 dots ≈ 0.42 mm, readable from 9-pin heads. */
  moduleDots: number;
  /** Stripes of 8 dots (1/9 inch) stacked for the bar height. */
  bands: number;
  /** Digits encoded (44 for the chave, 36 for FS-DA); sizes the symbol for validation. */
  digits: number;
  on?: PageScope;
}

export interface ItemBand {
  firstPage: { row: number; rows: number };
  continuationPage: { row: number; rows: number };
  /** `row` of each column is relative to the item's first line (normally 0). */
  columns: TextSpec[];
}

export interface FormLayout {
  name: string;
  title: string;
  page: { lengthInches: number; widthInches: number; lpi: number; gridCpi: number };
  codePage: CodePage;
  fields: FieldSpec[];
  barcodes: BarcodeSpec[];
  items?: ItemBand;
  /**
   * A field (with `continuation`) that receives, whole, any value too long for its own box
   * even at 20 cpi: the box ends in "(*)" and the note "(*) label: value" goes there.
   */
  overflowInto?: string;
}

export const CHAR_WIDTH_60THS: Record<Pitch, number> = { 10: 6, 12: 5, 15: 4, 17: 3.5, 20: 3 };
/** 9-pin vertical unit: ESC J n moves n/216 inch. */
export const V_UNITS_PER_INCH = 216;
export const H_UNITS_PER_INCH = 60;
/** ESC * 1: 120 dpi horizontally, 8 dots at 1/72 inch vertically. */
export const BIT_IMAGE_DPI = 120;
export const BAND_HEIGHT_216THS = 24;

/**
 * Smallest blank between two item columns: at 0.42 mm (one dot column) a CFOP and its unit
 * read as one word ("6404UN"); half a grid column (1.27 mm) is a visible space.
 */
export const MIN_COLUMN_GAP_60THS = 3;

export const layoutName = /^[a-z0-9][a-z0-9-]{0,63}$/;

function fail(layout: string, message: string): never {
  throw new AppError(PrintingErrors.LAYOUT_INVALID, `Layout "${layout}": ${message}`);
}

const PITCHES = new Set([10, 12, 15, 17, 20]);

/**
 * Checks a layout before any byte goes to a printer: a field outside the page would print
 * over the perforation or wrap onto the next form and shift every line after it.
 */
export function validateLayout(raw: unknown): FormLayout {
  const l = raw as FormLayout;
  const name = typeof l?.name === 'string' ? l.name : '?';
  if (!l || typeof l !== 'object' || !layoutName.test(name)) fail(name, 'nome ausente ou inválido.');
  const p = l.page;
  if (!p || !(p.lengthInches > 0 && p.lengthInches <= 22) || !(p.widthInches > 0 && p.widthInches <= 13.6)) {
    fail(name, 'tamanho de página inválido.');
  }
  if (!(p.lpi === 6 || p.lpi === 8) || !(p.gridCpi > 0)) fail(name, 'lpi deve ser 6 ou 8 e gridCpi positivo.');
  if (l.codePage !== 'pc850' && l.codePage !== 'pc860') fail(name, 'codePage deve ser pc850 ou pc860.');
  const lines = p.lengthInches * p.lpi;
  const width60 = p.widthInches * H_UNITS_PER_INCH;

  const checkText = (f: TextSpec, where: string, baseRow: number, rowsAvailable: number) => {
    if (typeof f.id !== 'string' || f.id === '') fail(name, `${where}: campo sem id.`);
    const pitch = f.pitch ?? 10;
    if (!PITCHES.has(pitch)) fail(name, `${where} "${f.id}": pitch ${pitch} inválido (10, 12, 15, 17 ou 20).`);
    if (!(f.width >= 1) || !(f.row >= 0) || !(f.col >= 0)) fail(name, `${where} "${f.id}": linha, coluna e largura devem ser positivas.`);
    const right = (f.col * H_UNITS_PER_INCH) / p.gridCpi + f.width * CHAR_WIDTH_60THS[pitch as Pitch];
    if (right > width60 + 1e-9) {
      fail(name, `${where} "${f.id}" sai da página: termina a ${(right / H_UNITS_PER_INCH).toFixed(2)}" e a largura útil é ${p.widthInches}".`);
    }
    const spacing = f.lineSpacing ?? 1;
    if (!(spacing > 0 && spacing <= 1)) fail(name, `${where} "${f.id}": lineSpacing deve estar entre 0 e 1.`);
    const bottom = baseRow + f.row + ((f.maxLines ?? 1) - 1) * spacing + 1;
    if (bottom > rowsAvailable + 1e-9) {
      fail(name, `${where} "${f.id}" sai da página: vai até a linha ${bottom} e a página tem ${rowsAvailable} linhas.`);
    }
  };

  if (!Array.isArray(l.fields)) fail(name, 'lista de campos ausente.');
  for (const f of l.fields) {
    checkText(f, 'campo', 0, lines);
    if (f.continuation) {
      if (!(f.continuation.maxLines >= 2)) fail(name, `campo "${f.id}": a continuação precisa de ao menos 2 linhas.`);
      checkText({ ...f, row: f.continuation.row, maxLines: f.continuation.maxLines }, 'continuação do campo', 0, lines);
    }
  }
  for (const b of l.barcodes ?? []) {
    if (!(b.moduleDots >= 1 && b.bands >= 1) || !(b.digits >= 2 && b.digits % 2 === 0)) {
      fail(name, `código de barras "${b.id}": moduleDots e bands ≥ 1 e digits par.`);
    }
    // Start C + one symbol per digit pair + check (11 modules each) + stop (13).
    const modules = 11 * (b.digits / 2 + 2) + 13;
    const right = (b.col * H_UNITS_PER_INCH) / p.gridCpi + (modules * b.moduleDots * H_UNITS_PER_INCH) / BIT_IMAGE_DPI;
    if (right > width60 + 1e-9) {
      fail(name, `código de barras "${b.id}" sai da página: termina a ${(right / H_UNITS_PER_INCH).toFixed(2)}" e a largura útil é ${p.widthInches}".`);
    }
    const bottom216 = (b.row * V_UNITS_PER_INCH) / p.lpi + b.bands * BAND_HEIGHT_216THS;
    if (bottom216 > p.lengthInches * V_UNITS_PER_INCH) fail(name, `código de barras "${b.id}" sai da página (altura).`);
  }
  if (l.overflowInto !== undefined && !l.fields.some((f) => f.id === l.overflowInto && f.continuation)) {
    fail(name, `overflowInto "${l.overflowInto}" deve ser um campo com continuação.`);
  }
  if (l.items) {
    const band = l.items;
    for (const [key, area] of [
      ['primeira página', band.firstPage],
      ['continuação', band.continuationPage],
    ] as const) {
      if (!area || !(area.rows >= 1) || !(area.row >= 0)) fail(name, `faixa de itens (${key}) inválida.`);
      if (area.row + area.rows > lines) fail(name, `faixa de itens (${key}) sai da página: linha ${area.row + area.rows} de ${lines}.`);
      for (const c of band.columns) checkText(c, 'coluna de item', area.row, area.row + area.rows);
    }
    const edges = band.columns
      .map((c) => ({ id: c.id, row: c.row, left: (c.col * H_UNITS_PER_INCH) / p.gridCpi, right: (c.col * H_UNITS_PER_INCH) / p.gridCpi + c.width * CHAR_WIDTH_60THS[(c.pitch ?? 10) as Pitch] }))
      .sort((a, b) => a.row - b.row || a.left - b.left);
    for (let k = 1; k < edges.length; k++) {
      const [a, b] = [edges[k - 1]!, edges[k]!];
      if (a.row === b.row && b.left - a.right < MIN_COLUMN_GAP_60THS - 1e-9) {
        fail(name, `colunas de item "${a.id}" e "${b.id}" a ${(((b.left - a.right) * 25.4) / H_UNITS_PER_INCH).toFixed(2).replace('.', ',')} mm uma da outra: o mínimo é ${((MIN_COLUMN_GAP_60THS * 25.4) / H_UNITS_PER_INCH).toFixed(2).replace('.', ',')} mm, senão os valores se juntam.`);
      }
    }
  }
  return { ...l, barcodes: l.barcodes ?? [] };
}

/** Reads resources/forms/<name>.json. */
export function loadLayout(resourcesDir: string, name: string): FormLayout {
  if (!layoutName.test(name)) throw new AppError(PrintingErrors.LAYOUT_NOT_FOUND, `Layout inválido: "${name}".`);
  const file = join(resourcesDir, 'forms', `${name}.json`);
  if (!existsSync(file)) throw new AppError(PrintingErrors.LAYOUT_NOT_FOUND, `Layout de formulário não encontrado: ${name}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AppError(PrintingErrors.LAYOUT_INVALID, `Layout "${name}" não é um JSON válido: ${(err as Error).message}`);
  }
  return validateLayout(json);
}
