import { AppError } from '../errors';
import type { Calibration } from './form-engine';
import { PrintingErrors } from './errors';

export type FlowControl = 'xonxoff' | 'rtscts' | 'none';

export interface SerialSettings {
  kind: 'serial';
  /** COM3, /dev/ttyUSB0… */
  path: string;
  /** From SerialPort.list(): lets us find the adapter again when Windows gives it another COM number. */
  serialNumber?: string;
  pnpId?: string;
  baudRate: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: 7 | 8;
  stopBits: 1 | 2;
  flow: FlowControl;
  /** After this long without the OS taking bytes, report "sem papel ou offline". */
  stallWarnMs?: number;
  /** After this long the job fails with that reason (the port is closed to unblock it). */
  stallFailMs?: number;
}

export interface FileSettings {
  kind: 'file';
  /** A folder (one .prn per job) or a file/device path (\\.\LPT1, a shared printer's UNC path). */
  path: string;
}

export type PrinterSettings = SerialSettings | FileSettings;

export interface PrinterConfig {
  name: string;
  settings: PrinterSettings;
  calibration: Calibration;
  isDefault?: boolean;
}

export const SERIAL_DEFAULTS = { baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1, flow: 'xonxoff' } as const;
export const DEFAULT_STALL_WARN_MS = 3000;
export const DEFAULT_STALL_FAIL_MS = 120_000;

const BAUDS = new Set([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]);

function invalid(message: string, field: string): AppError {
  return new AppError(PrintingErrors.PRINTER_INVALID, message, { field });
}

/** Validates settings from the UI/CLI before they are saved or used. */
export function checkSettings(s: PrinterSettings): PrinterSettings {
  if (!s || (s.kind !== 'serial' && s.kind !== 'file')) throw invalid('Tipo de impressora inválido (serial ou arquivo).', 'kind');
  if (typeof s.path !== 'string' || s.path.trim() === '') throw invalid('Informe a porta ou o caminho da impressora.', 'path');
  if (s.kind === 'file') return { kind: 'file', path: s.path };
  const out: SerialSettings = { ...SERIAL_DEFAULTS, ...s };
  if (!BAUDS.has(out.baudRate)) throw invalid(`Velocidade inválida: ${out.baudRate}. Use 9600 ou 19200 (ou outra padrão).`, 'baudRate');
  if (!['none', 'even', 'odd'].includes(out.parity)) throw invalid('Paridade inválida (none, even, odd).', 'parity');
  if (out.dataBits !== 7 && out.dataBits !== 8) throw invalid('Bits de dados: 7 ou 8.', 'dataBits');
  if (out.stopBits !== 1 && out.stopBits !== 2) throw invalid('Bits de parada: 1 ou 2.', 'stopBits');
  if (!['xonxoff', 'rtscts', 'none'].includes(out.flow)) throw invalid('Controle de fluxo: xonxoff, rtscts ou none.', 'flow');
  return out;
}

export function parseFlow(value: string | undefined): FlowControl {
  const v = value ?? 'xonxoff';
  if (v !== 'xonxoff' && v !== 'rtscts' && v !== 'none') throw invalid(`Controle de fluxo inválido: ${v} (xonxoff, rtscts ou none).`, 'flow');
  return v;
}
