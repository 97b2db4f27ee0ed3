import { CODE_PAGE_TABLE_ID, encodeText, type CodePage } from './encoding';
import type { Pitch } from './layout';

const ESC = 0x1b;

/** Streams ESC/P commands into one buffer, sending pitch/bold changes only when they change. */
export class EscpWriter {
  private chunks: Buffer[] = [];
  private size = 0;
  private pitch: Pitch | undefined;
  private bold: boolean | undefined;

  constructor(private readonly codePage: CodePage) {}

  private push(b: Buffer | number[]): void {
    const buf = Buffer.isBuffer(b) ? b : Buffer.from(b);
    this.chunks.push(buf);
    this.size += buf.length;
  }

  /**
   * Job prefix: reset, code page into slot 1 and select it, 12-inch (or the layout's) page
   * length — which also makes the current position the top of form — no perforation skip,
   * 1/6" spacing. ESC @ forgets pitch and bold, so our cached state is reset too.
   */
  begin(pageLengthInches: number): void {
    this.push([ESC, 0x40, ESC, 0x28, 0x74, 0x03, 0x00, 0x01, CODE_PAGE_TABLE_ID[this.codePage], 0x00, ESC, 0x74, 0x01]);
    this.push([ESC, 0x43, 0x00, pageLengthInches, ESC, 0x4f, ESC, 0x32]);
    this.pitch = undefined;
    this.bold = undefined;
  }

  /**
   * Forgets the pitch/bold sent so far, so the next page sends its own: every page then
   * prints right on its own, which a job resumed from a later sheet relies on.
   */
  forgetState(): void {
    this.pitch = undefined;
    this.bold = undefined;
  }

  setPitch(p: Pitch): void {
    if (this.pitch === p) return;
    const base = p === 10 || p === 17 ? [ESC, 0x50] : p === 12 || p === 20 ? [ESC, 0x4d] : [ESC, 0x67];
    this.push([...base, p === 17 || p === 20 ? 0x0f : 0x12]);
    this.pitch = p;
  }

  setBold(on: boolean): void {
    if (this.bold === on) return;
    this.push([ESC, on ? 0x45 : 0x46]);
    this.bold = on;
  }

  /** ESC $: absolute horizontal position in 1/60 inch from the left margin. */
  moveToX(units60: number): void {
    const n = Math.max(0, Math.round(units60));
    this.push([ESC, 0x24, n & 0xff, (n >> 8) & 0xff]);
  }

  /** ESC J: forward feed in n/216 inch without carriage return (prints the buffered line). */
  feed(units216: number): void {
    let n = Math.round(units216);
    while (n > 0) {
      const step = Math.min(255, n);
      this.push([ESC, 0x4a, step]);
      n -= step;
    }
  }

  text(s: string): void {
    this.push(encodeText(s, this.codePage));
  }

  /** ESC * 1: 8-dot, 120 dpi bit image; one byte per column, MSB = top pin. */
  bitImage(columns: Uint8Array): void {
    const n = columns.length;
    this.push([ESC, 0x2a, 0x01, n & 0xff, (n >> 8) & 0xff]);
    this.push(Buffer.from(columns));
  }

  carriageReturn(): void {
    this.push([0x0d]);
  }

  formFeed(): void {
    this.push([0x0d, 0x0c]);
  }

  get length(): number {
    return this.size;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}
