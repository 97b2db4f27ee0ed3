import type { DanfeData } from './danfe-model';
import { danfeFormValues } from './danfe-values';
import { renderForm, type Calibration, type RenderedForm } from './form-engine';
import type { FormLayout } from './layout';

/** The DANFE as ESC/P for a pre-printed continuous form (layout `danfe-continuo` by default). */
export function renderDanfeEscp(data: DanfeData, layout: FormLayout, calibration?: Calibration): RenderedForm {
  return renderForm(layout, danfeFormValues(data), calibration);
}
