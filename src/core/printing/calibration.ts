import { AppError } from '../errors';
import { PrintingErrors } from './errors';
import type { Calibration, RenderedForm, Values } from './form-engine';
import { renderForm } from './form-engine';
import type { FormLayout } from './layout';

/** Barcode printed on the calibration page so a scanner check is part of setting up. */
export const CALIBRATION_TEST_DIGITS = '35240511222333000181550010000012341123456789';

const fmtMm = (mm: number) => `${mm >= 0 ? '+' : ''}${mm.toFixed(1).replace('.', ',')} mm`;

/**
 * A grid with column rulers (tens and units) and every form line numbered, plus the
 * printer's current offsets: the operator reads where row/column marks fall on the form
 * and adjusts dx/dy until they match the pre-printed boxes.
 */
export function renderCalibrationPage(layout: FormLayout, printerName: string, calibration: Calibration): RenderedForm {
  if (!layout.fields.some((f) => f.id === 'regua.dezenas')) {
    throw new AppError(PrintingErrors.LAYOUT_INVALID, `O layout "${layout.name}" (${layout.title}) não é de página de calibração. Use calibracao.`, { field: 'layout' });
  }
  // The rulers move with the offsets like every field: a positive dx leaves fewer columns
  // before the right edge, so the rulers stop at the last one that still fits. Each mark
  // is the number of the column it stands on (the rulers start at their field's column).
  const first = layout.fields.find((f) => f.id === 'regua.dezenas')!.col;
  const shift = Math.max(0, Math.ceil((calibration.dxMm / 25.4) * layout.page.gridCpi - 1e-9));
  const cols = Math.floor(layout.page.widthInches * layout.page.gridCpi) - shift;
  let tens = '';
  let units = '';
  for (let c = first; c < cols; c++) {
    tens += c % 10 === 0 ? String(Math.floor(c / 10) % 10) : ' ';
    units += String(c % 10);
  }
  const band = layout.items?.firstPage;
  const items: Values[] = [];
  if (band) {
    const marksCol = layout.items!.columns.find((c) => c.id === 'marcas');
    const width = Math.min(marksCol?.width ?? cols, cols - (marksCol?.col ?? 0));
    const start = marksCol?.col ?? 0;
    const marks = Array.from({ length: width }, (_, i) => ((i + start) % 10 === 0 ? '|' : (i + start) % 5 === 0 ? '+' : '.')).join('');
    for (let r = 0; r < band.rows; r++) items.push({ linha: String(band.row + r).padStart(2, '0'), marcas: marks });
  }
  const values: Values = {
    'regua.dezenas': tens,
    'regua.unidades': units,
    'calibracao.titulo': 'COMBOIO - PÁGINA DE CALIBRAÇÃO',
    'calibracao.impressora': `Impressora: ${printerName}`,
    'calibracao.deslocamento': `Deslocamento atual: horizontal (dx) ${fmtMm(calibration.dxMm)}, vertical (dy) ${fmtMm(calibration.dyMm)}`,
    'calibracao.instrucoes':
      'Compare as marcas com as caixas do formulário. Se o texto estiver à esquerda, aumente dx; acima, aumente dy (em milímetros). Cada linha tem 1/6" (4,23 mm); cada coluna 1/10" (2,54 mm).',
    'calibracao.acentos': 'Acentos: ÇÃÕÉ çãõé ÁÍÓÚ àâêô ºª',
  };
  return renderForm(layout, { values, items, barcodes: { teste: CALIBRATION_TEST_DIGITS } }, calibration);
}
