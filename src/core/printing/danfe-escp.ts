import { AppError } from '../errors';
import type { DanfeData } from './danfe-model';
import { danfeFormValues } from './danfe-values';
import { PrintingErrors } from './errors';
import { renderForm, type Calibration, type RenderedForm } from './form-engine';
import type { FormLayout } from './layout';

/** The DANFE as ESC/P for a pre-printed continuous form (layout `danfe-continuo` by default). */
export function renderDanfeEscp(data: DanfeData, layout: FormLayout, calibration?: Calibration): RenderedForm {
  // A DANFE without the chave's barcode is no DANFE (MOC): a layout that lacks it (the
  // calibration grid, say) would print a blank form and report success.
  if (!layout.barcodes.some((b) => b.id === 'chave')) {
    throw new AppError(PrintingErrors.LAYOUT_INVALID, `O layout "${layout.name}" (${layout.title}) não é de DANFE: não imprime a chave de acesso. Use danfe-continuo.`, { field: 'layout' });
  }
  return renderForm(layout, danfeFormValues(data), calibration);
}
