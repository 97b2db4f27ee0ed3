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
  const cols = Math.floor(layout.page.widthInches * layout.page.gridCpi);
  let tens = '';
  let units = '';
  for (let c = 0; c < cols; c++) {
    tens += c % 10 === 0 ? String(Math.floor(c / 10) % 10) : ' ';
    units += String(c % 10);
  }
  const band = layout.items?.firstPage;
  const items: Values[] = [];
  if (band) {
    const width = layout.items!.columns.find((c) => c.id === 'marcas')?.width ?? cols;
    const marks = Array.from({ length: width }, (_, i) => ((i + 3) % 10 === 0 ? '|' : (i + 3) % 5 === 0 ? '+' : '.')).join('');
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
