import { AppError } from '../errors';
import { parseNfe } from '../fiscal/parse';
import type { DanfeData } from './danfe-model';
import { PrintingErrors } from './errors';
import { danfeFromNfe } from './nfe-adapter';

/**
 * Authorized nfeProc XML → DanfeData, through the fiscal core's parser (the one reader of
 * NF-e XML in the project). Refuses anything that is not an authorized NF-e.
 */
export async function danfeFromXml(xml: string): Promise<DanfeData> {
  if (!/<(\w+:)?(nfeProc|NFe)[\s>]/.test(xml)) {
    throw new AppError(PrintingErrors.INVALID_DOCUMENT, 'O arquivo não é um XML de NF-e (esperado nfeProc ou NFe).');
  }
  let model;
  try {
    model = parseNfe(xml);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(PrintingErrors.INVALID_DOCUMENT, `XML de NF-e inválido: ${(err as Error).message}`);
  }
  return danfeFromNfe(model);
}
