import { AppError } from '../errors';
import { EscpWriter } from './escp';
import { PrintingErrors } from './errors';
import { code128cWidths } from './code128';
import {
  BAND_HEIGHT_216THS,
  BIT_IMAGE_DPI,
  CHAR_WIDTH_60THS,
  H_UNITS_PER_INCH,
  V_UNITS_PER_INCH,
  type BarcodeSpec,
  type FormLayout,
  type PageScope,
  type FieldSpec,
  type TextSpec,
} from './layout';
import { alignOffset, fitText, type FittedText } from './text-fit';

export type Values = Record<string, string | undefined>;

export interface FormData {
  values: Values;
  /** One value map per item of the band, in order. */
  items?: Values[];
  /** Barcode id → even-length digit string (CODE-128C). */
  barcodes?: Values;
}

/** Per-printer offsets: the whole form moves right/down by these millimetres. */
export interface Calibration {
  dxMm: number;
  dyMm: number;
}

export const NO_CALIBRATION: Calibration = { dxMm: 0, dyMm: 0 };

/** 1 mm in the printer's units (PRINTING.md): 2.362 × 1/60", 8.504 × 1/216". */
export const mmTo60ths = (mm: number): number => (mm * H_UNITS_PER_INCH) / 25.4;
export const mmTo216ths = (mm: number): number => (mm * V_UNITS_PER_INCH) / 25.4;

export interface RenderedForm {
  bytes: Buffer;
  pages: number;
  /** ESC/P bytes each page took after the job prefix (the last one ends with its form feed). */
  bytesPerPage: number[];
}

/** Where each sheet starts in the job's bytes (after the prefix that resets the printer). */
export function sheetOffsets(form: RenderedForm): number[] {
  const prefix = form.bytes.length - form.bytesPerPage.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let at = prefix;
  for (const n of form.bytesPerPage) {
    out.push(at);
    at += n;
  }
  return out;
}

/**
 * The job from sheet `from` on: the prefix (reset, code page, page length — which makes the
 * paper position the top of form) and then that sheet's and the next ones' bytes.
 */
export function fromSheet(form: RenderedForm, from: number): Buffer {
  if (from <= 1) return form.bytes;
  const offsets = sheetOffsets(form);
  return Buffer.concat([form.bytes.subarray(0, offsets[0]), form.bytes.subarray(offsets[from - 1])]);
}

/** The sheet (1-based) a byte position of the whole job falls on. */
export function sheetAt(form: RenderedForm, position: number): number {
  const offsets = sheetOffsets(form);
  let k = 1;
  for (let i = 0; i < offsets.length; i++) if (position >= offsets[i]!) k = i + 1;
  return k;
}

interface TextEl {
  kind: 'text';
  y: number;
  x: number;
  pitch: NonNullable<TextSpec['pitch']>;
  bold: boolean;
  text: string;
}
interface ImageEl {
  kind: 'image';
  y: number;
  x: number;
  columns: Uint8Array;
}
type El = TextEl | ImageEl;

/** Item lines each item takes: the tallest wrapped column. */
function itemHeight(layout: FormLayout, item: Values): number {
  let h = 1;
  for (const c of layout.items?.columns ?? []) {
    const lines = fitText(item[c.id] ?? '', c, { growLines: true }).lines.length;
    h = Math.max(h, Math.ceil(c.row + (lines - 1) * (c.lineSpacing ?? 1) + 1 - 1e-9));
  }
  return h;
}

/** Splits items over pages: returns, per page, the item indices with their line offset. */
export function paginate(layout: FormLayout, items: Values[]): { index: number; line: number }[][] {
  const pages: { index: number; line: number }[][] = [[]];
  if (!layout.items) return pages;
  let capacity = layout.items.firstPage.rows;
  let used = 0;
  items.forEach((item, index) => {
    const h = Math.min(itemHeight(layout, item), layout.items!.continuationPage.rows);
    if (used + h > capacity) {
      pages.push([]);
      capacity = layout.items!.continuationPage.rows;
      used = 0;
    }
    pages[pages.length - 1]!.push({ index, line: used });
    used += h;
  });
  return pages;
}

/** Marks a box whose value continues, whole, in the layout's overflowInto field. */
export const OVERFLOW_MARK = '(*)';

/**
 * A header value too long for its box even at 20 cpi (a 60-character município in a box
 * for 36) is not cut silently: the box shows what it holds ending in "(*)", and the whole
 * value goes, labelled, to the end of the dados adicionais, which continue on further sheets.
 */
function noteOverflows(layout: FormLayout, data: FormData): { data: FormData; marked: Map<TextSpec, FittedText> } {
  const marked = new Map<TextSpec, FittedText>();
  if (!layout.overflowInto) return { data, marked };
  const notes: string[] = [];
  const noted = new Set<string>();
  for (const f of layout.fields) {
    const value = data.values[f.id];
    if (!value || f.continuation || f.id === layout.overflowInto) continue;
    const fit = fitText(value, f);
    if (!fit.cut) continue;
    const lines = [...fit.lines];
    const last = lines.length - 1;
    lines[last] = `${lines[last]!.slice(0, Math.max(0, fit.width - OVERFLOW_MARK.length - 1)).trimEnd()} ${OVERFLOW_MARK}`;
    marked.set(f, { ...fit, lines });
    if (!noted.has(f.id)) notes.push(`${OVERFLOW_MARK} ${f.label ?? f.id}: ${value}`);
    noted.add(f.id);
  }
  if (notes.length === 0) return { data, marked };
  const target = [data.values[layout.overflowInto], ...notes].filter(Boolean).join(' | ');
  return { data: { ...data, values: { ...data.values, [layout.overflowInto]: target } }, marked };
}

/** The line that closes a sheet whose field continues on the next one. */
export const continuesOn = (page: number): string => `(CONTINUA NA FOLHA ${page})`;

interface Chunk {
  page: number;
  row: number;
  pitch: FittedText['pitch'];
  lines: string[];
}

/**
 * Splits a long value of a field with `continuation` over sheets: the first sheet's box, then
 * the continuation box of each next sheet, every full box but the last ending with the
 * sheet it continues on. Nothing is dropped.
 */
function continuationChunks(f: FieldSpec, value: string | undefined): Chunk[] {
  if (!value || !f.continuation) return [];
  const fit = fitText(value, f, { growLines: true });
  const chunks: Chunk[] = [];
  let rest = fit.lines;
  let page = 1;
  while (rest.length > 0) {
    const room = page === 1 ? (f.maxLines ?? 1) : f.continuation.maxLines;
    const row = page === 1 ? f.row : f.continuation.row;
    if (rest.length <= room) {
      chunks.push({ page, row, pitch: fit.pitch, lines: rest });
      break;
    }
    chunks.push({ page, row, pitch: fit.pitch, lines: [...rest.slice(0, room - 1), continuesOn(page + 1)] });
    rest = rest.slice(room - 1);
    page++;
  }
  return chunks;
}

const inScope = (on: PageScope | undefined, page: number, total: number): boolean =>
  on === undefined || on === 'all' || (on === 'first' && page === 1) || (on === 'rest' && page > 1) || (on === 'last' && page === total);

/** Bit-image columns for a CODE-128C symbol: every module `moduleDots` columns, bars all 8 pins. */
export function barcodeColumns(digits: string, moduleDots: number): Uint8Array {
  const widths = code128cWidths(digits);
  const total = widths.reduce((a, b) => a + b, 0) * moduleDots;
  const cols = new Uint8Array(total);
  let x = 0;
  widths.forEach((w, i) => {
    if (i % 2 === 0) cols.fill(0xff, x, x + w * moduleDots);
    x += w * moduleDots;
  });
  return cols;
}

const fmtMm = (mm: number) => `${mm.toFixed(1).replace('.', ',')} mm`;

/**
 * Refuses offsets that would push a field off the form (the printer would wrap it, drop it
 * or print it on the next sheet), naming the field. Every element moves by the same offsets,
 * rulers included: nothing is clamped at the edge, so the calibration page shows exactly
 * where the DANFE's fields will be.
 */
function outOfForm(layout: FormLayout, calibration: Calibration, id: string, where: string): AppError {
  return new AppError(
    PrintingErrors.CALIBRATION_OUT_OF_FORM,
    `Calibração fora do formulário: com dx ${fmtMm(calibration.dxMm)} e dy ${fmtMm(calibration.dyMm)} o campo "${id}" do layout ${layout.name} fica ${where}. Ajuste o deslocamento (ou a posição do formulário na impressora).`,
    { field: /esquerda|largura/.test(where) ? 'dx' : 'dy' },
  );
}

/**
 * Renders a form layout to ESC/P. Every element is placed at an absolute position: the
 * horizontal with ESC $, the vertical by feeding forward from a position tracked here in
 * 1/216", so a calibration offset or a rounding never accumulates down the page.
 */
export function renderForm(layout: FormLayout, input: FormData, calibration: Calibration = NO_CALIBRATION): RenderedForm {
  const { data, marked } = noteOverflows(layout, input);
  const items = data.items ?? [];
  const pages = paginate(layout, items);
  const chunks = new Map<FieldSpec, Chunk[]>();
  for (const f of layout.fields) {
    const c = continuationChunks(f, data.values[f.id]);
    if (c.length > 1) chunks.set(f, c);
  }
  // A long dados adicionais may need more sheets than the items do.
  const sheets = Math.max(pages.length, ...[...chunks.values()].map((c) => c.length));
  while (pages.length < sheets) pages.push([]);
  const total = pages.length;
  const dx = mmTo60ths(calibration.dxMm);
  const dy = mmTo216ths(calibration.dyMm);
  const rowTo216 = (row: number) => (row * V_UNITS_PER_INCH) / layout.page.lpi;
  const colTo60 = (col: number) => (col * H_UNITS_PER_INCH) / layout.page.gridCpi;
  const pageWidth = layout.page.widthInches * H_UNITS_PER_INCH;
  const pageLength = layout.page.lengthInches * V_UNITS_PER_INCH;
  const lineHeight = V_UNITS_PER_INCH / layout.page.lpi;
  const pos = (y: number, x: number) => ({ y: Math.round(y + dy), x: Math.round(x + dx) });
  const inForm = (id: string, p: { x: number; y: number }, width: number, height: number) => {
    const where =
      p.x < 0
        ? 'à esquerda da margem'
        : p.x + width > pageWidth + 0.5
          ? `além da largura do formulário (${layout.page.widthInches}")`
          : p.y < 0
            ? 'acima do topo do formulário'
            : p.y + height > pageLength + 0.5
              ? `além do comprimento do formulário (${layout.page.lengthInches}")`
              : undefined;
    if (where) throw outOfForm(layout, calibration, id, where);
  };

  const w = new EscpWriter(layout.codePage);
  w.begin(layout.page.lengthInches);
  const bytesPerPage: number[] = [];

  const placeText = (els: El[], spec: TextSpec, value: string | undefined, baseRow: number, growLines = false) => {
    if (!value) return;
    const { pitch, width, lines } = marked.get(spec) ?? fitText(value, spec, { growLines });
    placeLines(els, spec, pitch, width, lines, baseRow + spec.row);
  };

  const placeLines = (els: El[], spec: TextSpec, pitch: FittedText['pitch'], width: number, lines: string[], row: number) => {
    lines.forEach((line, i) => {
      const off = alignOffset(line.length, width, spec.align);
      const p = pos(rowTo216(row + i * (spec.lineSpacing ?? 1)), colTo60(spec.col) + off * CHAR_WIDTH_60THS[pitch]);
      inForm(spec.id, p, line.length * CHAR_WIDTH_60THS[pitch], lineHeight);
      els.push({ kind: 'text', ...p, pitch, bold: spec.bold ?? false, text: line });
    });
  };

  const placeBarcode = (els: El[], spec: BarcodeSpec, digits: string | undefined) => {
    if (!digits) return;
    const columns = barcodeColumns(digits, spec.moduleDots);
    for (let band = 0; band < spec.bands; band++) {
      const p = pos(rowTo216(spec.row) + band * BAND_HEIGHT_216THS, colTo60(spec.col));
      inForm(spec.id, p, (columns.length * H_UNITS_PER_INCH) / BIT_IMAGE_DPI, BAND_HEIGHT_216THS);
      els.push({ kind: 'image', ...p, columns });
    }
  };

  pages.forEach((pageItems, i) => {
    const page = i + 1;
    const start = w.length;
    w.forgetState();
    const values: Values = { ...data.values, 'pagina.folha': `${page}/${total}`, 'pagina.numero': String(page), 'pagina.total': String(total) };
    const els: El[] = [];
    for (const f of layout.fields) {
      const cont = chunks.get(f);
      if (cont) {
        const c = cont.find((k) => k.page === page);
        if (c) placeLines(els, f, c.pitch, fitText(values[f.id] ?? '', f, { growLines: true }).width, c.lines, c.row);
      } else if (inScope(f.on, page, total)) placeText(els, f, values[f.id], 0);
    }
    for (const b of layout.barcodes) if (inScope(b.on, page, total)) placeBarcode(els, b, data.barcodes?.[b.id]);
    if (layout.items) {
      const area = page === 1 ? layout.items.firstPage : layout.items.continuationPage;
      for (const { index, line } of pageItems) {
        for (const c of layout.items.columns) placeText(els, c, items[index]![c.id], area.row + line, true);
      }
    }
    els.sort((a, b) => a.y - b.y || a.x - b.x);
    let y = 0;
    for (const el of els) {
      if (el.y > y) {
        w.feed(el.y - y);
        y = el.y;
      }
      w.moveToX(el.x);
      if (el.kind === 'text') {
        w.setPitch(el.pitch);
        w.setBold(el.bold);
        w.text(el.text);
      } else {
        w.bitImage(el.columns);
      }
    }
    w.formFeed();
    bytesPerPage.push(w.length - start);
  });
  return { bytes: w.toBuffer(), pages: total, bytesPerPage };
}
