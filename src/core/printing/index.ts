// Public API of printing: ESC/P forms for dot-matrix printers, the DANFE PDF, the print queue.
export { PrintingErrors } from './errors';
export type { DanfeData, DanfeItem, DanfeParty, DanfeTotais, DanfeProtocolo, DanfeContingencia } from './danfe-model';
export { renderDanfeEscp } from './danfe-escp';
export { renderDanfePdf, type DanfePdfOptions } from './danfe-pdf';
export { dacteFromCte, dacteFromXml, isCteXml, type DacteData, type DacteParty } from './dacte-model';
export { renderDactePdf, type DactePdfOptions } from './dacte-pdf';
export { renderDacteEscp, dacteFormValues } from './dacte-escp';
export { renderCalibrationPage, CALIBRATION_TEST_DIGITS } from './calibration';
export { renderForm, paginate, NO_CALIBRATION, type Calibration, type FormData, type RenderedForm } from './form-engine';
export { loadLayout, validateLayout, type FormLayout, type FieldSpec, type BarcodeSpec, type ItemBand, type Pitch } from './layout';
export { encodeText, normalizeForCodePage, type CodePage } from './encoding';
export { code128cWidths, code128cBars } from './code128';
export { fsdaBarcodeData, contingencyText, requiredCopies } from './contingency';
export { danfeFromNfe, assertPrintable } from './nfe-adapter';
export { danfeFromXml } from './document';
export { listPorts, type PortInfo, type ListPorts } from './ports';
export {
  checkSettings,
  describeSettings,
  parsePrinterUri,
  parseFlow,
  SERIAL_DEFAULTS,
  type PrinterConfig,
  type PrinterSettings,
  type SerialSettings,
  type FileSettings,
  type TcpSettings,
  type SpoolSettings,
  type DeviceSettings,
  type FlowControl,
} from './printer-config';
export { PrintersRepo, DEMO_PRINTER_NAME } from './printers-repo';
export { PrintQueue, type PrintJob, type JobState, type EnqueueRequest, type PrintQueueDeps } from './queue';
export { sendToPrinter, sendSerial, sendFile, resolveSerialPath, STALL_MESSAGE, type SendOptions } from './transport';
export { sendTcp } from './transport-tcp';
export { sendDevice, resolveDevicePath } from './transport-device';
export { sendSpool } from './transport-spool';
export { systemSpooler, type Spooler, type InstalledPrinter, type SpoolJobState } from './spooler';
