import type { Align } from './layout';

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
