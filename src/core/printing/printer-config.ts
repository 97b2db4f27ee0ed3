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
  /**
   * After this long without the OS taking bytes while the printer has not asked to hold,
   * report "sem papel ou offline" (a write that does not complete is a real stall).
   */
  stallWarnMs?: number;
  /**
   * After this long holding XOFF (or CTS low), report it: a printer holds while it prints its
   * buffer, tens of seconds on a dense page, and that is not a fault.
   */
  holdWarnMs?: number;
  /** After this long the job fails with that reason (the port is closed to unblock it). */
  stallFailMs?: number;
}

export interface FileSettings {
  kind: 'file';
  /** A folder (one .prn per job) or a file/device path (\\.\LPT1, a shared printer's UNC path). */
  path: string;
}

/** A raw TCP print server or network printer (JetDirect, port 9100). `path` is the URI. */
export interface TcpSettings {
  kind: 'tcp';
  /** tcp://HOST:PORT as typed (normalised). */
  path: string;
  host: string;
  port: number;
  connectTimeoutMs?: number;
  stallWarnMs?: number;
  stallFailMs?: number;
}

/** An installed printer of the operating system's spooler, fed RAW (Windows spooler, CUPS). */
export interface SpoolSettings {
  kind: 'spool';
  /** spool:NAME */
  path: string;
  /** The printer's name in the spooler (CUPS queue name on Linux/macOS). */
  queue: string;
  /** How often the job's state is read back from the spooler. */
  pollMs?: number;
  stallWarnMs?: number;
  stallFailMs?: number;
}

/** A printer device written directly: /dev/usb/lp0, usb: (first USB printer), LPT1. */
export interface DeviceSettings {
  kind: 'device';
  path: string;
  stallWarnMs?: number;
  stallFailMs?: number;
}

export type PrinterSettings = SerialSettings | FileSettings | TcpSettings | SpoolSettings | DeviceSettings;
export type PrinterKind = PrinterSettings['kind'];

export interface PrinterConfig {
  name: string;
  settings: PrinterSettings;
  calibration: Calibration;
  isDefault?: boolean;
}

export const SERIAL_DEFAULTS = { baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1, flow: 'xonxoff' } as const;
export const DEFAULT_STALL_WARN_MS = 3000;
export const DEFAULT_STALL_FAIL_MS = 120_000;
/** Longer than a dot-matrix printer holds XOFF while printing a full buffer (17–38 s seen). */
export const DEFAULT_HOLD_WARN_MS = 60_000;

const BAUDS = new Set([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]);

function invalid(message: string, field: string): AppError {
  return new AppError(PrintingErrors.PRINTER_INVALID, message, { field });
}

const KINDS = new Set<string>(['serial', 'file', 'tcp', 'spool', 'device']);
const DEVICE = /^(?:usb:(?:\d{1,2})?|LPT[1-9]|PRN|\\\\\.\\LPT[1-9]|\/dev\/usb\/lp\d{1,2}|\/dev\/lp\d{1,2})$/i;
const TCP = /^tcp:\/\/(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)(?::(\d{1,5}))?\/?$/i;

/**
 * The printer address typed in Impressoras or given to `--port`: COM3 or /dev/ttyUSB0 (serial),
 * tcp://HOST:9100 (raw TCP), spool:NAME (the system's print queue, RAW), usb: / /dev/usb/lp0 /
 * LPT1 (device written directly). Anything else is taken as a serial port, as before.
 */
export function parsePrinterUri(uri: string, serial: Partial<SerialSettings> = {}): PrinterSettings {
  const text = (uri ?? '').trim();
  if (!text) throw invalid('Informe a porta ou o endereço da impressora (COM3, tcp://192.168.0.50:9100, spool:NOME, usb:).', 'path');
  if (/^tcp:/i.test(text)) {
    const m = TCP.exec(text);
    const port = m?.[2] === undefined ? 9100 : Number(m[2]);
    if (!m || !(port >= 1 && port <= 65535)) throw invalid(`Endereço de rede inválido: ${text}. Use tcp://IP-OU-NOME:9100.`, 'path');
    const host = m[1]!.replace(/^\[|\]$/g, '');
    return { kind: 'tcp', path: `tcp://${m[1]}:${port}`, host, port };
  }
  if (/^spool:/i.test(text)) {
    const queue = text.slice(6).trim();
    if (!queue || queue.length > 127) throw invalid('Informe o nome da impressora instalada: spool:NOME (como aparece nas impressoras do sistema).', 'path');
    return { kind: 'spool', path: `spool:${queue}`, queue };
  }
  if (DEVICE.test(text)) return { kind: 'device', path: /^usb:/i.test(text) ? text.toLowerCase() : text };
  return { kind: 'serial', ...SERIAL_DEFAULTS, ...serial, path: text };
}

/** Validates settings from the UI/CLI before they are saved or used. */
export function checkSettings(s: PrinterSettings): PrinterSettings {
  if (!s || !KINDS.has(s.kind)) throw invalid('Tipo de impressora inválido (serial, rede, fila do sistema, USB/LPT ou arquivo).', 'kind');
  if (typeof s.path !== 'string' || s.path.trim() === '') throw invalid('Informe a porta ou o caminho da impressora.', 'path');
  if (s.kind === 'file') return { kind: 'file', path: s.path };
  if (s.kind === 'tcp' || s.kind === 'spool' || s.kind === 'device') {
    const parsed = parsePrinterUri(s.path);
    if (parsed.kind !== s.kind) throw invalid(`Endereço "${s.path}" não é de impressora ${KIND_LABELS[s.kind]}.`, 'path');
    return { ...s, ...parsed } as PrinterSettings;
  }
  const out: SerialSettings = { ...SERIAL_DEFAULTS, ...s };
  if (!BAUDS.has(out.baudRate)) throw invalid(`Velocidade inválida: ${out.baudRate}. Use 9600 ou 19200 (ou outra padrão).`, 'baudRate');
  if (!['none', 'even', 'odd'].includes(out.parity)) throw invalid('Paridade inválida (none, even, odd).', 'parity');
  if (out.dataBits !== 7 && out.dataBits !== 8) throw invalid('Bits de dados: 7 ou 8.', 'dataBits');
  if (out.stopBits !== 1 && out.stopBits !== 2) throw invalid('Bits de parada: 1 ou 2.', 'stopBits');
  if (!['xonxoff', 'rtscts', 'none'].includes(out.flow)) throw invalid('Controle de fluxo: xonxoff, rtscts ou none.', 'flow');
  return out;
}

export const KIND_LABELS: Record<PrinterKind, string> = {
  serial: 'serial',
  file: 'de arquivo',
  tcp: 'de rede (TCP)',
  spool: 'da fila do sistema',
  device: 'USB/LPT',
};

/** One line for lists (CLI, audit): where the printer is and how it is reached. */
export function describeSettings(s: PrinterSettings): string {
  switch (s.kind) {
    case 'file':
      return `arquivo ${s.path}`;
    case 'serial':
      return `${s.path} ${s.baudRate} ${s.dataBits}${s.parity[0]!.toUpperCase()}${s.stopBits} ${s.flow}`;
    case 'tcp':
      return `rede ${s.path}`;
    case 'spool':
      return `fila do sistema ${s.path}`;
    case 'device':
      return `dispositivo ${s.path}`;
  }
}

export function parseFlow(value: string | undefined): FlowControl {
  const v = value ?? 'xonxoff';
  if (v !== 'xonxoff' && v !== 'rtscts' && v !== 'none') throw invalid(`Controle de fluxo inválido: ${v} (xonxoff, rtscts ou none).`, 'flow');
  return v;
}
