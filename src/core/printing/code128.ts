import { AppError } from '../errors';
import { PrintingErrors } from './errors';

/**
 * Code 128 symbol widths (bar, space, bar, space, bar, space) for values 0..105, and the
 * stop pattern (106, 7 elements). Checked against bwip-js in tests/unit/printing.
 */
export const CODE128_PATTERNS: readonly string[] = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];

export const CODE128_START_C = 105;
export const CODE128_STOP = 106;

/**
 * CODE-128 subset C of an even-length digit string (the chave's 44 digits, the FS-DA
 * 36 digits): returns element widths in modules, starting with a bar. No quiet zones:
 * the renderer adds ≥10 modules on each side.
 */
export function code128cWidths(digits: string): number[] {
  if (!/^(\d\d)+$/.test(digits)) {
    throw new AppError(PrintingErrors.INVALID_DOCUMENT, 'O código de barras CODE-128C exige um número par de dígitos.');
  }
  const values = [CODE128_START_C];
  for (let i = 0; i < digits.length; i += 2) values.push(Number(digits.slice(i, i + 2)));
  let check = CODE128_START_C;
  for (let i = 1; i < values.length; i++) check += values[i]! * i;
  values.push(check % 103, CODE128_STOP);
  const widths: number[] = [];
  for (const v of values) for (const c of CODE128_PATTERNS[v]!) widths.push(c.charCodeAt(0) - 48);
  return widths;
}

/** Bars as [startModule, widthModules] pairs, for drawing. */
export function code128cBars(digits: string): { bars: [number, number][]; modules: number } {
  const widths = code128cWidths(digits);
  const bars: [number, number][] = [];
  let x = 0;
  widths.forEach((w, i) => {
    if (i % 2 === 0) bars.push([x, w]);
    x += w;
  });
  return { bars, modules: x };
}
