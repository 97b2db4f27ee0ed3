import { describe, expect, it } from 'vitest';
import { PrintingErrors } from '../../../src/core/printing/errors';
import { checkSettings, parsePrinterUri, SERIAL_DEFAULTS } from '../../../src/core/printing/printer-config';
import { resolveDevicePath } from '../../../src/core/printing/transport-device';

describe('printer addresses (Impressoras, --port)', () => {
  it('reads each transport from what the operator types', () => {
    expect(parsePrinterUri('COM3')).toEqual({ kind: 'serial', ...SERIAL_DEFAULTS, path: 'COM3' });
    expect(parsePrinterUri('/dev/ttyUSB0', { baudRate: 19200 })).toMatchObject({ kind: 'serial', path: '/dev/ttyUSB0', baudRate: 19200 });
    expect(parsePrinterUri('tcp://192.168.0.50:9100')).toEqual({ kind: 'tcp', path: 'tcp://192.168.0.50:9100', host: '192.168.0.50', port: 9100 });
    expect(parsePrinterUri(' TCP://printserver.local ')).toEqual({ kind: 'tcp', path: 'tcp://printserver.local:9100', host: 'printserver.local', port: 9100 });
    expect(parsePrinterUri('tcp://[::1]:9101')).toMatchObject({ kind: 'tcp', host: '::1', port: 9101 });
    expect(parsePrinterUri('spool:EPSON LX-350 (Cópia 1)')).toEqual({ kind: 'spool', path: 'spool:EPSON LX-350 (Cópia 1)', queue: 'EPSON LX-350 (Cópia 1)' });
    for (const d of ['usb:', 'usb:1', '/dev/usb/lp0', '/dev/lp0', 'LPT1', 'lpt2', '\\\\.\\LPT1']) expect(parsePrinterUri(d).kind).toBe('device');
  });

  it('refuses a malformed address naming what to type', () => {
    for (const bad of ['tcp://', 'tcp://host:70000', 'tcp://ho st:9100', 'spool:', '  ']) {
      expect(() => parsePrinterUri(bad)).toThrow(expect.objectContaining({ code: PrintingErrors.PRINTER_INVALID }));
    }
    expect(() => checkSettings({ kind: 'tcp', path: 'spool:X', host: '', port: 0 })).toThrow(/não é de impressora de rede/);
  });

  it('finds the device behind usb: and LPTn on each system', () => {
    expect(resolveDevicePath('LPT1', 'win32')).toBe('\\\\.\\LPT1');
    expect(resolveDevicePath('LPT2', 'linux')).toBe('/dev/lp1');
    expect(resolveDevicePath('usb:3', 'linux')).toBe('/dev/usb/lp3');
    expect(resolveDevicePath('/dev/usb/lp0', 'linux')).toBe('/dev/usb/lp0');
    expect(() => resolveDevicePath('usb:', 'linux', '/nonexistent-usb-dir')).toThrow(/Nenhuma impressora USB encontrada/);
    expect(() => resolveDevicePath('usb:', 'win32')).toThrow(/spool:NOME/);
  });
});
