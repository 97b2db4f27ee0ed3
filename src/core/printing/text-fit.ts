import { CHAR_WIDTH_60THS, type Align, type Pitch } from './layout';

/**
 * Greedy word wrap into at most `maxLines` lines of `width` characters; words longer than a
 * line are cut. Text beyond the last line is dropped (the form has no more room).
 */
export function wrapText(text: string, width: number, maxLines = 1): string[] {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean === '') return [];
  if (maxLines <= 1 || clean.length <= width) return [clean.slice(0, width)];
  const lines: string[] = [];
  let line = '';
  for (let word of clean.split(' ')) {
    while (word.length > 0) {
      if (line === '') {
        line = word.slice(0, width);
        word = word.slice(width);
      } else if (line.length + 1 + word.length <= width) {
        line += ` ${word}`;
        word = '';
      } else {
        lines.push(line);
        line = '';
        if (lines.length === maxLines) return lines;
      }
      if (word.length > 0 && line.length === width) {
        lines.push(line);
        line = '';
        if (lines.length === maxLines) return lines;
      }
    }
  }
  if (line !== '' && lines.length < maxLines) lines.push(line);
  return lines;
}

/** Offset in characters from the field's left edge so the text sits per its alignment. */
export function alignOffset(length: number, width: number, align: Align | undefined): number {
  if (align === 'right') return Math.max(0, width - length);
  if (align === 'center') return Math.max(0, Math.floor((width - length) / 2));
  return 0;
}

const PITCHES: Pitch[] = [10, 12, 15, 17, 20];
const squeeze = (t: string) => t.replace(/\s+/g, '');

export interface FittedText {
  pitch: Pitch;
  /** Characters one line holds at that pitch (the field's width does not change). */
  width: number;
  lines: string[];
  /** True only when even the narrowest pitch could not hold the value in the field's lines. */
  cut: boolean;
}

/**
 * Fits a value into a field without losing any of it: the layout's pitch when the value
 * fits, else the next narrower pitch (same physical width, more characters per line), down
 * to 20 cpi; in an item band, more lines after that. A value is never silently shortened:
 * a digit dropped from a quantity or the end of a name changes what the document says.
 */
export function fitText(text: string, spec: { width: number; maxLines?: number; pitch?: Pitch }, opts: { growLines?: boolean } = {}): FittedText {
  const base = spec.pitch ?? 10;
  const physical = spec.width * CHAR_WIDTH_60THS[base];
  const whole = squeeze(text);
  let last: FittedText | undefined;
  for (const pitch of PITCHES.filter((p) => p >= base)) {
    const width = Math.floor(physical / CHAR_WIDTH_60THS[pitch] + 1e-9);
    const lines = wrapText(text, width, spec.maxLines ?? 1);
    last = { pitch, width, lines, cut: squeeze(lines.join('')) !== whole };
    if (!last.cut) return last;
  }
  // An item band can give an item more lines (the next item moves down): keep every character.
  if (opts.growLines) return { ...last!, lines: wrapText(text, last!.width, Number.MAX_SAFE_INTEGER), cut: false };
  return last!;
}
