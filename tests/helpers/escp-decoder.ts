import iconv from 'iconv-lite';
import { CODE128_PATTERNS, CODE128_START_C, CODE128_STOP } from '../../src/core/printing/code128';

/**
 * A small ESC/P interpreter for tests: turns a captured byte stream back into pages of
 * positioned text runs and bit images, tracking the head the way a 9-pin printer would
 * (x in 1/60", y in 1/216" from the top of form). Unknown commands throw, so the engine
 * cannot send anything the tests have not accounted for.
 */

export interface TextRun {
  x: number;
  y: number;
  text: string;
  /** Bytes as sent (to check the code page). */
  bytes: Buffer;
  cpi: number;
  bold: boolean;
}

export interface ImageBand {
  x: number;
  y: number;
  mode: number;
  columns: Uint8Array;
}

export interface DecodedPage {
  texts: TextRun[];
  images: ImageBand[];
}

export interface Decoded {
  pages: DecodedPage[];
  pageLengthInches?: number;
  /** Table id assigned to slot 1 by ESC ( t (3 = PC850, 7 = PC860). */
  slot1Table?: number;
  selectedSlot?: number;
  resets: number;
}

const TABLES: Record<number, string> = { 3: 'cp850', 7: 'cp860', 0: 'cp437' };

export function decodeEscp(buf: Buffer): Decoded {
  const out: Decoded = { pages: [{ texts: [], images: [] }], resets: 0 };
  let i = 0;
  let x = 0;
  let y = 0;
  let baseCpi = 10;
  let condensed = false;
  let bold = false;
  let lineSpacing = 36;
  let run: TextRun | undefined;
  const page = () => out.pages[out.pages.length - 1]!;
  const cpi = () => (condensed ? (baseCpi === 10 ? 17.14 : baseCpi === 12 ? 20 : baseCpi) : baseCpi);
  const flush = () => {
    if (run) page().texts.push(run);
    run = undefined;
  };
  const need = (n: number) => {
    if (i + n > buf.length) throw new Error(`truncated ESC/P command at byte ${i}`);
  };
  while (i < buf.length) {
    const b = buf[i]!;
    if (b === 0x1b) {
      flush();
      need(2);
      const c = buf[i + 1]!;
      i += 2;
      switch (c) {
        case 0x40:
          out.resets++;
          baseCpi = 10;
          condensed = false;
          bold = false;
          break;
        case 0x28: {
          need(2);
          const sub = buf[i]!;
          const len = buf[i + 1]! | (buf[i + 2]! << 8);
          need(3 + len);
          if (sub === 0x74) {
            const slot = buf[i + 3]!;
            if (slot === 1) out.slot1Table = buf[i + 4]!;
          }
          i += 3 + len;
          break;
        }
        case 0x74:
          need(1);
          out.selectedSlot = buf[i++]!;
          break;
        case 0x43:
          need(2);
          if (buf[i] !== 0) throw new Error('ESC C n (lines) not expected');
          out.pageLengthInches = buf[i + 1]!;
          i += 2;
          break;
        case 0x4f:
          break;
        case 0x32:
          lineSpacing = 36;
          break;
        case 0x33:
          lineSpacing = buf[i++]!;
          break;
        case 0x50:
          baseCpi = 10;
          break;
        case 0x4d:
          baseCpi = 12;
          break;
        case 0x67:
          baseCpi = 15;
          break;
        case 0x45:
          bold = true;
          break;
        case 0x46:
          bold = false;
          break;
        case 0x24:
          need(2);
          x = buf[i]! | (buf[i + 1]! << 8);
          i += 2;
          break;
        case 0x4a:
          need(1);
          y += buf[i++]!;
          break;
        case 0x2a: {
          need(3);
          const mode = buf[i]!;
          const n = buf[i + 1]! | (buf[i + 2]! << 8);
          need(3 + n);
          if (mode !== 1) throw new Error(`bit image mode ${mode} not expected`);
          const columns = new Uint8Array(buf.subarray(i + 3, i + 3 + n));
          page().images.push({ x, y, mode, columns });
          x += n / 2;
          i += 3 + n;
          break;
        }
        default:
          throw new Error(`unknown ESC 0x${c.toString(16)} at byte ${i - 2}`);
      }
      continue;
    }
    if (b < 0x20) {
      flush();
      i++;
      if (b === 0x0d) x = 0;
      else if (b === 0x0a) y += lineSpacing;
      else if (b === 0x0c) {
        out.pages.push({ texts: [], images: [] });
        x = 0;
        y = 0;
      } else if (b === 0x0f) condensed = true;
      else if (b === 0x12) condensed = false;
      else throw new Error(`unexpected control byte 0x${b.toString(16)} at ${i - 1}`);
      continue;
    }
    const table = TABLES[out.selectedSlot === 1 ? (out.slot1Table ?? 0) : 0] ?? 'cp437';
    const ch = iconv.decode(Buffer.from([b]), table);
    if (!run) run = { x, y, text: '', bytes: Buffer.alloc(0), cpi: cpi(), bold };
    run.text += ch;
    run.bytes = Buffer.concat([run.bytes, Buffer.from([b])]);
    x += 60 / cpi();
    i++;
  }
  flush();
  // A trailing form feed opens a page nothing was printed on.
  const last = out.pages[out.pages.length - 1]!;
  if (out.pages.length > 1 && last.texts.length === 0 && last.images.length === 0) out.pages.pop();
  return out;
}

/** Row (1/6") and grid column (1/10") of a position, as the layouts count them. */
export const toRow = (y216: number, lpi = 6) => y216 / (216 / lpi);
export const toCol = (x60: number, gridCpi = 10) => x60 / (60 / gridCpi);

export function findText(page: DecodedPage, needle: string | RegExp): TextRun | undefined {
  return page.texts.find((t) => (typeof needle === 'string' ? t.text.includes(needle) : needle.test(t.text)));
}

/** Page text as lines (runs sorted by y then x) for readable failure messages. */
export function pageLines(page: DecodedPage): string[] {
  const byY = new Map<number, TextRun[]>();
  for (const t of page.texts) byY.set(t.y, [...(byY.get(t.y) ?? []), t]);
  return [...byY.entries()].sort((a, b) => a[0] - b[0]).map(([, runs]) => runs.sort((a, b) => a.x - b.x).map((r) => r.text).join(' | '));
}

/**
 * Stacks bands of the same symbol (same x, consecutive 24/216" rows) and reads one
 * scanline: bar/space runs → modules → Code 128 values → digits (set C), checking the
 * start, checksum and stop so a misprinted bar fails instead of decoding to garbage.
 */
export function decodeBarcodes(page: DecodedPage): { digits: string; x: number; y: number; bands: number; moduleDots: number }[] {
  const groups: ImageBand[][] = [];
  for (const band of [...page.images].sort((a, b) => a.x - b.x || a.y - b.y)) {
    const g = groups.find((gr) => gr[0]!.x === band.x && gr[gr.length - 1]!.y + 24 === band.y);
    if (g) g.push(band);
    else groups.push([band]);
  }
  return groups.map((g) => {
    for (const band of g) {
      if (Buffer.compare(Buffer.from(band.columns), Buffer.from(g[0]!.columns)) !== 0) throw new Error('barcode bands differ');
    }
    const cols = g[0]!.columns;
    const runs: number[] = [];
    let cur = cols[0] === 0xff;
    if (!cur) throw new Error('barcode image does not start with a bar');
    let len = 0;
    for (const c of cols) {
      if (c !== 0xff && c !== 0) throw new Error('partial column in barcode');
      if ((c === 0xff) === cur) len++;
      else {
        runs.push(len);
        cur = c === 0xff;
        len = 1;
      }
    }
    runs.push(len);
    const moduleDots = Math.min(...runs);
    const widths = runs.map((r) => {
      if (r % moduleDots !== 0) throw new Error('bar width not a whole number of modules');
      return r / moduleDots;
    });
    const values: number[] = [];
    for (let k = 0; k < widths.length; ) {
      const size = widths.length - k === 7 ? 7 : 6;
      const pattern = widths.slice(k, k + size).join('');
      const v = CODE128_PATTERNS.indexOf(pattern);
      if (v < 0) throw new Error(`unknown Code 128 pattern ${pattern}`);
      values.push(v);
      k += size;
    }
    if (values[0] !== CODE128_START_C || values[values.length - 1] !== CODE128_STOP) throw new Error('missing start C / stop');
    const data = values.slice(1, -2);
    const check = data.reduce((s, v, idx) => s + v * (idx + 1), CODE128_START_C) % 103;
    if (check !== values[values.length - 2]) throw new Error('Code 128 checksum mismatch');
    return { digits: data.map((v) => String(v).padStart(2, '0')).join(''), x: g[0]!.x, y: g[0]!.y, bands: g.length, moduleDots };
  });
}
